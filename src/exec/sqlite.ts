// node:sqlite (built into Node ≥ 22.13): the local engine for joins, aggregates and JSON over
// fetched rows. Values are always bound, never spliced into SQL text.

import { createRequire } from 'node:module';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Row, SqlValue } from '../plan/types.ts';
import type { Affinity } from './affinity.ts';
import { quoteIdentifier } from '../sql/identifiers.ts';
import { registerSqlFunctions } from './sql-functions.ts';
import { setOwn } from '../util/own-property.ts';
import { uniqueColumnNames } from '../util/column-names.ts';

type SqliteModule = typeof import('node:sqlite');

/** An in-memory database with skyql's functions (sql-functions.ts): every local database is one of these. */
export function openLocalDatabase(): DatabaseSync {
  // Required when first used (Node keeps the module): a CLI start that plans nothing local never loads it.
  const { DatabaseSync } = createRequire(import.meta.url)('node:sqlite') as SqliteModule;
  const db = new DatabaseSync(':memory:');
  registerSqlFunctions(db);
  return db;
}

export { quoteIdentifier };

/** A local table; a column with an affinity (affinity.ts) is declared with it, the others have none. */
export function createLocalTable(db: DatabaseSync, table: string, columns: readonly string[], affinities: readonly (Affinity | undefined)[] = []): void {
  const declared = columns.map((column, i) => (affinities[i] ? `${quoteIdentifier(column)} ${affinities[i]}` : quoteIdentifier(column)));
  db.exec(`CREATE TABLE ${quoteIdentifier(table)} (${declared.join(', ')})`);
}

/** Inserts rows (already bindable: no booleans) into one local table. */
export interface RowInserter {
  insert(rows: readonly (readonly SqlValue[])[]): void;
}

/** Rows per INSERT statement: one statement per page of an ARM list costs a sixth less than a row at a time. */
const ROWS_PER_STATEMENT = 100;
/** SQLite's limit on `?` in one statement (SQLITE_MAX_VARIABLE_NUMBER, since 3.32). */
const MAX_VARIABLES = 32_766;

/** Multi-row INSERTs in one transaction, prepared once per row count. */
export function prepareInsert(db: DatabaseSync, table: string, columns: readonly string[]): RowInserter {
  const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_VARIABLES / Math.max(1, columns.length))));
  const row = `(${columns.map(() => '?').join(', ')})`;
  const statements = new Map<number, StatementSync>();
  const statementFor = (count: number): StatementSync => {
    let statement = statements.get(count);
    if (!statement) statements.set(count, (statement = db.prepare(`INSERT INTO ${quoteIdentifier(table)} VALUES ${Array(count).fill(row).join(', ')}`)));
    return statement;
  };
  return {
    insert(rows) {
      db.exec('BEGIN');
      try {
        for (let start = 0; start < rows.length; start += perStatement) {
          const chunk = rows.slice(start, start + perStatement);
          statementFor(chunk.length).run(...chunk.flat().map(sqliteValue));
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

export function toBindable(value: SqlValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/**
 * The value as bound: node:sqlite binds every number as REAL, which would make `5 || ' ms'` read
 * '5.0 ms' and typeof() 'real'; a whole number goes in as INTEGER, as SQLite would have stored it.
 */
export function sqliteValue(value: SqlValue | bigint): string | number | bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  return typeof value === 'boolean' ? (value ? 1n : 0n) : value;
}

export type BoundValue = ReturnType<typeof sqliteValue>;

export function queryRows(statement: StatementSync, params: readonly SqlValue[]): { columns: readonly string[]; rows: Row[] } {
  const columns = uniqueColumnNames(statement.columns().map((column) => column.name));
  // Arrays: node:sqlite keys a row object by name, so of two columns of one name it keeps one.
  statement.setReturnArrays(true);
  return { columns, rows: rowsFromArrays(columns, allRows(statement, params.map(sqliteValue)) as unknown[][]) };
}

/**
 * The statement's rows (objects, or arrays after setReturnArrays). An INTEGER beyond 2^53 comes
 * back as a bigint (node:sqlite refuses it unless read as bigint), to be made the nearest number.
 */
export function allRows(statement: StatementSync, params: readonly BoundValue[]): unknown[] {
  try {
    return statement.all(...params);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_OUT_OF_RANGE') throw error;
    statement.setReadBigInts(true);
    try {
      return statement.all(...params);
    } finally {
      statement.setReadBigInts(false);
    }
  }
}

/** Rows read as arrays, as objects keyed by `columns` (unique names: uniqueColumnNames); INTEGERs beyond 2^53 as the nearest number. */
export function rowsFromArrays(columns: readonly string[], rows: readonly (readonly unknown[])[]): Row[] {
  return rows.map((values) => {
    const out: Record<string, SqlValue> = {};
    for (let i = 0; i < columns.length; i++) setOwn(out, columns[i], typeof values[i] === 'bigint' ? Number(values[i]) : (values[i] as SqlValue));
    return out;
  });
}
