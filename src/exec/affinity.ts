// A local table declares each stored field's type, as StackQL's tables do (its SQLite mapping:
// integer → INTEGER, string/object/array → TEXT), so SQLite compares a column with a literal of
// another type by the column's type: `durationInMs > '60000'` and `durationInMs = '30000'` compare
// numbers (untyped, every text is greater than every number and the first is always true, the
// second never), and `batchSize = 100` matches the text '100'. `number` and `boolean` fields are
// NUMERIC (StackQL stores a number as TEXT, which orders 100 before 50: not copied). A value of
// another type than the spec says (a number sent as text) is stored as SQLite converts it.
// The paths that compute without SQLite (direct rows, aggregates) convert the same way, asking
// SQLite itself for any value that needs converting (SqliteAnswers.stored).

import type { SqlValue } from '../plan/types.ts';
import type { SourcePlan } from '../plan/types-select.ts';
import type { ValueType } from '../registry/types.ts';

export type Affinity = 'TEXT' | 'INTEGER' | 'NUMERIC';

const AFFINITY_OF_TYPE: Readonly<Record<ValueType, Affinity>> = {
  string: 'TEXT',
  object: 'TEXT',
  array: 'TEXT',
  integer: 'INTEGER',
  number: 'NUMERIC',
  boolean: 'NUMERIC',
};

/** A field's column type; none (SQLite's BLOB affinity: values kept as given) for a type the spec does not say. */
export function affinityOf(type: ValueType | undefined): Affinity | undefined {
  return type !== undefined && Object.hasOwn(AFFINITY_OF_TYPE, type) ? AFFINITY_OF_TYPE[type] : undefined;
}

/**
 * By stored column (SourcePlan.storedColumns): the stored fields' affinities (a materialized view's:
 * its columns' that came from a field); params, id parts and expressions have none.
 */
export function storedAffinities(source: SourcePlan): (Affinity | undefined)[] {
  if (source.stored !== undefined) {
    return source.storedColumns.map((column) => affinityOf(source.fields.find((field) => field.name === column)?.type));
  }
  return source.storedColumns.map((_, i) => (i < source.storedFields.length ? affinityOf(source.fields[source.storedFields[i]]?.type) : undefined));
}

/**
 * Whether SQLite may convert this value when storing it in (or comparing it with) a column of the
 * affinity: a number in a TEXT column; in a numeric one a text, or a whole REAL beyond 2^53 (SQLite
 * keeps a REAL that is a 64-bit integer as that INTEGER).
 */
export function needsConversion(value: unknown, affinity: Affinity | undefined): boolean {
  if (affinity === undefined || value === null) return false;
  if (affinity === 'TEXT') return typeof value === 'number' || typeof value === 'bigint';
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value));
}

/** Answers what a column of an affinity stores for a value (SQLite's conversion). */
export interface AffinityConverter {
  stored(value: string | number | bigint, affinity: Affinity): string | number | bigint;
}

/**
 * The value as a column of the affinity holds it, exactly (an INTEGER beyond 2^53 as a bigint):
 * unchanged when its type is the column's (the common case, no question asked).
 */
export function storedIn(value: string | number | null, affinity: Affinity | undefined, converter: AffinityConverter): string | number | bigint | null {
  if (value === null || !needsConversion(value, affinity)) return value;
  const stored = converter.stored(value, affinity!);
  return typeof stored === 'bigint' && Number.isSafeInteger(Number(stored)) ? Number(stored) : stored;
}

/** storedIn, an INTEGER beyond 2^53 as the nearest number (as rows hold it). */
export function inAffinity(value: SqlValue, affinity: Affinity | undefined, converter: AffinityConverter): SqlValue {
  if (typeof value === 'boolean') return value;
  const stored = storedIn(value, affinity, converter);
  return typeof stored === 'bigint' ? Number(stored) : stored;
}
