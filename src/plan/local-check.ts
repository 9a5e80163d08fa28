// Checks the local query against the tables it will run on, before anything is sent: SQLite
// prepares the statement over empty tables, so unknown columns and SQL errors surface now.

import { EngineError, type SourceSpan } from '../errors.ts';
import { openLocalDatabase, createLocalTable } from '../exec/sqlite.ts';
import type { SourcePlan } from './types-select.ts';

const CACHE_SIZE = 500;
/** Checked queries by text and table shapes: the columns they return, or SQLite's error. */
const checked = new Map<string, { columns?: string[]; error?: unknown }>();

/** `locate` finds a name in the statement the user wrote, for the error's position. */
export function checkLocalQuery(text: string, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): void {
  const result = prepareOnEmptyTables(text, sources);
  if (result.error !== undefined) throw localSqlError(result.error, sources, locate);
}

/** The names of the columns the local query returns. */
export function localColumnNames(text: string, sources: readonly SourcePlan[]): string[] {
  const result = prepareOnEmptyTables(text, sources);
  if (result.error !== undefined) throw localSqlError(result.error, sources);
  return result.columns!;
}

function prepareOnEmptyTables(text: string, sources: readonly SourcePlan[]): { columns?: string[]; error?: unknown } {
  const key = `${text}\0${sources.map((source) => `${source.table}(${source.columns.join(',')})`).join(';')}`;
  let result = checked.get(key);
  if (result) return result;
  const db = openLocalDatabase();
  try {
    for (const source of sources) createLocalTable(db, source.table, source.columns);
    result = { columns: db.prepare(text).columns().map((column) => column.name) };
  } catch (error) {
    result = { error };
  } finally {
    db.close();
  }
  if (checked.size >= CACHE_SIZE) checked.delete(checked.keys().next().value!);
  checked.set(key, result);
  return result;
}

export function localSqlError(error: unknown, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): EngineError {
  const message = (error as Error).message ?? String(error);
  const column = /no such column: "?([^"\s]+)"?/.exec(message)?.[1];
  if (column) {
    const hint = sources.map((source) => `${source.operation}: ${source.columns.join(', ')}`).join('; ');
    const name = column.split('.').at(-1)!;
    return new EngineError('PLAN_UNKNOWN_COLUMN', `no column "${column}" in the resources this SELECT reads`, { hint: `columns: ${hint}`, span: locate?.(name) });
  }
  const tableNames = new Map(sources.map((source) => [source.table, source.operation]));
  const readable = message.replace(/"?__skyql_\d+"?/g, (name) => tableNames.get(name.replace(/"/g, '')) ?? name);
  return new EngineError('SQL_LOCAL', `SQLite: ${readable}`, { cause: error });
}

