// skyql's library API.

import { createEngine as createEngineWith, type Engine } from './engine.ts';
import type { EngineOptions } from './config.ts';

/**
 * An engine. `env` defaults to this process's environment, as in the CLI: bearer tokens from
 * `credentialsenvvar`, HTTPS_PROXY/NO_PROXY and XDG_CACHE_HOME are read from it (pass `env: {}`
 * for none).
 */
export function createEngine(options: EngineOptions = {}): Engine {
  return createEngineWith({ ...options, env: options.env ?? process.env });
}

export type { Engine, ExecuteOptions, QueryOptions, QueryResult, PlannedStatement } from './engine.ts';
export type { EngineOptions, ParamDefault } from './config.ts';
export type { ColumnDescription, ColumnValue, MethodDescription, ResourceDescription, RowOf } from './registry/describe.ts';
export type { ColumnType, FormatOptions, Tabular } from './output/format.ts';
export { EngineError, ERROR_CODES, isEngineError } from './errors.ts';
export type { ErrorCode, SourceSpan } from './errors.ts';
export type { TokenCredential, AccessToken } from './exec/auth.ts';
export type { AuthConfig, ProviderAuth } from './exec/auth-config.ts';
export type { HttpClient, HttpRequest, HttpResponse } from './exec/http.ts';
export type { RequestPlan, StatementPlan, Row, SqlValue } from './plan/types.ts';
export { plannedRequests, renderRequestLine } from './output/dry-run.ts';
export { formatResult } from './output/format.ts';
export type { OutputFormat } from './output/format.ts';
// Each stage on its own.
export { parseScript, parseStatement } from './sql/parse.ts';
export { Registry } from './registry/load.ts';
export { PlanSession } from './plan/session.ts';
export { SqliteChecker } from './exec/local-checker.ts';
export { planWithDefaults as planStatement } from './plan-stage.ts';
