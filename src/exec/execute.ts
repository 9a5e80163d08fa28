// Runs a statement plan: sends each request with its token, follows pages, turns
// response bodies into rows, then filters and projects them.

import type { HttpStatementPlan, RequestPlan, Row, SqlValue } from '../plan/types.ts';
import type { TokenSource } from './auth.ts';
import type { HttpClient, HttpResponse } from './http.ts';
import { nextPageRequest, type PageRequest } from './paging.ts';
import { parseBody, responseItems, statusError, toRow } from './responses.ts';

export interface ExchangeRecord {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly durationMs: number;
  readonly requestId?: string;
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
}

export interface ResultSet {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export async function executeHttpPlan(plan: HttpStatementPlan, deps: ExecDeps): Promise<ResultSet> {
  const rows: Row[] = [];
  for (const request of plan.requests) {
    for await (const body of pages(request, deps)) {
      for (const item of responseItems(body, request.itemsPath)) {
        const row = toRow(item, plan.fields);
        if (passesFilters(row, plan)) rows.push(project(row, plan));
      }
    }
  }
  return { columns: plan.projection.map((column) => column.name), rows: plan.projection.length > 0 ? rows : [] };
}

async function* pages(plan: RequestPlan, deps: ExecDeps): AsyncGenerator<unknown> {
  let page: PageRequest | undefined = { url: plan.url, body: plan.body };
  for (let count = 1; page; count++) {
    const response = await send(plan, page, deps);
    const body = parseBody(response, { url: page.url, operation: plan.operation });
    yield body;
    page = nextPageRequest(plan, page, body);
    if (page && deps.maxPages && count >= deps.maxPages) {
      deps.onWarning?.(`${plan.operation}: stopped after ${count} page(s) (page limit ${deps.maxPages}); the result is incomplete`);
      return;
    }
  }
}

async function send(plan: RequestPlan, page: PageRequest, deps: ExecDeps): Promise<HttpResponse> {
  deps.signal?.throwIfAborted?.();
  // A service without an audience (an API added from a public OpenAPI document) takes no token.
  const authorization: Record<string, string> = plan.audience ? { authorization: `Bearer ${await deps.tokens(plan.provider).token(plan.audience, deps.signal)}` } : {};
  const started = performance.now();
  const response = await deps.http.send({
    method: plan.method,
    url: page.url,
    headers: { ...plan.headers, ...authorization },
    body: page.body,
    signal: deps.signal,
  });
  deps.onExchange?.({ method: plan.method, url: page.url, status: response.status, durationMs: performance.now() - started, requestId: response.headers['x-ms-request-id'] });
  // A 2xx the spec did not list (e.g. 204 for an empty DELETE) still means success.
  const success = plan.expectedStatus.includes(response.status) || (response.status >= 200 && response.status < 300);
  if (!success) throw statusError(response, plan, page.url);
  return response;
}

function passesFilters(row: Row, plan: HttpStatementPlan): boolean {
  return plan.filters.every((filter) => sameValue(row[filter.column], filter.value));
}

function sameValue(actual: SqlValue | undefined, expected: SqlValue): boolean {
  if (actual === null || actual === undefined || expected === null) return false;
  return String(actual) === String(expected);
}

function project(row: Row, plan: HttpStatementPlan): Row {
  const projected: Record<string, SqlValue> = {};
  for (const column of plan.projection) projected[column.name] = row[column.source] ?? null;
  return projected;
}
