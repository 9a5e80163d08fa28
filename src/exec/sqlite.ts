// node:sqlite (built into Node ≥ 22.13): the local engine for joins, aggregates and JSON over
// fetched rows. Values are always bound, never spliced into SQL text.

import { createRequire } from 'node:module';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Row, SqlValue } from '../plan/types.ts';

type SqliteModule = typeof import('node:sqlite');
let sqlite: SqliteModule | undefined;

export function openLocalDatabase(): DatabaseSync {
  sqlite ??= createRequire(import.meta.url)('node:sqlite') as SqliteModule;
  return new sqlite.DatabaseSync(':memory:');
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function createLocalTable(db: DatabaseSync, table: string, columns: readonly string[]): void {
  db.exec(`CREATE TABLE ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')})`);
}

/** Inserts rows (already bindable: no booleans) in one transaction with one prepared statement. */
export function insertLocalRows(db: DatabaseSync, insert: StatementSync, rows: readonly (readonly SqlValue[])[]): void {
  db.exec('BEGIN');
  try {
    for (const row of rows) insert.run(...(row as (string | number | null)[]));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export function prepareInsert(db: DatabaseSync, table: string, columns: readonly string[]): StatementSync {
  return db.prepare(`INSERT INTO ${quoteIdentifier(table)} VALUES (${columns.map(() => '?').join(', ')})`);
}

export function toBindable(value: SqlValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export function queryRows(statement: StatementSync, params: readonly SqlValue[]): { columns: string[]; rows: Row[] } {
  const columns = statement.columns().map((column) => column.name);
  const rows = statement.all(...params.map(toBindable)) as Record<string, SqlValue>[];
  return { columns, rows: rows.map(fromSqlite) };
}

function fromSqlite(row: Record<string, unknown>): Row {
  const out: Record<string, SqlValue> = {};
  for (const [name, value] of Object.entries(row)) out[name] = typeof value === 'bigint' ? Number(value) : (value as SqlValue);
  return out;
}
