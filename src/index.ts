// skyql's library API.

export { createEngine } from './engine.ts';
export type { Engine, QueryOptions, QueryResult, PlannedStatement } from './engine.ts';
export type { EngineOptions } from './config.ts';
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
