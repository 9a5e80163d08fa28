// Runs a SELECT plan: fetches every source (independent ones concurrently, dependent ones once
// per distinct value of the column they join on), materialises the rows into SQLite tables,
// and runs the local query. Streamable statements run page by page instead.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { dependentRequest } from '../plan/dependent.ts';
import { EngineError } from '../errors.ts';
import { checkRequestCount } from '../plan/fan-out.ts';
import { paramsFromId } from '../plan/id-params.ts';
import { localQueryCancelled, localSqlError } from '../plan/local-check.ts';
import type { Row, SqlValue } from '../plan/types.ts';
import type { DirectPlan, SelectStatementPlan, SourcePlan, SourceRequest } from '../plan/types-select.ts';
import { executeAggregate } from './aggregate.ts';
import { runConcurrently } from './concurrency.ts';
import type { ExecDeps } from './execute.ts';
import type { LocalWorker } from './local-worker.ts';
import { pages } from './pages.ts';
import { responseItems, toSqlValue } from './responses.ts';
import { createLocalTable, openLocalDatabase, prepareInsert, queryRows, quoteIdentifier, toBindable, type RowInserter } from './sqlite.ts';

export interface SelectResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** Receives rows as they are ready; with it, rows are not kept in the result. */
/** It may return a promise (e.g. until stdout drains): the next page waits for it. */
export type RowSink = (columns: readonly string[], rows: readonly Row[]) => unknown;

export async function executeSelect(plan: SelectStatementPlan, deps: ExecDeps, sink?: RowSink): Promise<SelectResult> {
  if (plan.aggregate) return executeAggregate(plan, plan.aggregate, deps, sink);
  // A query that can run away runs on a thread a cancel can stop; started now, it starts while the rows are fetched.
  const worker = plan.query.cancellableText === undefined ? undefined : (await import('./local-worker.ts')).startLocalWorker();
  const db = openLocalDatabase();
  try {
    for (const source of plan.sources) createLocalTable(db, source.table, source.storedColumns);
    if (plan.streaming) return await streamOrCollect(db, plan, deps, sink);
    await materialise(db, plan, deps);
    const result = worker ? await runOnWorker(worker, db, plan, deps.signal) : runQuery(db, plan, deps.signal);
    await sink?.(result.columns, result.rows);
    return sink ? { columns: result.columns, rows: [] } : result;
  } finally {
    db.close();
    await worker?.close();
  }
}

async function materialise(db: DatabaseSync, plan: SelectStatementPlan, deps: ExecDeps): Promise<void> {
  const done = new Set<number>();
  const ready = (index: number) => { const dependency = plan.sources[index].dependency; return !dependency || done.has(dependency.source); };
  while (done.size < plan.sources.length) {
    const batch = plan.sources.map((_, index) => index).filter((index) => !done.has(index) && ready(index));
    const requests = batch.flatMap((index) => requestsFor(db, plan, index).map((request) => ({ index, request })));
    const inserts = new Map(batch.map((index) => [index, prepareInsert(db, plan.sources[index].table, plan.sources[index].storedColumns)]));
    await runConcurrently(requests, deps.concurrency ?? 8, async ({ index, request }) => {
      for await (const rows of sourcePages(plan.sources[index], request, deps)) if (rows.length > 0) inserts.get(index)!.insert(rows);
    });
    batch.forEach((index) => done.add(index));
  }
}

function requestsFor(db: DatabaseSync, plan: SelectStatementPlan, index: number): SourceRequest[] {
  const source = plan.sources[index];
  if (!source.dependency) return [...source.requests];
  const from = plan.sources[source.dependency.source];
  const values = db.prepare(`SELECT DISTINCT ${quoteIdentifier(source.dependency.column)} AS v FROM ${quoteIdentifier(from.table)} WHERE v IS NOT NULL`).all() as { v: SqlValue }[];
  checkRequestCount(values.length, source.operation, 'the join asks for');
  return values.map(({ v }) => dependentRequest(source.dependency!, v));
}

/** Each page's rows as the local table's stored values: fields (objects as JSON text, booleans 1/0), then params. */
async function* sourcePages(source: SourcePlan, request: SourceRequest, deps: ExecDeps): AsyncGenerator<SqlValue[][]> {
  const names = source.storedFields.map((at) => source.fields[at].name);
  const params = source.paramColumns.map((column) => toBindable(request.paramValues[column] ?? null));
  const fromId = source.idColumns;
  const width = names.length + params.length + (fromId?.columns.length ?? 0);
  for await (const body of pages(request.request, deps)) {
    const items = responseItems(body, request.request);
    const rows: SqlValue[][] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = (items[i] ?? {}) as Record<string, unknown>;
      const values: SqlValue[] = new Array(width);
      for (let j = 0; j < names.length; j++) values[j] = toBindable(toSqlValue(item[names[j]]));
      for (let j = 0; j < params.length; j++) values[names.length + j] = params[j];
      if (fromId) {
        const parsed = paramsFromId(item[fromId.field], fromId.segments);
        for (let j = 0; j < fromId.columns.length; j++) values[names.length + params.length + j] = parsed?.[fromId.columns[j].param] ?? null;
      }
      rows[i] = values;
    }
    yield rows;
  }
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

async function streamOrCollect(db: DatabaseSync, plan: SelectStatementPlan, deps: ExecDeps, sink?: RowSink): Promise<SelectResult> {
  if (sink) return streamSingleSource(db, plan, deps, sink);
  const rows: Row[] = [];
  const { columns } = await streamSingleSource(db, plan, deps, (_columns, batch) => rows.push(...batch));
  return { columns, rows };
}

/** One page through SQLite: insert, query, empty the table again. */
function queryPage(db: DatabaseSync, source: SourcePlan, insert: RowInserter, statement: StatementSync, plan: SelectStatementPlan, rows: readonly SqlValue[][]): Row[] {
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

/** A plain projection with equality filters, as SQLite would compute it (booleans as 1/0). */
function directRows(direct: DirectPlan, rows: readonly SqlValue[][]): Row[] {
  const out: Row[] = [];
  for (const row of rows) {
    if (!direct.filters.every((filter) => row[filter.index] !== null && filter.values.includes(row[filter.index]))) continue;
    const projected: Record<string, SqlValue> = {};
    for (const column of direct.columns) projected[column.name] = row[column.index];
    out.push(projected);
  }
  return out;
}

/** One source, no joins or aggregates: each page is queried on its own, then dropped. */
async function streamSingleSource(db: DatabaseSync, plan: SelectStatementPlan, deps: ExecDeps, sink: RowSink): Promise<SelectResult> {
  const [source] = plan.sources;
  const { limit, offset, direct } = plan.streaming!;
  const statement = direct ? undefined : db.prepare(plan.query.text);
  const columns = direct ? direct.columns.map((column) => column.name) : statement!.columns().map((column) => column.name);
  const insert = direct ? undefined : prepareInsert(db, source.table, source.storedColumns);
  let skipped = 0;
  let sent = 0;
  for (const request of source.requests) {
    for await (const rows of sourcePages(source, request, deps)) {
      const page = direct ? directRows(direct, rows) : queryPage(db, source, insert!, statement!, plan, rows);
      const skip = Math.min(offset - skipped, page.length);
      skipped += skip;
      const wanted = page.slice(skip, limit === undefined ? undefined : skip + limit - sent);
      sent += wanted.length;
      if (wanted.length > 0) await sink(columns, wanted);
      if (limit !== undefined && sent >= limit) return { columns, rows: [] };
    }
  }
  if (sent === 0) await sink(columns, []);
  return { columns, rows: [] };
}
