// Checks the local query against the tables it will run on, before anything is sent: SQLite
// prepares the statement over empty tables, so unknown columns and SQL errors surface now.

import { EngineError, type SourceSpan } from '../errors.ts';
import { openLocalDatabase, createLocalTable } from '../exec/sqlite.ts';
import type { SourcePlan } from './types-select.ts';

/** `locate` finds a name in the statement the user wrote, for the error's position. */
export function checkLocalQuery(text: string, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): void {
  const db = openLocalDatabase();
  try {
    for (const source of sources) createLocalTable(db, source.table, source.columns);
    db.prepare(text);
  } catch (error) {
    throw localSqlError(error, sources, locate);
  } finally {
    db.close();
  }
}

export function localSqlError(error: unknown, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): EngineError {
  const message = (error as Error).message ?? String(error);
  const column = /no such column: (.+)$/.exec(message)?.[1];
  if (column) {
    const hint = sources.map((source) => `${source.operation}: ${source.columns.join(', ')}`).join('; ');
    const name = column.split('.').at(-1)!;
    return new EngineError('PLAN_UNKNOWN_COLUMN', `no column "${column}" in the resources this SELECT reads`, { hint: `columns: ${hint}`, span: locate?.(name) });
  }
  const tableNames = new Map(sources.map((source) => [source.table, source.operation]));
  const readable = message.replace(/"?__skyql_\d+"?/g, (name) => tableNames.get(name.replace(/"/g, '')) ?? name);
  return new EngineError('SQL_LOCAL', `SQLite: ${readable}`, { cause: error });
}

/** The names of the columns the local query returns. */
export function localColumnNames(text: string, sources: readonly SourcePlan[]): string[] {
  const db = openLocalDatabase();
  try {
    for (const source of sources) createLocalTable(db, source.table, source.columns);
    return db.prepare(text).columns().map((column) => column.name);
  } finally {
    db.close();
  }
}
