// Checks the local query against the tables it will run on, before anything is sent: SQLite
// prepares the statement over empty tables, so unknown columns and SQL errors surface now.

import { EngineError, type SourceSpan } from '../errors.ts';
import type { DatabaseSync } from 'node:sqlite';
import { openLocalDatabase, createLocalTable } from '../exec/sqlite.ts';
import { LOCAL_TABLE_PREFIX } from '../sql/ast.ts';
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
  const tables = checkTables(sources);
  try {
    result = { columns: checkDatabase!.prepare(onCheckTables(text, tables)).columns().map((column) => column.name) };
  } catch (error) {
    result = { error: withSourceTables(error, sources, tables) };
  }
  if (checked.size >= CACHE_SIZE) checked.delete(checked.keys().next().value!);
  checked.set(key, result);
  return result;
}

// One database for every check, with one empty table per column list, made once: a new statement
// shape costs a prepare, not a database and its tables (most of the cost of a first check).
const MAX_CHECK_TABLES = 500;
let checkDatabase: DatabaseSync | undefined;
const checkTableNames = new Map<string, string>();

/** For each source, the check table with its columns. */
function checkTables(sources: readonly SourcePlan[]): string[] {
  if (!checkDatabase || checkTableNames.size + sources.length > MAX_CHECK_TABLES) {
    checkDatabase?.close();
    checkDatabase = openLocalDatabase();
    checkTableNames.clear();
  }
  return sources.map((source) => {
    const signature = source.columns.join('\0');
    let table = checkTableNames.get(signature);
    if (!table) {
      table = `${LOCAL_TABLE_PREFIX}check_${checkTableNames.size}`;
      createLocalTable(checkDatabase!, table, source.columns);
      checkTableNames.set(signature, table);
    }
    return table;
  });
}

/** The local query with its tables (`"__skyql_0"`, …) renamed to the check tables. */
function onCheckTables(text: string, tables: readonly string[]): string {
  return text.replace(LOCAL_TABLE, (whole, index: string) => (tables[Number(index)] === undefined ? whole : `"${tables[Number(index)]}"`));
}

/** SQLite's error, naming the statement's tables rather than the check tables. */
function withSourceTables(error: unknown, sources: readonly SourcePlan[], tables: readonly string[]): unknown {
  const message = (error as Error)?.message;
  if (typeof message !== 'string') return error;
  let named = message;
  tables.forEach((table, i) => { named = named.split(table).join(sources[i].table); });
  return named === message ? error : Object.assign(new Error(named), { code: (error as { code?: unknown }).code });
}

const LOCAL_TABLE = new RegExp(`"?${LOCAL_TABLE_PREFIX}(\\d+)"?`, 'g');

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

export function localQueryCancelled(): EngineError {
  return new EngineError('SQL_LOCAL_CANCELLED', 'cancelled while SQLite ran the local query');
}
