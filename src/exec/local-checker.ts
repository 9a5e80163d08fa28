// The planner's LocalChecker, on SQLite: local queries are prepared over empty tables in a
// database made once, with one table per column list, so a new statement shape costs a prepare,
// not a database and its tables (most of the cost of a first check). Results are kept by text and
// table shapes, from a text's second check (most new statements come once: keeping each verdict
// only made garbage that lived long). The query with cancellation checks is prepared in a
// database of its own, the only one that has skyql_continue(): the statements users write are
// checked without it.

import type { DatabaseSync } from 'node:sqlite';
import type { CheckResult, CheckTable, LocalChecker } from '../plan/local-check.ts';
import { LOCAL_TABLE_PREFIX } from '../sql/ast.ts';
import { CONTINUE_FUNCTION } from '../sql/cancel-checks.ts';
import { BoundedCache, type CacheOwner, type CacheStats } from '../util/caches.ts';
import { createLocalTable, openLocalDatabase, quoteIdentifier, toBindable } from './sqlite.ts';
import type { SqlValue } from '../plan/types.ts';

const MAX_CHECK_TABLES = 500;
/** A query that prepared, its columns not read. */
const PREPARED: CheckResult = Object.freeze({});
const LOCAL_TABLE = new RegExp(`"?${LOCAL_TABLE_PREFIX}(\\d+)"?`, 'g');

class CheckDatabase {
  private db: DatabaseSync | undefined;
  private readonly tables = new Map<string, string>();
  /** By query text, then by the tables' signatures: what SQLite said. */
  readonly results: BoundedCache<string, Map<string, CheckResult>>;
  private readonly signatures = new WeakMap<readonly string[], { readonly table: string; readonly signature: string }>();
  private readonly setUp: (db: DatabaseSync) => void;

  constructor(name: string, setUp: (db: DatabaseSync) => void) {
    this.results = new BoundedCache(name, 500, { admitOnSecondSight: true });
    this.setUp = setUp;
  }

  prepare(text: string, sources: readonly CheckTable[], columns: boolean): CheckResult {
    const signature = sources.length === 1 ? this.signatureOf(sources[0]) : sources.map((source) => this.signatureOf(source)).join(';');
    const byTables = this.results.get(text);
    const known = byTables?.get(signature);
    // A query that prepared, checked without its columns, is prepared again when they are asked for.
    if (known && (known.error !== undefined || !columns || known.columns)) return known;
    const result = this.check(text, sources, columns);
    if (byTables) byTables.set(signature, result);
    else this.results.set(text, new Map([[signature, result]]));
    return result;
  }

  private check(text: string, sources: readonly CheckTable[], columns: boolean): CheckResult {
    const tables = this.tablesFor(sources);
    try {
      const statement = this.db!.prepare(onCheckTables(text, tables));
      return columns ? { columns: statement.columns().map((column) => column.name) } : PREPARED;
    } catch (error) {
      return { error: withSourceTables(error, sources, tables) };
    }
  }

  /**
   * A table's name and columns as text, made once per column list: a statement of a known shape
   * brings the same list (the planner's), so its check is found without joining every column again.
   */
  private signatureOf(source: CheckTable): string {
    const known = this.signatures.get(source.columns);
    if (known?.table === source.table) return known.signature;
    const signature = `${source.table}(${source.columns.join(',')})`;
    this.signatures.set(source.columns, { table: source.table, signature });
    return signature;
  }

  /** The value of `SELECT (text)` with its params: the first column of the one row. */
  evaluate(text: string, params: readonly SqlValue[]): SqlValue {
    this.tablesFor([]);
    const statement = this.db!.prepare(`SELECT (${text})`);
    statement.setReadBigInts(true);
    const row = statement.get(...params.map(toBindable)) as Record<string, unknown>;
    return expressionValue(Object.values(row)[0]);
  }

  /** Indexes of the rows that pass `WHERE condition` (one `?` per column, then the condition's). */
  filterRows(rows: readonly Readonly<Record<string, SqlValue>>[], columns: readonly string[], condition: string, params: readonly SqlValue[]): number[] {
    this.tablesFor([]);
    const projection = columns.length === 0 ? 'NULL' : columns.map((column) => `? AS ${quoteIdentifier(column)}`).join(', ');
    const statement = this.db!.prepare(`SELECT 1 FROM (SELECT ${projection}) WHERE (${condition})`);
    const bound = params.map(toBindable);
    const kept: number[] = [];
    rows.forEach((row, i) => {
      if (statement.get(...columns.map((column) => toBindable(row[column] ?? null)), ...bound) !== undefined) kept.push(i);
    });
    return kept;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.tables.clear();
    this.results.clear();
  }

  /** For each source, the check table with its columns. */
  private tablesFor(sources: readonly CheckTable[]): string[] {
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

export class SqliteChecker implements LocalChecker, CacheOwner {
  private readonly plain = new CheckDatabase('check.local-queries', () => {});
  private readonly cancellable = new CheckDatabase('check.cancellable-queries', (db) =>
    db.function(CONTINUE_FUNCTION, { deterministic: false, varargs: true }, () => 1),
  );

  prepare(text: string, tables: readonly CheckTable[], options: { readonly withCancellation?: boolean; readonly columns?: boolean } = {}): CheckResult {
    return (options.withCancellation ? this.cancellable : this.plain).prepare(text, tables, options.columns === true);
  }

  evaluate(text: string, params: readonly SqlValue[]): SqlValue {
    return this.plain.evaluate(text, params);
  }

  filterRows(rows: readonly Readonly<Record<string, SqlValue>>[], columns: readonly string[], condition: string, params: readonly SqlValue[]): number[] {
    return this.plain.filterRows(rows, columns, condition, params);
  }

  stats(): CacheStats[] {
    return [this.plain.results.stats(), this.cancellable.results.stats()];
  }

  clear(): void {
    this.close();
  }

  /** Closes the databases; the next check opens them again. */
  close(): void {
    this.plain.close();
    this.cancellable.close();
  }
}

/** An INTEGER beyond JavaScript's safe integers stays exact, as its digits. */
function expressionValue(value: unknown): SqlValue {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Uint8Array) throw new Error('the expression returns a BLOB, which is not a value a request can carry');
  return value as SqlValue;
}

/** The local query with its tables (`"__skyql_0"`, …) renamed to the check tables. */
function onCheckTables(text: string, tables: readonly string[]): string {
  return text.replace(LOCAL_TABLE, (whole, index: string) => (tables[Number(index)] === undefined ? whole : `"${tables[Number(index)]}"`));
}

/** SQLite's error, naming the statement's tables rather than the check tables. */
function withSourceTables(error: unknown, sources: readonly CheckTable[], tables: readonly string[]): unknown {
  const message = (error as Error)?.message;
  if (typeof message !== 'string') return error;
  let named = message;
  tables.forEach((table, i) => {
    named = named.split(table).join(sources[i].table);
  });
  return named === message ? error : Object.assign(new Error(named), { code: (error as { code?: unknown }).code });
}
