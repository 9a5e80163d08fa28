// Checks the local query against the tables it will run on, before anything is sent: SQLite
// prepares the statement over empty tables, so unknown columns and SQL errors surface now. The
// query with cancellation checks is prepared in a database of its own, the one that has them.

import { EngineError, type SourceSpan } from '../errors.ts';
import type { DatabaseSync } from 'node:sqlite';
import { openLocalDatabase, createLocalTable } from '../exec/sqlite.ts';
import { LOCAL_TABLE_PREFIX } from '../sql/ast.ts';
import { CONTINUE_FUNCTION } from '../sql/cancel-checks.ts';
import type { SourcePlan } from './types-select.ts';

const CACHE_SIZE = 500;
const MAX_CHECK_TABLES = 500;

interface CheckResult {
  readonly columns?: string[];
  readonly error?: unknown;
}

/**
 * A database with one empty table per column list, made once, where local queries are prepared:
 * a new statement shape costs a prepare, not a database and its tables (most of the cost of a
 * first check). Results are kept by text and table shapes.
 */
class CheckDatabase {
  private db: DatabaseSync | undefined;
  private readonly tables = new Map<string, string>();
  private readonly results = new Map<string, CheckResult>();
  private readonly setUp: (db: DatabaseSync) => void;

  constructor(setUp: (db: DatabaseSync) => void) {
    this.setUp = setUp;
  }

  /** The columns the text returns, or SQLite's error. */
  prepare(text: string, sources: readonly SourcePlan[]): CheckResult {
    const key = `${text}\0${sources.map((source) => `${source.table}(${source.columns.join(',')})`).join(';')}`;
    let result = this.results.get(key);
    if (result) return result;
    const tables = this.tablesFor(sources);
    try {
      result = { columns: this.db!.prepare(onCheckTables(text, tables)).columns().map((column) => column.name) };
    } catch (error) {
      result = { error: withSourceTables(error, sources, tables) };
    }
    if (this.results.size >= CACHE_SIZE) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, result);
    return result;
  }

  /** For each source, the check table with its columns. */
  private tablesFor(sources: readonly SourcePlan[]): string[] {
    if (!this.db || this.tables.size + sources.length > MAX_CHECK_TABLES) {
      this.db?.close();
      this.db = openLocalDatabase();
      this.setUp(this.db);
      this.tables.clear();
    }
    return sources.map((source) => {
      const signature = source.columns.join('\0');
      let table = this.tables.get(signature);
      if (!table) {
        table = `${LOCAL_TABLE_PREFIX}check_${this.tables.size}`;
        createLocalTable(this.db!, table, source.columns);
        this.tables.set(signature, table);
      }
      return table;
    });
  }
}

const checks = new CheckDatabase(() => {});
// The only database with skyql_continue(): the statements users write are checked without it.
const cancellableChecks = new CheckDatabase((db) => db.function(CONTINUE_FUNCTION, { deterministic: false, varargs: true }, () => 1));

/** `locate` finds a name in the statement the user wrote, for the error's position. */
export function checkLocalQuery(text: string, sources: readonly SourcePlan[], locate?: (name: string) => SourceSpan | undefined): void {
  const result = checks.prepare(text, sources);
  if (result.error !== undefined) throw localSqlError(result.error, sources, locate);
}

/** The names of the columns the local query returns. */
export function localColumnNames(text: string, sources: readonly SourcePlan[]): string[] {
  const result = checks.prepare(text, sources);
  if (result.error !== undefined) throw localSqlError(result.error, sources);
  return result.columns!;
}

/** The first of the texts with cancellation checks (sql/cancel-checks.ts) that SQLite prepares; the last always should. */
export function preparedCancellableText(texts: readonly string[], sources: readonly SourcePlan[]): string {
  const prepared = texts.find((text) => cancellableChecks.prepare(text, sources).error === undefined);
  if (prepared !== undefined) return prepared;
  const { error } = cancellableChecks.prepare(texts[texts.length - 1], sources);
  throw new EngineError('INTERNAL_INVARIANT', `the local query with its cancellation checks does not prepare: ${(error as Error).message}`, { cause: error });
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
