// The MCP server's tools as plain functions over an engine: what each one runs, and its answer as
// JSON. Names given as arguments are checked before they become statement text; statements are
// the caller's, run read-only unless mutations were allowed.

import type { Engine } from '../engine.ts';
import { EngineError, toEngineError } from '../errors.ts';
import { plannedRequests, renderRegistryAddLine, renderRequestLine } from '../output/dry-run.ts';
import type { Row } from '../plan/types.ts';
import type { StatementKind } from '../sql/ast.ts';
import { parseScript } from '../sql/parse.ts';
import type { TemplateVars } from '../sql/templates.ts';

export interface ToolContext {
  readonly engine: Engine;
  readonly allowMutations: boolean;
  /** Each statement is cancelled after this long; 0: never. */
  readonly statementTimeoutMs: number;
  /** Aborted when the server stops. */
  readonly signal?: AbortSignal;
}

export interface ToolAnswer {
  readonly json: unknown;
  /** HTTP requests the statement planned (pages not counted). */
  readonly requests: number;
}

const READ_KINDS: readonly StatementKind[] = ['select', 'show', 'describe'];
/** Rows a query answers with unless asked for fewer or more. */
export const DEFAULT_MAX_ROWS = 1_000;
const NAME = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/;

export function listProviders(context: ToolContext): Promise<ToolAnswer> {
  return rowsOf(context, 'SHOW PROVIDERS');
}

export function listServices(context: ToolContext, args: { provider: string; like?: string }): Promise<ToolAnswer> {
  return rowsOf(context, `SHOW SERVICES IN ${name(args.provider, 1)}${like(args.like)}`);
}

export function listResources(context: ToolContext, args: { service: string; like?: string }): Promise<ToolAnswer> {
  return rowsOf(context, `SHOW RESOURCES IN ${name(args.service, 2)}${like(args.like)}`);
}

export function listMethods(context: ToolContext, args: { resource: string; extended?: boolean }): Promise<ToolAnswer> {
  return rowsOf(context, `SHOW ${args.extended ? 'EXTENDED ' : ''}METHODS IN ${name(args.resource, 3)}`);
}

export function describe(context: ToolContext, args: { resource?: string; method?: string; extended?: boolean }): Promise<ToolAnswer> {
  if (args.method) return rowsOf(context, `DESCRIBE METHOD ${name(args.method, 4)}`);
  if (!args.resource)
    throw new EngineError('CFG_INVALID', 'describe needs a resource (provider.service.resource) or a method (provider.service.resource.method)');
  return rowsOf(context, `DESCRIBE ${args.extended ? 'EXTENDED ' : ''}${name(args.resource, 3)}`);
}

/** A dry run: the exact requests each statement would send, sending nothing and needing no credentials. */
export function validate(context: ToolContext, args: { statement: string; vars?: TemplateVars }): ToolAnswer {
  const planned = context.engine.plan(args.statement, { vars: args.vars ?? {} });
  const statements = planned.map((entry) => {
    const requests = plannedRequests(entry.plan).map((request) => JSON.parse(renderRequestLine(request)) as unknown);
    const registry = entry.plan.kind === 'registry_add' ? (JSON.parse(renderRegistryAddLine(entry.plan)) as unknown) : undefined;
    return {
      kind: entry.kind,
      statement: entry.statement,
      requests,
      ...(registry ? { registry } : {}),
      ...(entry.plan.kind === 'local' ? { answeredLocally: true } : {}),
    };
  });
  return { json: { valid: true, statements }, requests: statements.reduce((sum, entry) => sum + entry.requests.length, 0) };
}

/** SELECT, SHOW or DESCRIBE: one statement, its rows (at most maxRows). */
export async function query(context: ToolContext, args: { statement: string; vars?: TemplateVars; maxRows?: number }): Promise<ToolAnswer> {
  // What the statements are decides, before any of their values is checked.
  const kinds = parseScript(args.statement).map((parsed) => parsed.statement.kind);
  const refused = kinds.find((kind) => !READ_KINDS.includes(kind));
  if (refused) {
    throw new EngineError('SERVER_READ_ONLY', `the query tool runs SELECT, SHOW and DESCRIBE only, not ${refused.toUpperCase().replace('_', ' ')}`, {
      hint: context.allowMutations
        ? 'use the execute tool for statements that change resources'
        : 'this MCP server does not change resources; start it with --allow-mutations to offer the execute tool',
    });
  }
  return run(context, args.statement, args.vars, args.maxRows, true);
}

/** Any statement, mutations included (only offered with --allow-mutations). */
export async function execute(context: ToolContext, args: { statement: string; vars?: TemplateVars; maxRows?: number }): Promise<ToolAnswer> {
  if (!context.allowMutations)
    throw new EngineError('SERVER_READ_ONLY', 'this MCP server does not change resources', { hint: 'start it with --allow-mutations' });
  return run(context, args.statement, args.vars, args.maxRows);
}

async function run(context: ToolContext, statement: string, vars: TemplateVars | undefined, maxRows = DEFAULT_MAX_ROWS, readOnly = false): Promise<ToolAnswer> {
  const limit = Math.max(0, Math.floor(maxRows));
  const rows: Row[] = [];
  // What the CLI prints on stderr (a 404 read as no rows, a page limit; a default time window or
  // subscription the rows come from): the agent reads it with the rows, on every call.
  const warnings: string[] = [];
  const notices: string[] = [];
  let total = 0;
  const signals = [context.signal, context.statementTimeoutMs > 0 ? AbortSignal.timeout(context.statementTimeoutMs) : undefined].filter(
    (signal): signal is AbortSignal => signal !== undefined,
  );
  const result = await context.engine.query(statement, {
    vars: vars ?? {},
    readOnly,
    signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
    onWarning: (message) => warnings.push(message),
    onNotice: (message) => notices.push(message),
    onRows: (_columns, batch) => {
      total += batch.length;
      for (const row of batch) if (rows.length < limit) rows.push(row);
    },
  });
  if (!result.streamed) {
    total = result.rows.length;
    rows.push(...result.rows.slice(0, limit));
  }
  const json = {
    kind: result.kind,
    columns: result.columns,
    rows,
    rowCount: total,
    ...(total > rows.length ? { truncated: true, note: `${total - rows.length} more rows were not returned (maxRows ${limit})` } : {}),
    ...(result.returnsRows ? {} : { requestsSent: result.requests }),
    ...(result.pending?.length ? { pending: result.pending } : {}),
    ...(warnings.length ? { warnings } : {}),
    ...(notices.length ? { notices } : {}),
  };
  return { json, requests: result.requests };
}

async function rowsOf(context: ToolContext, statement: string): Promise<ToolAnswer> {
  return run(context, statement, {}, Number.MAX_SAFE_INTEGER);
}

/** A dotted name of exactly `parts` parts, as SQL text. */
function name(value: string, parts: number): string {
  if (!NAME.test(value) || value.split('.').length !== parts) {
    const shape = ['provider', 'provider.service', 'provider.service.resource', 'provider.service.resource.method'][parts - 1];
    throw new EngineError('CFG_INVALID', `expected a name of the form ${shape}`, { details: { given: value.slice(0, 200) } });
  }
  return value;
}

function like(pattern: string | undefined): string {
  return pattern === undefined || pattern === '' ? '' : ` LIKE '${pattern.replaceAll("'", "''")}'`;
}

/** An error as the tool's answer: code, message, hint. */
export function errorJson(error: unknown): { code: string; message: string; hint: string } {
  const engineError = toEngineError(error);
  return { code: engineError.code, message: engineError.message, hint: engineError.hint };
}
