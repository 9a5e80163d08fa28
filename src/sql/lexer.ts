// A small SQL tokenizer. It serves two purposes: normalizing text for node-sql-parser
// (which cannot read some of skyql's forms) and parsing the statements it cannot parse
// at all (SHOW, DESCRIBE, EXEC). Every token keeps its offset so errors can point at it.

import { EngineError, spanAt } from '../errors.ts';
import { constantSet } from '../util/caches.ts';

export type TokenKind =
  | 'word' // bare identifier or keyword
  | 'quoted' // "double quoted identifier"
  | 'string' // 'single quoted string'
  | 'number'
  | 'param' // @name
  | 'json_param' // @@json
  | 'template' // {{ name }} outside a string
  | 'hint' // /*+ AWAIT */
  | 'punct'; // ( ) , ; . = * and operators

export interface Token {
  readonly kind: TokenKind;
  /** Identifier/keyword text, unquoted string content, param name, hint body or the punctuation. */
  readonly value: string;
  readonly offset: number;
  readonly end: number;
}

const TWO_CHAR_OPS = constantSet(['<=', '>=', '<>', '!=', '||', '::', '->']);
const TWO_CHAR_STARTS = constantSet([...TWO_CHAR_OPS].map((op) => op[0]));

// Character classes by code (the tokenizer runs on every statement text it has not seen).
const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isWordPart = (code: number) => isLetter(code) || isDigit(code) || code === 36;
const isParamPart = (code: number) => isWordPart(code) || code === 45;
const isSpace = (code: number) =>
  code === 32 ||
  (code >= 9 && code <= 13) ||
  code === 160 ||
  code === 0xfeff ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x3000 ||
  code === 0x1680 ||
  code === 0x202f ||
  code === 0x205f;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const token = readToken(text, i);
    if (token) tokens.push(token);
    i = token ? token.end : skipComment(text, i);
  }
  return tokens;
}

function readToken(text: string, i: number): Token | undefined {
  const ch = text[i];
  const next = text[i + 1];
  if (ch === '-' && next === '-') return undefined;
  if (ch === '/' && next === '*') return text[i + 2] === '+' ? readHint(text, i) : undefined;
  if (ch === "'") return readString(text, i);
  if (ch === '"' || ch === '`') return readQuoted(text, i, ch);
  if (ch === '{' && next === '{') return readTemplate(text, i);
  if (ch === '@') return readParam(text, i);
  if (isDigit(text.charCodeAt(i)) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) return readNumber(text, i);
  if (isLetter(text.charCodeAt(i))) return readWhile(text, i, 'word', isWordPart);
  // OData-style params (`$filter`, `$top`) are names, as StackQL writes them unquoted.
  if (ch === '$' && isLetter(text.charCodeAt(i + 1))) return readWhile(text, i, 'word', isWordPart);
  // Most punctuation is one character: only those that start a two-character operator look further.
  if (next !== undefined && TWO_CHAR_STARTS.has(ch) && TWO_CHAR_OPS.has(ch + next)) return { kind: 'punct', value: ch + next, offset: i, end: i + 2 };
  return { kind: 'punct', value: ch, offset: i, end: i + 1 };
}

function skipComment(text: string, i: number): number {
  if (text[i] === '-') {
    const eol = text.indexOf('\n', i);
    return eol === -1 ? text.length : eol + 1;
  }
  const close = text.indexOf('*/', i + 2);
  if (close === -1) throw syntaxError(text, i, 'unterminated comment');
  return close + 2;
}

function readHint(text: string, i: number): Token {
  const close = text.indexOf('*/', i + 3);
  if (close === -1) throw syntaxError(text, i, 'unterminated hint comment');
  return { kind: 'hint', value: text.slice(i + 3, close).trim(), offset: i, end: close + 2 };
}

function readString(text: string, start: number): Token {
  let value = '';
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote === -1) throw syntaxError(text, start, 'unterminated string literal');
    value += text.slice(from, quote);
    if (text[quote + 1] !== "'") return { kind: 'string', value, offset: start, end: quote + 1 };
    value += "'";
    from = quote + 2;
  }
}

function readQuoted(text: string, start: number, quote: string): Token {
  const close = text.indexOf(quote, start + 1);
  if (close === -1) throw syntaxError(text, start, 'unterminated quoted identifier');
  return { kind: 'quoted', value: text.slice(start + 1, close), offset: start, end: close + 1 };
}

function readTemplate(text: string, start: number): Token {
  const close = text.indexOf('}}', start + 2);
  if (close === -1) throw new EngineError('TPL_INVALID', 'unterminated template placeholder: missing "}}"', { span: spanAt(text, start, 2) });
  return { kind: 'template', value: text.slice(start + 2, close).trim(), offset: start, end: close + 2 };
}

function readParam(text: string, start: number): Token {
  const isJson = text[start + 1] === '@';
  const nameStart = start + (isJson ? 2 : 1);
  if (text[nameStart] === '"') {
    const quoted = readQuoted(text, nameStart, '"');
    return { kind: isJson ? 'json_param' : 'param', value: quoted.value, offset: start, end: quoted.end };
  }
  const word = readWhile(text, nameStart, 'param', isParamPart);
  if (word.value === '') throw syntaxError(text, start, 'expected a parameter name after "@"');
  return { kind: isJson ? 'json_param' : 'param', value: word.value, offset: start, end: word.end };
}

/** Digits, a fraction, an exponent: `12`, `1.5`, `.5`, `1e-3` (an `e` not followed by digits is not the number's). */
function readNumber(text: string, start: number): Token {
  let end = runEnd(text, start, isDigit);
  if (text[end] === '.') end = runEnd(text, end + 1, isDigit);
  if (text[end] === 'e' || text[end] === 'E') {
    const sign = text[end + 1] === '+' || text[end + 1] === '-' ? 1 : 0;
    const exponentEnd = runEnd(text, end + 1 + sign, isDigit);
    if (exponentEnd > end + 1 + sign) end = exponentEnd;
  }
  return { kind: 'number', value: text.slice(start, end), offset: start, end };
}

/** Where the run of characters `part` takes that starts at `start` ends. */
function runEnd(text: string, start: number, part: (code: number) => boolean): number {
  let i = start;
  while (i < text.length && part(text.charCodeAt(i))) i++;
  return i;
}

function readWhile(text: string, start: number, kind: TokenKind, part: (code: number) => boolean): Token {
  const end = runEnd(text, start, part);
  return { kind, value: text.slice(start, end), offset: start, end };
}

export function syntaxError(text: string, offset: number, message: string): EngineError {
  const span = spanAt(text, offset, 1);
  return new EngineError('SQL_SYNTAX', message, { span });
}

/** `words` are upper case. Compares lengths first: most tokens are not the keyword asked about. */
export function isKeyword(token: Token | undefined, ...words: string[]): boolean {
  if (token?.kind !== 'word') return false;
  const value = token.value;
  for (const word of words) {
    if (word.length === value.length && (value === word || value.toUpperCase() === word)) return true;
  }
  return false;
}

export function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value;
}

/** The index of the `)` that closes the `(` at `open` (nested ones counted); undefined when none does. */
export function closingParenthesis(tokens: readonly Token[], open: number): number | undefined {
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && depth-- === 0) return i;
  }
  return undefined;
}
