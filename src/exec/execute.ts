// Runs an INSERT or EXEC plan: sends each request with its token, follows pages, turns
// response bodies into rows, then projects them (INSERT … RETURNING, EXEC).

import { EngineError, toEngineError } from '../errors.ts';
import type { LocalWorkers } from './local-workers.ts';
import type { HttpStatementPlan, RequestPlan, Row, SqlValue } from '../plan/types.ts';
import type { RequestFactory } from '../plan/templates.ts';
import type { CredentialHosts } from '../registry/credential-hosts.ts';
import type { TokenSource } from './auth.ts';
import type { StoredViewRows } from './stored-views.ts';
import type { SqliteAnswers } from './sql-values.ts';
import type { HttpClient, HttpResponse } from './http.ts';
import { awaitOperation, lroStart } from './lro.ts';
import { pages } from './pages.ts';
import type { Clock, RateLimiter } from './rate-limit.ts';
import { returningRows } from './returning.ts';
import { redactUrl } from './redact.ts';
import { parseBody, responseItems, toRow } from './responses.ts';
import type { RetryOptions } from './retry.ts';
import { sendWithRetries } from './send.ts';
import type { SourceLayouts } from './source-layouts.ts';
import { ownValue, setOwn } from '../util/own-property.ts';

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
  /** Where each audience's tokens may go. */
  readonly hosts: CredentialHosts;
  /** SQLite's answers to the rare value questions of JavaScript aggregation (the engine's scratch database). */
  readonly answers: SqliteAnswers;
  /** What reading a reused plan's answers needs, kept (the engine's). */
  readonly layouts: SourceLayouts;
  /** Builds the requests of a plan's templates once fetched rows give their last values. */
  readonly requests: RequestFactory;
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
  /** The materialized views statements read (the engine's). */
  readonly storedViews?: StoredViewRows;
  /** The engine's threads for local queries that can run away; without them, each such query starts one and ends it. */
  readonly localWorkers?: LocalWorkers;
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

export function executeHttpPlan(plan: HttpStatementPlan, deps: ExecDeps): Promise<ResultSet> {
  const [first] = plan.requests;
  return plan.requests.length === 1 && !first.pagination ? executeOneRequest(plan, first, deps) : executeEachRequest(plan, deps);
}

/**
 * A statement of one unpaged request (an INSERT or EXEC of one row, the usual action): the same as
 * executeEachRequest, in an async frame a third of its size, for what the statement sends most.
 */
async function executeOneRequest(plan: HttpStatementPlan, request: RequestPlan, deps: ExecDeps): Promise<ResultSet> {
  const pending: PendingOperation[] = [];
  // The plan's request is its own first exchange (a retry sends the same).
  const response = await sendWithRetries(request, request, deps);
  const body = bodyOrOperation(response, request, plan.awaitCompletion, deps, pending);
  const answer = body instanceof Promise ? await body : body;
  const rows = plan.projection.length > 0 ? responseItems(answer, request).map((item) => toRow(item, plan.fields)) : [];
  return { ...resultOf(plan, rows), pending };
}

async function executeEachRequest(plan: HttpStatementPlan, deps: ExecDeps): Promise<ResultSet> {
  const { requests } = plan;
  const rows: Row[] = [];
  const pending: PendingOperation[] = [];
  // What each request did, for the report of a later one's failure (a statement of one request has none).
  const outcomes: RequestOutcome[] = [];
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index];
    const responseRows: Row[] = [];
    try {
      if (request.pagination) for await (const body of pages(request, deps)) collectRows(body, request, plan, responseRows);
      else {
        const response = await sendWithRetries(request, request, deps);
        const body = bodyOrOperation(response, request, plan.awaitCompletion, deps, pending);
        collectRows(body instanceof Promise ? await body : body, request, plan, responseRows);
      }
    } catch (error) {
      throw requests.length > 1 ? partialFailure(plan, index, outcomes, toEngineError(error)) : error;
    }
    // An action's response is kept for the report of a later failure; a list's pages are not.
    if (requests.length > 1) outcomes.push({ request, rows: request.pagination ? [] : responseRows });
    for (const row of responseRows) rows.push(row);
  }
  return { ...resultOf(plan, rows), pending };
}

/** The statement's result over its responses' rows (every field): the RETURNING columns, or none. */
function resultOf(plan: HttpStatementPlan, rows: readonly Row[]): { columns: readonly string[]; rows: Row[] } {
  if (plan.returning) return { columns: plan.returning.columns, rows: returningRows(plan.returning, rows) };
  return { columns: plan.projection.map((column) => column.name), rows: plan.projection.length > 0 ? rows.map((row) => project(row, plan)) : [] };
}

function collectRows(body: unknown, request: RequestPlan, plan: HttpStatementPlan, into: Row[]): void {
  for (const item of responseItems(body, request)) into.push(toRow(item, plan.fields));
}

interface RequestOutcome {
  readonly request: RequestPlan;
  /** The response's rows, all fields. */
  readonly rows: readonly Row[];
}

/** What each request of a statement that stopped part way did, for `details.partial`. */
export interface PartialOutcome {
  readonly total: number;
  readonly succeeded: number;
  /** 1-based, in statement order. */
  readonly requests: readonly {
    readonly number: number;
    readonly outcome: 'succeeded' | 'failed' | 'uncertain' | 'not sent';
    readonly method: string;
    readonly url: string;
    readonly rows?: readonly Row[];
  }[];
  /** The RETURNING columns and rows of the requests that succeeded (empty without RETURNING). */
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/**
 * A statement of several requests that failed at one of them: the error keeps its code and says
 * which requests succeeded (with what they returned, e.g. runIds), which failed or may or may not
 * have happened, and which were not sent — so that running it again does not repeat them blindly.
 */
function partialFailure(plan: HttpStatementPlan, failedAt: number, done: readonly RequestOutcome[], error: EngineError): EngineError {
  const uncertain = error.details?.uncertain === true;
  const total = plan.requests.length;
  const line = (request: RequestPlan, number: number, outcome: PartialOutcome['requests'][number]['outcome'], rows?: readonly Row[]) => ({
    number,
    outcome,
    method: request.method,
    url: redactUrl(request.url),
    ...(rows && { rows }),
  });
  const partial: PartialOutcome = {
    total,
    succeeded: done.length,
    requests: [
      ...done.map((outcome, i) => line(outcome.request, i + 1, 'succeeded', outcome.rows)),
      line(plan.requests[failedAt], failedAt + 1, uncertain ? 'uncertain' : 'failed'),
      ...plan.requests.slice(failedAt + 1).map((request, i) => line(request, failedAt + 2 + i, 'not sent')),
    ],
    ...returnedSoFar(plan, done),
  };
  const notSent = total - failedAt - 1;
  const summary = `request ${failedAt + 1} of ${total} ${uncertain ? 'may or may not have been carried out' : 'failed'}; ${done.length} succeeded before it${notSent > 0 ? `, ${notSent} not sent` : ''}`;
  return new EngineError(error.code, `${error.message} (${summary})`, {
    hint: error.hint,
    span: error.span,
    cause: error,
    details: { ...error.details, partial },
  });
}

/**
 * An unpaged response's body, or the final state of the operation it started (a promise only then:
 * the usual answer is read without another async layer).
 */
function bodyOrOperation(response: HttpResponse, request: RequestPlan, awaitCompletion: boolean, deps: ExecDeps, pending: PendingOperation[]): unknown {
  const start = lroStart(response);
  if (start && awaitCompletion) return awaitOperation(request, start, deps);
  if (start) pending.push({ operation: request.operation, statusUrl: redactUrl(start.statusUrl) });
  return parseBody(response, request);
}

/** What RETURNING gives for the requests that succeeded; a failure to compute it does not hide the statement's own error. */
function returnedSoFar(plan: HttpStatementPlan, done: readonly RequestOutcome[]): Pick<PartialOutcome, 'columns' | 'rows'> {
  try {
    return resultOf(
      plan,
      done.flatMap((outcome) => outcome.rows),
    );
  } catch {
    return { columns: plan.returning?.columns ?? [], rows: [] };
  }
}

function project(row: Row, plan: HttpStatementPlan): Row {
  const projected: Record<string, SqlValue> = {};
  for (const column of plan.projection) setOwn(projected, column.name, ownValue(row, column.source));
  return projected;
}
