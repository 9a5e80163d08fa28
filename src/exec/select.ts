// Runs a SELECT plan: fetches every source (independent ones concurrently, dependent ones once
// per distinct value of the column they join on), materialises the rows into SQLite tables,
// and runs the local query. Streamable statements run page by page instead.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { dependentRequest } from '../plan/dependent.ts';
import { EngineError } from '../errors.ts';
import { checkRequestCount } from '../plan/fan-out.ts';
import { localQueryCancelled, localSqlError } from '../plan/local-check.ts';
import type { Row, SqlValue } from '../plan/types.ts';
import type { ValueType } from '../registry/types.ts';
import type { SelectStatementPlan, SourceDependency, SourcePlan, SourceRequest } from '../plan/types-select.ts';
import { executeAggregate } from './aggregate.ts';
import { pageRows, type RowLayout } from './row-layout.ts';
import { runConcurrently } from './concurrency.ts';
import { storedRows } from './stored-views.ts';
import type { ExecDeps } from './execute.ts';
import type { LocalWorker } from './local-worker.ts';
import { LocalWorkers } from './local-workers.ts';
import { sourceOnlyPage, sourcePages } from './pages.ts';
import { createLocalTable, openLocalDatabase, prepareInsert, queryRows, quoteIdentifier, sqliteValue, type RowInserter } from './sqlite.ts';
import { uniqueColumnNames } from '../util/column-names.ts';

export interface SelectResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** By column, the type of the response field it comes straight from (undefined for an expression). */
  readonly columnTypes?: readonly (ValueType | undefined)[];
}

/**
 * Receives rows as they are ready; with it, rows are not kept in the result. It may return a
 * promise (e.g. until stdout drains): the next page waits for it. `columnTypes` as in SelectResult.
 */
export type RowSink = (columns: readonly string[], rows: readonly Row[], columnTypes?: readonly (ValueType | undefined)[]) => unknown;

// The paths a SELECT's rows take are chosen before any await: each async layer on the way costs
// a promise and a frame per statement, and a statement of one lookup is mostly such layers.
export function executeSelect(plan: SelectStatementPlan, deps: ExecDeps, sink?: RowSink): Promise<SelectResult> {
  if (plan.aggregate) return executeAggregate(plan, plan.aggregate, deps, sink);
  // A plain projection of one source is computed here, page by page: no database (opening one
  // with skyql's functions and a table costs ~0.3 ms, more than a page of rows).
  if (plan.streaming?.direct) return streamOrCollect(plan, deps.layouts.directPages(plan.sources[0], plan.streaming.direct), deps, sink);
  return executeOnDatabase(plan, deps, sink);
}

async function executeOnDatabase(plan: SelectStatementPlan, deps: ExecDeps, sink?: RowSink): Promise<SelectResult> {
  // A query that can run away runs on a thread a cancel can stop; started now, it starts while the rows are fetched.
  const threads = deps.localWorkers ?? new LocalWorkers();
  const worker = plan.query.cancellableText === undefined ? undefined : await threads.acquire();
  const db = openLocalDatabase();
  try {
    for (const source of plan.sources) createLocalTable(db, source.table, source.storedColumns, deps.layouts.affinities(source));
    if (plan.streaming) return await streamOrCollect(plan, sqlitePages(db, plan), deps, sink);
    await materialise(db, plan, deps);
    const result = worker ? await runOnWorker(worker, db, plan, deps.signal) : runQuery(db, plan, deps.signal);
    const columnTypes = typesOfQuery(db, plan);
    await sink?.(result.columns, result.rows, columnTypes);
    return { columns: result.columns, rows: sink ? [] : result.rows, columnTypes };
  } finally {
    db.close();
    if (worker) await threads.release(worker);
    if (!deps.localWorkers) await threads.close();
  }
}

async function materialise(db: DatabaseSync, plan: SelectStatementPlan, deps: ExecDeps): Promise<void> {
  const done = new Set<number>();
  const ready = (index: number) => {
    const dependency = plan.sources[index].dependency;
    return !dependency || dependency.sources.every((entry) => done.has(entry.source));
  };
  while (done.size < plan.sources.length) {
    const batch = plan.sources.map((_, index) => index).filter((index) => !done.has(index) && ready(index));
    const requests = batch.flatMap((index) => requestsFor(db, plan, index, deps).map((request) => ({ index, request })));
    const inserts = new Map(batch.map((index) => [index, prepareInsert(db, plan.sources[index].table, plan.sources[index].storedColumns)]));
    for (const index of batch) if (plan.sources[index].stored !== undefined) inserts.get(index)!.insert(storedRows(plan.sources[index], deps.storedViews));
    await runConcurrently(requests, deps.concurrency ?? 8, async ({ index, request }) => {
      const layout = deps.layouts.rowLayout(plan.sources[index], request);
      for await (const body of sourcePages(request.request, deps)) {
        const rows = pageRows(layout, request, body);
        if (rows.length > 0) inserts.get(index)!.insert(rows);
      }
    });
    batch.forEach((index) => done.add(index));
  }
}

function requestsFor(db: DatabaseSync, plan: SelectStatementPlan, index: number, deps: ExecDeps): SourceRequest[] {
  const source = plan.sources[index];
  if (!source.dependency) return [...source.requests];
  const combinations = joinedValues(db, plan, source.dependency);
  checkRequestCount(combinations.length, source.operation, 'the join asks for');
  return combinations.map((values) => dependentRequest(source.dependency!, values, deps.requests));
}

/**
 * The distinct combinations of the joined params' values over the other sources' rows — those the
 * statement's joins between them put together, and its conditions on them keep; a row with a NULL
 * among them gives no request.
 */
function joinedValues(db: DatabaseSync, plan: SelectStatementPlan, dependency: SourceDependency): SqlValue[][] {
  const columns = dependency.params.map((joined, i) => `(${joined.value.text}) AS v${i}`).join(', ');
  const tables = dependency.sources.map((entry) => `${quoteIdentifier(plan.sources[entry.source].table)} AS ${quoteIdentifier(entry.alias)}`).join(', ');
  const filters = dependency.filters ?? [];
  const conditions = [
    ...dependency.links.map((link) => link.text),
    ...filters.map((filter) => `${quoteIdentifier(filter.alias)}.${quoteIdentifier(filter.column)} IN (${filter.values.map(() => '?').join(', ')})`),
  ];
  const statement = db.prepare(`SELECT DISTINCT ${columns} FROM ${tables}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`);
  statement.setReturnArrays(true);
  const bound = [
    ...dependency.params.flatMap((joined) => joined.value.params),
    ...dependency.links.flatMap((link) => link.params),
    ...filters.flatMap((filter) => filter.values),
  ];
  const rows = statement.all(...bound.map(sqliteValue)) as unknown as SqlValue[][];
  return rows.filter((row) => row.every((value) => value !== null));
}

/** The field types of the columns SQLite takes straight from a local table (it knows each column's origin). */
function typesOfQuery(db: DatabaseSync, plan: SelectStatementPlan): (ValueType | undefined)[] {
  return typesOfColumns(db.prepare(plan.query.text), plan.sources);
}

function typesOfColumns(statement: StatementSync, sources: readonly SourcePlan[]): (ValueType | undefined)[] {
  return statement.columns().map((column) => {
    const source = sources.find((candidate) => candidate.table === column.table);
    return source?.fields.find((field) => field.name === column.column)?.type;
  });
}

/** A query that cannot run away: its work is bounded by the rows fetched, so it runs here. */
function runQuery(db: DatabaseSync, plan: SelectStatementPlan, signal: AbortSignal | undefined): SelectResult {
  if (signal?.aborted) throw localQueryCancelled();
  try {
    return queryRows(db.prepare(plan.query.text), plan.query.params);
  } catch (error) {
    throw localSqlError(error, plan.sources);
  }
}

async function runOnWorker(worker: LocalWorker, db: DatabaseSync, plan: SelectStatementPlan, signal: AbortSignal | undefined): Promise<SelectResult> {
  try {
    return await worker.run(db, plan.query.cancellableText!, plan.query.params, signal);
  } catch (error) {
    throw error instanceof EngineError ? error : localSqlError(error, plan.sources);
  }
}

/** How a streaming SELECT turns each page's stored values into result rows, and the columns it gives. */
export interface PageQuery {
  readonly columns: readonly string[];
  readonly columnTypes: readonly (ValueType | undefined)[];
  /** A page's result rows: its response body, read by the request's layout. */
  rowsOf(body: unknown, layout: RowLayout, request: SourceRequest): Row[];
}

function sqlitePages(db: DatabaseSync, plan: SelectStatementPlan): PageQuery {
  const [source] = plan.sources;
  const statement = db.prepare(plan.query.text);
  const insert = prepareInsert(db, source.table, source.storedColumns);
  return {
    columns: uniqueColumnNames(statement.columns().map((column) => column.name)),
    columnTypes: typesOfColumns(statement, plan.sources),
    rowsOf: (body, layout, request) => queryPage(db, source, insert, statement, plan, pageRows(layout, request, body)),
  };
}

function streamOrCollect(plan: SelectStatementPlan, query: PageQuery, deps: ExecDeps, sink?: RowSink): Promise<SelectResult> {
  return sink ? streamSingleSource(plan, query, deps, sink) : collected(plan, query, deps);
}

async function collected(plan: SelectStatementPlan, query: PageQuery, deps: ExecDeps): Promise<SelectResult> {
  const rows: Row[] = [];
  const { columns, columnTypes } = await streamSingleSource(plan, query, deps, (_columns, batch) => rows.push(...batch));
  return { columns, rows, columnTypes };
}

/** One page through SQLite: insert, query, empty the table again. */
function queryPage(
  db: DatabaseSync,
  source: SourcePlan,
  insert: RowInserter,
  statement: StatementSync,
  plan: SelectStatementPlan,
  rows: readonly SqlValue[][],
): Row[] {
  if (rows.length > 0) insert.insert(rows);
  let page: Row[];
  try {
    page = queryRows(statement, plan.query.params).rows;
  } catch (error) {
    // A runtime error of the user's SQL (e.g. json_extract of malformed JSON), not a bug of skyql.
    throw localSqlError(error, plan.sources);
  }
  db.exec(`DELETE FROM ${quoteIdentifier(source.table)}`);
  return page;
}

/** One source, no joins or aggregates: each page is queried on its own, then dropped. */
function streamSingleSource(plan: SelectStatementPlan, query: PageQuery, deps: ExecDeps, sink: RowSink): Promise<SelectResult> {
  const { requests } = plan.sources[0];
  return requests.length === 1 && !requests[0].request.pagination
    ? streamOneAnswer(plan, query, requests[0], deps, sink)
    : streamPages(plan, query, deps, sink);
}

/** A source of one unpaged request (a GET of one resource): its one answer, in one small async frame. */
async function streamOneAnswer(plan: SelectStatementPlan, query: PageQuery, request: SourceRequest, deps: ExecDeps, sink: RowSink): Promise<SelectResult> {
  const body = await sourceOnlyPage(request.request, deps);
  const rows = new RowWindow(plan.streaming!).take(query.rowsOf(body, deps.layouts.rowLayout(plan.sources[0], request), request));
  await sink(query.columns, rows, query.columnTypes);
  return { columns: query.columns, rows: [], columnTypes: query.columnTypes };
}

async function streamPages(plan: SelectStatementPlan, query: PageQuery, deps: ExecDeps, sink: RowSink): Promise<SelectResult> {
  const [source] = plan.sources;
  const { columns, columnTypes } = query;
  const window = new RowWindow(plan.streaming!);
  for (const request of source.requests) {
    const layout = deps.layouts.rowLayout(source, request);
    if (!request.request.pagination) {
      // One answer: no async generator for it.
      const wanted = window.take(query.rowsOf(await sourceOnlyPage(request.request, deps), layout, request));
      if (wanted.length > 0) await sink(columns, wanted, columnTypes);
      if (window.full) return { columns, rows: [], columnTypes };
      continue;
    }
    for await (const body of sourcePages(request.request, deps)) {
      const wanted = window.take(query.rowsOf(body, layout, request));
      if (wanted.length > 0) await sink(columns, wanted, columnTypes);
      if (window.full) return { columns, rows: [], columnTypes };
    }
  }
  if (window.sent === 0) await sink(columns, [], columnTypes);
  return { columns, rows: [], columnTypes };
}

/** OFFSET and LIMIT over the pages of a stream: which rows of each page go out. */
class RowWindow {
  private readonly limit?: number;
  private readonly offset: number;
  private skipped = 0;
  sent = 0;

  constructor({ limit, offset }: { readonly limit?: number; readonly offset: number }) {
    this.limit = limit;
    this.offset = offset;
  }

  take(page: Row[]): Row[] {
    const skip = Math.min(this.offset - this.skipped, page.length);
    this.skipped += skip;
    const wanted =
      skip === 0 && (this.limit === undefined || page.length <= this.limit - this.sent)
        ? page
        : page.slice(skip, this.limit === undefined ? undefined : skip + this.limit - this.sent);
    this.sent += wanted.length;
    return wanted;
  }

  /** The LIMIT is reached: no more pages are read. */
  get full(): boolean {
    return this.limit !== undefined && this.sent >= this.limit;
  }
}
