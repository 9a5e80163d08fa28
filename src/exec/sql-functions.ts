// Functions StackQL users call in local SQL, registered on every database skyql opens (the local
// query's, the worker thread's, the plan-time checker's: SQLite says "no such function" when it
// prepares a statement, so the checker must know them too). All are deterministic; a NULL
// argument gives NULL; an argument that is not text is read as SQLite converts it to text
// (CAST(x AS TEXT): 5 is '5', 5.0 is '5.0', a blob its bytes as UTF-8).
//
//   split_part(text, delimiter, n)               field n (1-based; negative counts from the end)
//   regexp_like(text, pattern [, flags])          1 if the pattern matches anywhere, else 0
//   regexp_substr(text, pattern)                  the first match, or NULL
//   regexp_replace(text, pattern, repl [, flags]) every match replaced, as Go's ReplaceAllString
//   json_equal(a, b)                              1 if the two JSON texts mean the same, else 0
//
// The regexp functions are in sql-regexp.ts, json_equal in sql-json-equal.ts.

import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { jsonEqual } from './sql-json-equal.ts';
import { RegexpFunctions } from './sql-regexp.ts';

/** A function argument (INTEGERs as bigint: SQLite's integers and reals are told apart). */
type Argument = SQLOutputValue;

/** An argument as text, as SQLite converts it; NULL stays NULL. */
type TextOf = (value: Argument) => string | null;

/** Adds skyql's functions to a database; the one place they are registered. */
export function registerSqlFunctions(db: DatabaseSync): void {
  const text = textReader(db);
  const regexps = new RegexpFunctions();
  const options = { deterministic: true, useBigIntArguments: true };
  db.function('split_part', options, (value, delimiter, n) => splitPart(text(value), text(delimiter), n));
  db.function('regexp_like', options, (value, pattern) => regexps.like(text(value), text(pattern), ''));
  db.function('regexp_like', options, (value, pattern, flags) => regexps.like(text(value), text(pattern), text(flags)));
  db.function('regexp_substr', options, (value, pattern) => regexps.substr(text(value), text(pattern)));
  db.function('regexp_replace', options, (value, pattern, replacement) => regexps.replace(text(value), text(pattern), text(replacement), ''));
  db.function('regexp_replace', options, (value, pattern, replacement, flags) => regexps.replace(text(value), text(pattern), text(replacement), text(flags)));
  db.function('json_equal', options, (a, b) => jsonEqual(text(a), text(b)));
}

/**
 * Text and INTEGERs are converted here; a REAL or a blob is given to SQLite's own CAST on the same
 * database (SQLite's text of 1e20 is '1.0e+20', of an infinity 'Inf'): its answer, not a copy.
 */
function textReader(db: DatabaseSync): TextOf {
  let cast: StatementSync | undefined;
  return (value) => {
    if (value === null || typeof value === 'string') return value;
    if (typeof value === 'bigint') return String(value);
    cast ??= db.prepare('SELECT CAST(? AS TEXT) AS v');
    return (cast.get(value) as { v: string | null }).v;
  };
}

/**
 * split_part(text, delimiter, n), as PostgreSQL (and StackQL) define it: the text split at each
 * delimiter, and field n of it, 1-based; a negative n counts from the end (-1 is the last field).
 * A field out of range is '' (empty text); n = 0 is an error. An empty delimiter does not split:
 * the whole text is field 1 (and -1). n is an INTEGER, a REAL with a whole value, or text that
 * reads as an integer ('2'); anything else is an error.
 */
export function splitPart(text: string | null, delimiter: string | null, n: Argument): string | null {
  if (text === null || delimiter === null || n === null) return null;
  const field = fieldNumber(n);
  if (field === 0n) throw new Error('split_part: field position must not be zero');
  const fields = delimiter === '' ? [text] : text.split(delimiter);
  const index = field > 0n ? field - 1n : BigInt(fields.length) + field;
  return index >= 0n && index < BigInt(fields.length) ? fields[Number(index)] : '';
}

function fieldNumber(n: Exclude<Argument, null>): bigint {
  if (typeof n === 'bigint') return n;
  if (typeof n === 'number' && Number.isInteger(n)) return BigInt(n);
  if (typeof n === 'string' && /^\s*[+-]?\d+\s*$/.test(n)) return BigInt(n.trim());
  const given = typeof n === 'number' ? String(n) : typeof n === 'string' ? `'${n}'` : 'a blob';
  throw new Error(`split_part: field position must be an integer, not ${given}`);
}
