// skyql's values as PostgreSQL types: which type a result column is declared with (from the
// registry's field types when the column is a field, else from its values), each value in the
// text or binary format of that type, and parameter values read back from a client.

import type { Row, SqlValue } from '../plan/types.ts';
import type { ValueType } from '../registry/types.ts';
import { constantSet } from '../util/caches.ts';
import type { FieldDescription, MessageWriter } from './wire-write.ts';

export const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 0,
  bpchar: 1042,
  varchar: 1043,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** The types result columns are declared with. */
export type ColumnType = 'text' | 'int8' | 'float8' | 'bool' | 'json';

const TYPE_OID: Readonly<Record<ColumnType, number>> = { text: OID.text, int8: OID.int8, float8: OID.float8, bool: OID.bool, json: OID.json };
const TYPE_SIZE: Readonly<Record<ColumnType, number>> = { text: -1, int8: 8, float8: 8, bool: 1, json: -1 };

const FROM_REGISTRY: Readonly<Record<ValueType, ColumnType>> = {
  string: 'text',
  integer: 'int8',
  number: 'float8',
  boolean: 'bool',
  object: 'json',
  array: 'json',
};

/** Whether a value can be sent as the type (null always can). */
const FITS: Readonly<Record<ColumnType, (value: SqlValue) => boolean>> = {
  text: () => true,
  int8: (value) => value === null || Number.isSafeInteger(value),
  float8: (value) => value === null || typeof value === 'number',
  // SQLite gives a boolean field back as 1 or 0.
  bool: (value) => value === null || typeof value === 'boolean' || value === 0 || value === 1,
  // Object and array fields arrive as JSON text; a scalar in such a field is not declared json.
  json: (value) => value === null || (typeof value === 'string' && (value.startsWith('{') || value.startsWith('['))),
};

/**
 * The column's type: the registry's when the column is a field of it and the values fit,
 * else what every value seen is (integers, numbers, booleans), else text.
 */
export function columnType(values: readonly SqlValue[], registryType?: ValueType): ColumnType {
  // Own keys only: a type a registry document names `constructor` is no type of this table.
  const declared = registryType !== undefined && Object.hasOwn(FROM_REGISTRY, registryType) ? FROM_REGISTRY[registryType] : undefined;
  if (declared && values.every(FITS[declared])) return declared;
  let seen: ColumnType | undefined;
  for (const value of values) {
    if (value === null) continue;
    const type = typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isSafeInteger(value) ? 'int8' : 'float8') : 'text';
    if (type === 'text') return 'text';
    if (seen === undefined || seen === type) seen = type;
    else if ((seen === 'int8' && type === 'float8') || (seen === 'float8' && type === 'int8')) seen = 'float8';
    else return 'text';
  }
  return seen ?? 'text';
}

export function fieldDescription(name: string, type: ColumnType, format: 0 | 1): FieldDescription {
  return { name, typeOid: TYPE_OID[type], typeSize: TYPE_SIZE[type], format };
}

export type CellWriter = (writer: MessageWriter, value: SqlValue) => void;

const NULL_CELL = -1;

/** Text format: what PostgreSQL's output functions print for the type. */
const TEXT_WRITERS: Readonly<Record<ColumnType, CellWriter>> = {
  text: (w, v) => (v === null ? w.int32(NULL_CELL) : w.sized(typeof v === 'string' ? v : String(v))),
  int8: (w, v) => (v === null ? w.int32(NULL_CELL) : Number.isSafeInteger(v) ? w.sizedInteger(v as number) : w.sized(String(v))),
  float8: (w, v) => (v === null ? w.int32(NULL_CELL) : w.sized(String(v))),
  bool: (w, v) => (v === null ? w.int32(NULL_CELL) : w.sized(v === true || v === 1 ? 't' : v === false || v === 0 ? 'f' : String(v))),
  json: (w, v) => (v === null ? w.int32(NULL_CELL) : w.sized(typeof v === 'string' ? v : JSON.stringify(v))),
};

/** Binary format: int8 and float8 as 8 big-endian bytes, bool as one byte, text and json as UTF-8. */
const BINARY_WRITERS: Readonly<Record<ColumnType, CellWriter>> = {
  text: TEXT_WRITERS.text,
  json: TEXT_WRITERS.json,
  int8: (w, v) => {
    if (v === null) return void w.int32(NULL_CELL);
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeBigInt64BE(BigInt(Math.round(Number(v))));
    w.int32(8).bytes(bytes);
  },
  float8: (w, v) => {
    if (v === null) return void w.int32(NULL_CELL);
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeDoubleBE(Number(v));
    w.int32(8).bytes(bytes);
  },
  bool: (w, v) => (v === null ? w.int32(NULL_CELL) : w.int32(1).byte(v === true || v === 1 ? 1 : 0)),
};

export function cellWriter(type: ColumnType, format: 0 | 1): CellWriter {
  return format === 1 ? BINARY_WRITERS[type] : TEXT_WRITERS[type];
}

/** One DataRow per row, appended to the writer. */
export function writeDataRows(writer: MessageWriter, rows: readonly Row[], columns: readonly string[], writers: readonly CellWriter[]): void {
  const count = columns.length;
  for (const row of rows) {
    const at = writer.start('D');
    writer.int16(count);
    for (let i = 0; i < count; i++) writers[i](writer, row[columns[i]] ?? null);
    writer.end(at);
  }
}

/** A Bind's result format codes, one per column: none means all text, one applies to all. */
export function resultFormats(codes: readonly number[], columns: number): (0 | 1)[] {
  return Array.from({ length: columns }, (_, i) => ((codes.length === 1 ? codes[0] : (codes[i] ?? 0)) === 1 ? 1 : 0));
}

/** A parameter's value as the client sent it, typed by the OID it declared (0: unknown). */
export type ParamValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'number'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean };

const NUMERIC_OIDS = constantSet<number>([OID.int2, OID.int4, OID.int8, OID.float4, OID.float8, OID.numeric]);
/** A number as SQL may read it, and nothing else (it is written into the statement as it is). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export class ParamError extends Error {}

export function readParam(bytes: Buffer | null, format: number, oid: number): ParamValue {
  if (bytes === null) return { kind: 'null' };
  if (format === 1) return readBinaryParam(bytes, oid);
  const text = bytes.toString('utf8');
  if (oid === OID.bool) return { kind: 'bool', value: /^(t|true|y|yes|on|1)$/i.test(text.trim()) };
  if (NUMERIC_OIDS.has(oid)) {
    if (!NUMBER.test(text.trim())) throw new ParamError(`"${text.slice(0, 40)}" is not a number`);
    return { kind: 'number', value: text.trim() };
  }
  return { kind: 'text', value: text };
}

function readBinaryParam(bytes: Buffer, oid: number): ParamValue {
  const sized = (length: number) => {
    if (bytes.length !== length) throw new ParamError(`a binary value of type ${oid} has ${bytes.length} bytes, not ${length}`);
  };
  switch (oid) {
    case OID.bool:
      sized(1);
      return { kind: 'bool', value: bytes[0] !== 0 };
    case OID.int2:
      sized(2);
      return { kind: 'number', value: String(bytes.readInt16BE()) };
    case OID.int4:
      sized(4);
      return { kind: 'number', value: String(bytes.readInt32BE()) };
    case OID.int8:
      sized(8);
      return { kind: 'number', value: String(bytes.readBigInt64BE()) };
    case OID.float4:
      sized(4);
      return finite(bytes.readFloatBE());
    case OID.float8:
      sized(8);
      return finite(bytes.readDoubleBE());
    case OID.uuid:
      sized(16);
      return { kind: 'text', value: uuidText(bytes) };
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.json:
    case OID.unknown:
      return { kind: 'text', value: bytes.toString('utf8') };
    case OID.jsonb:
      // jsonb's binary form is a version byte (1) and the JSON text.
      return { kind: 'text', value: bytes.subarray(1).toString('utf8') };
    default:
      throw new ParamError(`binary parameters of type ${oid} are not supported; send them as text`);
  }
}

function finite(value: number): ParamValue {
  if (!Number.isFinite(value)) throw new ParamError(`${value} cannot be written in a statement`);
  return { kind: 'number', value: String(value) };
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
