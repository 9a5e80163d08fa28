// Where a text stops being JSON, found without quoting it. JSON.parse's messages may quote the
// input (V8: `Unexpected token 's', "{"token":sk-…}" is not valid JSON`), and the input may hold a
// secret (--auth, a var file): callers say where, never what.

import { spanAt } from '../errors.ts';

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const STRING_BODY = /(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/** Where the JSON text goes wrong: a line and column, 'end' when it stops too soon, undefined when it is valid. */
export function jsonErrorPosition(text: string): { line: number; column: number } | 'end' | undefined {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return undefined;
  if (offset >= text.length) return 'end';
  const { line, column } = spanAt(text, offset);
  return { line, column };
}

/** Words for a message: "at line 1, column 9", "(it ends too soon)". */
export function describeJsonError(text: string): string {
  const position = jsonErrorPosition(text);
  if (position === 'end') return 'it ends too soon';
  return position ? `at line ${position.line}, column ${position.column}` : 'the position is unknown';
}

class Invalid {
  readonly offset: number;
  constructor(offset: number) {
    this.offset = offset;
  }
}

/** The offset where the JSON text goes wrong (its length when it stops too soon), undefined when it is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  try {
    const end = skip(text, value(text, skip(text, 0)));
    return end === text.length ? undefined : end;
  } catch (error) {
    // A RangeError (nesting deeper than the stack) leaves the position unknown.
    return error instanceof Invalid ? error.offset : undefined;
  }
}

function value(text: string, at: number): number {
  if (text[at] === '{') return container(text, at, '}', member);
  if (text[at] === '[') return container(text, at, ']', value);
  if (text[at] === '"') return string(text, at);
  return match(NUMBER, text, at) ?? match(LITERAL, text, at) ?? invalid(at);
}

function container(text: string, at: number, close: string, item: (text: string, at: number) => number): number {
  let next = skip(text, at + 1);
  if (text[next] === close) return next + 1;
  for (;;) {
    next = skip(text, item(text, next));
    if (text[next] === close) return next + 1;
    if (text[next] !== ',') invalid(next);
    next = skip(text, next + 1);
  }
}

function member(text: string, at: number): number {
  if (text[at] !== '"') invalid(at);
  const colon = skip(text, string(text, at));
  if (text[colon] !== ':') invalid(colon);
  return value(text, skip(text, colon + 1));
}

function string(text: string, at: number): number {
  const end = match(STRING_BODY, text, at + 1)!;
  if (text[end] !== '"') invalid(end);
  return end + 1;
}

function skip(text: string, at: number): number {
  return match(WHITESPACE, text, at)!;
}

/** The offset after a sticky pattern's match at `at`, or undefined. */
function match(pattern: RegExp, text: string, at: number): number | undefined {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : undefined;
}

function invalid(at: number): never {
  throw new Invalid(at);
}
