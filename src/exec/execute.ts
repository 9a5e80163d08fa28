// Runs an INSERT or EXEC plan: sends each request with its token, follows pages, turns
// response bodies into rows, then projects them (INSERT … RETURNING, EXEC).

import type { HttpStatementPlan, RequestPlan, Row, SqlValue } from '../plan/types.ts';
import type { TokenSource } from './auth.ts';
import type { HttpClient } from './http.ts';
import { awaitOperation, lroStart } from './lro.ts';
import { pages } from './pages.ts';
import type { Clock, RateLimiter } from './rate-limit.ts';
import { redactUrl } from './redact.ts';
import { parseBody, responseItems, toRow } from './responses.ts';
import type { RetryOptions } from './retry.ts';
import { sendWithRetries } from './send.ts';

export interface ExchangeRecord {
  readonly method: string;
  readonly url: string;
  /** 0 when no response came (the error says why). */
  readonly status: number;
  readonly durationMs: number;
  readonly attempt: number;
  readonly requestId?: string;
  readonly error?: string;
}

export interface ExecDeps {
  readonly http: HttpClient;
  /** The token source for a provider's requests. */
  readonly tokens: (provider: string) => TokenSource;
  readonly signal?: AbortSignal;
  /** Stop after this many pages per request (0: no limit); the warning says when it cut a list. */
  readonly maxPages?: number;
  readonly onWarning?: (message: string) => void;
  readonly onExchange?: (record: ExchangeRecord) => void;
  /** Requests in flight at once for fan-out and joins. */
  readonly concurrency?: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryOptions;
  readonly limiter: RateLimiter;
  /** Poll interval for long-running operations when Azure gives no Retry-After. */
  readonly lroPollMs: number;
  readonly onProgress?: (message: string) => void;
}

/** A long-running operation a statement started and did not wait for. */
export interface PendingOperation {
  readonly operation: string;
  readonly statusUrl: string;
}

export interface ResultSet {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  readonly pending?: readonly PendingOperation[];
}

export async function executeHttpPlan(plan: HttpStatementPlan, deps: ExecDeps): Promise<ResultSet> {
  const rows: Row[] = [];
  const pending: PendingOperation[] = [];
  const collect = (body: unknown, request: RequestPlan) => {
    for (const item of responseItems(body, request.itemsPath)) rows.push(project(toRow(item, plan.fields), plan));
  };
  for (const request of plan.requests) {
    if (request.pagination) for await (const body of pages(request, deps)) collect(body, request);
    else collect(await singleBody(request, plan.awaitCompletion, deps, pending), request);
  }
  return { columns: plan.projection.map((column) => column.name), rows: plan.projection.length > 0 ? rows : [], pending };
}

/** The body of an unpaged request, or the final state of the operation it started. */
async function singleBody(request: RequestPlan, awaitCompletion: boolean, deps: ExecDeps, pending: PendingOperation[]): Promise<unknown> {
  const response = await sendWithRetries(request, { method: request.method, url: request.url, body: request.body }, deps);
  const start = lroStart(response);
  if (start && awaitCompletion) return awaitOperation(request, start, deps);
  if (start) pending.push({ operation: request.operation, statusUrl: redactUrl(start.statusUrl) });
  return parseBody(response, { url: request.url, operation: request.operation });
}

function project(row: Row, plan: HttpStatementPlan): Row {
  const projected: Record<string, SqlValue> = {};
  for (const column of plan.projection) projected[column.name] = row[column.source] ?? null;
  return projected;
}
