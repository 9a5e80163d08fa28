// A SELECT's text with its string literals taken out: statements that differ only in the strings
// they give (`… AND runId = '<a new id>'`) have one key, and the planner can reuse what it worked
// out for the first ones (plan/generic-plans.ts) without parsing the new text.

import type { Span } from './ast.ts';
import { isKeyword, tokenize, type Token } from './lexer.ts';
import { isStringLike } from './normalize.ts';
import { splitStatements } from './split.ts';
import { hasExecTable } from './exec-tables.ts';

export interface LiteralShape {
  /** The statement's text with each string literal written `'?'`; equal keys mean equal text but for string values. */
  readonly key: string;
  /** Each string literal's value, in order. */
  readonly values: readonly string[];
  /** The script's tokens (parsing takes them instead of reading the text again). */
  readonly tokens: readonly Token[];
  /** The statement as written, without a trailing `;`. */
  readonly statement: string;
}

/**
 * The shape of a script that is one SELECT with string literals and nothing filled in from vars or
 * a data block; undefined for anything else (those plan as they always do).
 */
export function literalShape(text: string): LiteralShape | undefined {
  if (text.includes('{{') || text.includes('<<<')) return undefined;
  const tokens = tokenize(text);
  const statements = splitStatements(tokens);
  if (statements.length !== 1) return undefined;
  const { offset, end } = statements[0];
  const first = statements[0].tokens.find((token) => token.kind !== 'hint');
  // An `(EXEC …)` table is parsed as another text, with strings of its own.
  if (!isKeyword(first, 'SELECT') || hasExecTable(tokens)) return undefined;
  let key = '';
  let from = 0;
  const values: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'param' || token.kind === 'json_param') return undefined;
    if (token.kind !== 'string') continue;
    key += `${text.slice(from, token.offset)}'?'`;
    from = token.end;
    values.push(token.value);
  }
  if (values.length === 0) return undefined;
  return { key: key + text.slice(from), values, tokens, statement: text.slice(offset, end) };
}

/** The lower-case text of every token a string value could be confused with when values are compared (numbers, words, names). */
export function otherTokenValues(tokens: readonly Token[]): Set<string> {
  const values = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'string' || token.kind === 'punct' || token.kind === 'hint') continue;
    values.add(token.value.toLowerCase());
    if (token.kind === 'number') values.add(String(Number(token.value)));
  }
  return values;
}

/**
 * Where the statement's string (or placeholder) number `index` is written, in the statement of the
 * script that holds offset `within` (a Literal the parser made knows its index, not its place).
 * For errors: reads the script again.
 */
export function stringLiteralSpan(script: string, within: number, index: number): Span | undefined {
  const statement = splitStatements(tokenize(script)).find((part) => part.offset <= within && within < part.end);
  const token = statement?.tokens.filter(isStringLike)[index];
  return token && { offset: token.offset, length: token.end - token.offset };
}
