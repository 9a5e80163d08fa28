// Checks the local query against the tables it will run on, before anything is sent: a
// LocalChecker (SQLite, owned by the engine and given to the planner) prepares the statement over
// empty tables, so unknown columns and SQL errors surface now. The query with cancellation checks
// is prepared where the cancellation function exists.

import { EngineError, type SourceSpan } from '../errors.ts';
import type { SourcePlan } from './types-select.ts';
import type { SqlValue } from './types.ts';

/** A local table as the checker makes it: its name in the query, and its columns. */
export interface CheckTable {
  readonly table: string;
  readonly columns: readonly string[];
}

/** What SQLite said of a query: its error, or (when asked for) the names of the columns it returns. */
export interface CheckResult {
  readonly columns?: readonly string[];
  readonly error?: unknown;
}

/** Prepares local queries over empty tables: the columns they return, or SQLite's error. */
export interface LocalChecker {
  /**
   * SQLite's error for the query, if any; with `columns`, the names of the columns it returns too
   * (reading them costs a third of a check, and most checks need only the error).
   */
  prepare(text: string, tables: readonly CheckTable[], options?: { readonly withCancellation?: boolean; readonly columns?: boolean }): CheckResult;
  /** The value of an expression of constants (`json_object('a', ?)`), with its params; throws SQLite's error. */
  evaluate(text: string, params: readonly SqlValue[]): SqlValue;
  /** The rows for which a condition over their columns holds, as SQLite's WHERE decides; throws SQLite's error. */
  filterRows(rows: readonly Readonly<Record<string, SqlValue>>[], columns: readonly string[], condition: string, params: readonly SqlValue[]): number[];
}

/** `locate` finds a name in the statement the user wrote, for the error's position. */
export function checkLocalQuery(checker: LocalChecker, text: string, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): void {
  const result = checker.prepare(text, sources);
  if (result.error !== undefined) throw localSqlError(result.error, sources, locate);
}

/** The names of the columns the local query returns. */
export function localColumnNames(checker: LocalChecker, text: string, sources: readonly SourcePlan[]): readonly string[] {
  const result = checker.prepare(text, sources, { columns: true });
  if (result.error !== undefined) throw localSqlError(result.error, sources);
  return result.columns!;
}

/** The first of the texts with cancellation checks (sql/cancel-checks.ts) that SQLite prepares; the last always should. */
export function preparedCancellableText(checker: LocalChecker, texts: readonly string[], sources: readonly SourcePlan[]): string {
  const prepared = texts.find((text) => checker.prepare(text, sources, { withCancellation: true }).error === undefined);
  if (prepared !== undefined) return prepared;
  const { error } = checker.prepare(texts[texts.length - 1], sources, { withCancellation: true });
  throw new EngineError('INTERNAL_INVARIANT', `the local query with its cancellation checks does not prepare: ${(error as Error).message}`, { cause: error });
}

export function localSqlError(error: unknown, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): EngineError {
  const message = (error as Error).message ?? String(error);
  const column = /no such column: "?([^"\s]+)"?/.exec(message)?.[1];
  if (column) {
    const hint = sources.map((source) => `${source.operation}: ${source.columns.join(', ')}`).join('; ');
    const name = column.split('.').at(-1)!;
    return new EngineError('PLAN_UNKNOWN_COLUMN', `no column "${column}" in the resources this statement reads`, {
      hint: `columns: ${hint}`,
      span: locate?.(name),
    });
  }
  const tableNames = new Map(sources.map((source) => [source.table, source.operation]));
  const readable = message.replace(/"?__skyql_\d+"?/g, (name) => tableNames.get(name.replace(/"/g, '')) ?? name);
  return new EngineError('SQL_LOCAL', `SQLite: ${readable}`, { cause: error });
}

export function localQueryCancelled(): EngineError {
  return new EngineError('SQL_LOCAL_CANCELLED', 'cancelled while SQLite ran the local query');
}
