// SQLite's value semantics in JavaScript, for the aggregates computed without it (aggregate.ts):
// what a fetched field is once stored in a column, what json_extract returns, how values compare,
// and sum()'s exact arithmetic. Cases rare enough not to be worth mirroring (json_extract on a
// column that holds text, text summed as a number) are asked of SQLite itself.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type Affinity, type AffinityConverter, storedIn } from './affinity.ts';
import { toSqlValue } from './responses.ts';
import { BoundedCache, type CacheOwner, type CacheStats } from '../util/caches.ts';
import { openLocalDatabase, sqliteValue, toBindable } from './sqlite.ts';

/** A value as SQLite holds it; bigint: an INTEGER beyond JavaScript's safe integers, or from SQLite. */
export type Value = Exact | WholeReal;
/** A value whose type is its JavaScript type (an aggregate's result, a group key). */
export type Exact = string | number | null | bigint;

/** A REAL with a whole value that SQLite returned (json_extract('5.0', '$')): sum() must not take it for an INTEGER. */
export class WholeReal {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** A field's value once stored in a local table column (as select.ts: pageRows stores it), text as SQLite holds it. */
export function columnValue(raw: unknown): string | number | null {
  const stored = toBindable(toSqlValue(raw));
  return typeof stored === 'string' ? wellFormed(stored) : stored;
}

/** json_extract(column, path) over the column's stored value (in the column's affinity); numbers are INTEGER when written as integers. */
export function jsonExtract(raw: unknown, path: readonly string[], pathText: string, answers: SqliteAnswers, affinity?: Affinity): Value {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw))
    return Array.isArray(raw)
      ? path.length === 0
        ? JSON.stringify(raw)
        : null
      : answers.jsonExtract(storedIn(columnValue(raw), affinity, answers) as string | number | null, pathText);
  let value: unknown = raw;
  for (const key of path) {
    if (!isObject(value) || !Object.hasOwn(value, key)) return null;
    value = value[key];
  }
  switch (typeof value) {
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    // SQLite decodes a lone surrogate's escape its own way.
    case 'string':
      return value.isWellFormed() ? value : answers.jsonExtract(JSON.stringify(raw), pathText);
    default:
      return value === null ? null : JSON.stringify(value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SQLite stores text as UTF-8: a lone surrogate becomes U+FFFD on the way in. */
function wellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** A number json_extract returns as INTEGER (written without fraction or exponent, within 64 bits). */
function isJsonInteger(value: number): boolean {
  return Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63;
}

/** The INTEGER SQLite reads from a JSON number: the digits JSON.stringify wrote, beyond 2^53 too. */
function jsonIntegerValue(value: number): number | bigint {
  return Number.isSafeInteger(value) ? value : BigInt(JSON.stringify(value));
}

const TYPE_ORDER = { object: 0, number: 1, bigint: 1, string: 2 } as Record<string, number>;

/** SQLite's order: NULL, then numbers, then text by code point (UTF-8 byte order). */
export function compareValues(a: Exact | boolean, b: Exact | boolean): number {
  const byType = TYPE_ORDER[typeof a] - TYPE_ORDER[typeof b];
  if (byType !== 0 || a === null) return byType;
  if (typeof a === 'string') return compareText(a, b as string);
  return compareNumbers(a as number | bigint, b as number | bigint);
}

/** Exactly, as SQLite compares INTEGER with REAL (a bigint is an INTEGER beyond 2^53). */
function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -compareNumbers(b, a);
  const real = b as number;
  if (!Number.isFinite(real)) return real > 0 ? -1 : 1;
  if (Number.isInteger(real)) return compareNumbers(a, BigInt(real));
  return (a as bigint) <= BigInt(Math.floor(real)) ? -1 : 1;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** UTF-16 units in code point order: surrogates (code points above U+FFFF) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const TWO_52 = 4503599627370496;

/**
 * sum(), total() and avg() as SQLite computes them (func.c): exact 64-bit integers until a
 * non-integer or an overflow, then Kahan-Babuska-Neumaier summation in doubles.
 */
export class SumState {
  count = 0;
  private readonly answers: SqliteAnswers;
  private approx = false;
  private overflow = false;
  private integer: number | bigint = 0;
  private sum = 0;
  private error = 0;

  constructor(answers: SqliteAnswers) {
    this.answers = answers;
  }

  /** A value of a column (whole numbers within 2^53 are INTEGER) or of json_extract (integers within 64 bits are). */
  add(value: Value, fromJson: boolean): void {
    if (value === null) return;
    if (value instanceof WholeReal) this.addReal(value.value);
    else if (typeof value === 'bigint') this.addInteger(value);
    else if (typeof value === 'number') {
      if (fromJson ? isJsonInteger(value) : Number.isSafeInteger(value)) this.addInteger(fromJson ? jsonIntegerValue(value) : value);
      else this.addReal(value);
    } else {
      const number = this.answers.textAsNumber(value);
      if (typeof number === 'bigint') this.addInteger(number);
      else this.addReal(number);
    }
  }

  private addInteger(value: number | bigint): void {
    this.count++;
    if (this.approx) return this.stepInt64(value);
    const next = addInt64(this.integer, value);
    if (next !== undefined) {
      this.integer = next;
      return;
    }
    this.overflow = true;
    this.init(this.integer);
    this.approx = true;
    this.stepInt64(value);
  }

  private addReal(value: number): void {
    this.count++;
    if (this.approx) {
      this.overflow = false;
    } else {
      this.init(this.integer);
      this.approx = true;
    }
    this.step(value);
  }

  private init(value: number | bigint): void {
    if (value <= -TWO_52 || value >= TWO_52) {
      const small = typeof value === 'bigint' ? value % 16384n : value % 16384;
      this.sum = Number(typeof value === 'bigint' ? value - (small as bigint) : value - (small as number));
      this.error = Number(small);
    } else {
      this.sum = Number(value);
      this.error = 0;
    }
  }

  private step(value: number): void {
    const s = this.sum;
    const t = s + value;
    if (Math.abs(s) > Math.abs(value)) this.error += s - t + value;
    else this.error += value - t + s;
    this.sum = t;
  }

  private stepInt64(value: number | bigint): void {
    if (value <= -TWO_52 || value >= TWO_52) {
      const big = BigInt(value);
      const small = big % 16384n;
      this.step(Number(big - small));
      this.step(Number(small));
    } else {
      this.step(Number(value));
    }
  }

  private real(): number {
    if (!this.approx) return Number(this.integer);
    return Number.isFinite(this.error) ? this.sum + this.error : this.sum;
  }

  sumResult(): Exact {
    if (this.count === 0) return null;
    if (!this.approx) return this.integer;
    if (this.overflow) throw Object.assign(new Error('integer overflow'), { code: 'ERR_SQLITE_ERROR' });
    return realResult(this.real());
  }

  totalResult(): Exact {
    return realResult(this.real());
  }

  avgResult(): Exact {
    return this.count === 0 ? null : realResult(this.real() / this.count);
  }
}

/** SQLite stores a NaN result as NULL. */
function realResult(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function addInt64(a: number | bigint, b: number | bigint): number | bigint | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum < I64_MIN || sum > I64_MAX) return undefined;
  return sum >= -(2n ** 53n) && sum <= 2n ** 53n ? Number(sum) : sum;
}

/**
 * Rare cases answered by SQLite itself (json_extract over text, what sum() makes of a text), on a
 * scratch database of the engine's: SQLite's answer, not a copy of it.
 */
export class SqliteAnswers implements CacheOwner, AffinityConverter {
  private db?: DatabaseSync;
  private extractStatement?: StatementSync;
  private numberStatement?: StatementSync;
  private storeStatement?: StatementSync;
  private readonly textNumbers = new BoundedCache<string, number | bigint>('exec.text-numbers', 4_096);
  private readonly numericTexts = new BoundedCache<string, string | number | bigint>('exec.numeric-texts', 4_096);
  private readonly numberTexts = new BoundedCache<number, string>('exec.number-texts', 4_096);

  /** A database for questions outside a statement's own tables. */
  database(): DatabaseSync {
    return (this.db ??= openLocalDatabase());
  }

  /** With its type: INTEGER results come back as bigint, whole REALs as WholeReal. */
  jsonExtract(stored: string | number | null, path: string): Value {
    this.extractStatement ??= this.statement('SELECT json_extract(?, ?) AS v');
    const value = (this.extractStatement.get(sqliteValue(stored), path) as { v: Exact }).v;
    return typeof value === 'number' && Number.isInteger(value) ? new WholeReal(value) : value;
  }

  /** What sum() adds for a text value: INTEGER (bigint) when it reads as one, else the REAL it reads as (0 for words). */
  textAsNumber(text: string): number | bigint {
    return this.textNumbers.getOrCompute(text, () => {
      this.numberStatement ??= this.statement('SELECT sum(v) AS v FROM (SELECT ? AS v)');
      return (this.numberStatement.get(text) as { v: number | bigint }).v;
    });
  }

  /**
   * What a column of the affinity stores for a value of another type: a text that reads as a
   * number becomes one in an INTEGER or NUMERIC column (`' 7 '` → 7, `'5.0'` → 5, `'abc'` stays),
   * a whole REAL within 64 bits becomes that INTEGER, a number in a TEXT column becomes SQLite's
   * text of it. Asked of SQLite: a row written to a
   * table with such columns, as it comes back.
   */
  stored(value: string | number | bigint, affinity: Affinity): string | number | bigint {
    if (typeof value === 'string') return affinity === 'TEXT' ? value : this.numericTexts.getOrCompute(value, () => this.store(value).numeric);
    if (affinity !== 'TEXT') return typeof value === 'number' && !Number.isSafeInteger(value) ? this.store(value).numeric : value;
    if (typeof value === 'bigint' || Number.isSafeInteger(value)) return String(value);
    return this.numberTexts.getOrCompute(value, () => this.store(value).text as string);
  }

  private store(value: string | number): { numeric: string | number | bigint; text: string | number | bigint } {
    this.storeStatement ??= this.storeTable();
    const row = this.storeStatement.get(value, value) as { numeric: string | number | bigint; text: string | number | bigint };
    return { numeric: row.numeric, text: row.text };
  }

  private storeTable(): StatementSync {
    this.database().exec('CREATE TEMP TABLE IF NOT EXISTS stored_as (numeric NUMERIC, text TEXT)');
    return this.statement('INSERT OR REPLACE INTO stored_as (rowid, numeric, text) VALUES (1, ?, ?) RETURNING numeric, text');
  }

  stats(): CacheStats[] {
    return [this.textNumbers.stats(), this.numericTexts.stats(), this.numberTexts.stats()];
  }

  clear(): void {
    this.textNumbers.clear();
    this.numericTexts.clear();
    this.numberTexts.clear();
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.extractStatement = undefined;
    this.numberStatement = undefined;
    this.storeStatement = undefined;
  }

  private statement(sql: string): StatementSync {
    const prepared = this.database().prepare(sql);
    prepared.setReadBigInts(true);
    return prepared;
  }
}
