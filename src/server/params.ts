// `$1`, `$2`… parameters of a prepared statement. A value never becomes statement text: a string
// is bound as a skyql template variable inside a literal ('{{ __p1 }}'), which skyql substitutes
// after parsing; only a number checked against a strict pattern, TRUE, FALSE or NULL is written
// into the text. `$1::int` (a cast) declares the parameter's type and is removed.

import { OID, ParamError, type ParamValue } from './pg-types.ts';

/** Where the parameters are in a statement's text. */
export interface ParamSlots {
  readonly text: string;
  /** `numeric`: after LIMIT or OFFSET, where only a number can stand. */
  readonly slots: readonly { readonly start: number; readonly end: number; readonly index: number; readonly numeric: boolean }[];
  /** The highest $n. */
  readonly count: number;
  /** Types declared by casts, by parameter number. */
  readonly castTypes: ReadonlyMap<number, number>;
}

const CASTS: Readonly<Record<string, number>> = {
  int: OID.int4,
  integer: OID.int4,
  int4: OID.int4,
  int2: OID.int2,
  smallint: OID.int2,
  int8: OID.int8,
  bigint: OID.int8,
  float: OID.float8,
  float4: OID.float4,
  real: OID.float4,
  float8: OID.float8,
  double: OID.float8,
  numeric: OID.numeric,
  decimal: OID.numeric,
  bool: OID.bool,
  boolean: OID.bool,
  text: OID.text,
  varchar: OID.varchar,
  uuid: OID.uuid,
  json: OID.json,
  jsonb: OID.jsonb,
};

const isWordChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_$]/.test(ch);

/** Finds the `$n` outside strings, quoted names and comments. */
export function findParams(text: string): ParamSlots {
  const slots: { start: number; end: number; index: number; numeric: boolean }[] = [];
  const castTypes = new Map<number, number>();
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"' || ch === '`') i = skipQuoted(text, i, ch);
    else if (ch === '-' && text[i + 1] === '-') i = lineEnd(text, i);
    else if (ch === '/' && text[i + 1] === '*') i = commentEnd(text, i);
    else if (ch === '$' && /[0-9]/.test(text[i + 1] ?? '') && !isWordChar(text[i - 1])) {
      const digits = /^\d+/.exec(text.slice(i + 1))![0];
      const index = Number(digits);
      let end = i + 1 + digits.length;
      const cast = /^\s*::\s*([A-Za-z][A-Za-z0-9]*)(\s+precision)?/i.exec(text.slice(end));
      const castOid = cast && Object.hasOwn(CASTS, cast[1].toLowerCase()) ? CASTS[cast[1].toLowerCase()] : undefined;
      if (cast && castOid !== undefined) {
        castTypes.set(index, castOid);
        end += cast[0].length;
      }
      if (index >= 1 && index <= 65_535) slots.push({ start: i, end, index, numeric: /\b(?:limit|offset)\s*$/i.test(text.slice(Math.max(0, i - 16), i)) });
      i = end;
    } else i++;
  }
  return { text, slots, count: slots.reduce((max, slot) => Math.max(max, slot.index), 0), castTypes };
}

function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return text.length;
}

function lineEnd(text: string, i: number): number {
  const eol = text.indexOf('\n', i);
  return eol === -1 ? text.length : eol + 1;
}

function commentEnd(text: string, i: number): number {
  const close = text.indexOf('*/', i + 2);
  return close === -1 ? text.length : close + 2;
}

/** The parameter's declared type: the client's, else its cast's, else unknown. */
export function paramType(slots: ParamSlots, declared: readonly number[], index: number): number {
  const given = declared[index - 1];
  return given !== undefined && given !== OID.unknown ? given : (slots.castTypes.get(index) ?? OID.unknown);
}

export interface BoundStatement {
  readonly text: string;
  readonly vars: Readonly<Record<string, string>>;
}

/** The statement with its parameters in place. */
export function bindParams(slots: ParamSlots, values: readonly ParamValue[]): BoundStatement {
  if (values.length < slots.count) throw new ParamError(`the statement has ${slots.count} parameters, but ${values.length} were bound`);
  const vars: Record<string, string> = {};
  let text = '';
  let from = 0;
  for (const slot of slots.slots) {
    const value = values[slot.index - 1];
    text += slots.text.slice(from, slot.start) + literalFor(slot.numeric ? asNumber(value) : value, slot.index, vars);
    from = slot.end;
  }
  return { text: text + slots.text.slice(from), vars };
}

/** LIMIT $1 with an untyped parameter (node-postgres sends numbers as text): it must be a whole number. */
function asNumber(value: ParamValue): ParamValue {
  if (value.kind !== 'text') return value;
  if (!/^\d+$/.test(value.value.trim())) throw new ParamError(`LIMIT and OFFSET take a whole number, not "${value.value.slice(0, 40)}"`);
  return { kind: 'number', value: value.value.trim() };
}

function literalFor(value: ParamValue, index: number, vars: Record<string, string>): string {
  switch (value.kind) {
    case 'null':
      return 'NULL';
    case 'bool':
      return value.value ? 'TRUE' : 'FALSE';
    // Parenthesised when signed: `a-$1` must not become `a--5`, a comment.
    case 'number':
      return /^[+-]/.test(value.value) ? `(${value.value})` : value.value;
    case 'text':
      vars[`__p${index}`] = value.value;
      return `'{{ __p${index} }}'`;
  }
}
