// Runs an INSERT or EXEC plan: sends each request with its token, follows pages, turns
// response bodies into rows, then projects them (INSERT … RETURNING, EXEC).

import type { HttpStatementPlan, RequestPlan, Row, SqlValue } from '../plan/types.ts';
import type { TokenSource } from './auth.ts';
import type { HttpClient } from './http.ts';
import { pages } from './pages.ts';
import { responseItems, toRow } from './responses.ts';

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
  /** Requests in flight at once for fan-out and joins. */
  readonly concurrency?: number;
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
        rows.push(project(row, plan));
      }
    }
  }
  return { columns: plan.projection.map((column) => column.name), rows: plan.projection.length > 0 ? rows : [] };
}

function project(row: Row, plan: HttpStatementPlan): Row {
  const projected: Record<string, SqlValue> = {};
  for (const column of plan.projection) projected[column.name] = row[column.source] ?? null;
  return projected;
}
