// Rewrites a statement into text node-sql-parser (PostgreSQL dialect) can read, and keeps
// the offsets of each edit so parse errors point into the text the user wrote:
// - hyphenated identifiers (`api-version`) become quoted identifiers (`"api-version"`);
//   unquoted they would parse silently as a subtraction;
// - unquoted `{{ name }}` placeholders become string literals `'{{ name }}'`;
// - hints (`/*+ AWAIT */`) are blanked, since they were already read from the tokens;
// - in `INSERT … SELECT … RETURNING`, the SELECT is parenthesised, or RETURNING is read as
//   an alias of the last select item;
// - a collation after a compared literal (`status = 'x' COLLATE NOCASE`) moves to the column (literal-collation.ts);
// - a LIKE pattern that is an expression (`'%' || name || '%'`) is parenthesised (pattern-operands.ts);
// - StackQL's `REPLACE resource SET … WHERE …` reads as an UPDATE (the converter takes the verb
//   from the first word, so the two share one parse);
// - string literals become numbered stand-ins ('\u0001' + index), so statements that differ only
//   in their strings have one text, and one cached parse (literals.ts reads the real values).

import { constantSet } from '../util/caches.ts';
import { isSqliteKeyword } from './identifiers.ts';
import { isKeyword, isPunct, type Token } from './lexer.ts';
import { literalCollationEdits } from './literal-collation.ts';
import { patternOperandParens } from './pattern-operands.ts';

export interface NormalizedText {
  readonly text: string;
  /** Maps an offset in `text` back to an offset in the original script. */
  readonly toOriginal: (offset: number) => number;
}

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

export function normalizeForParser(script: string, tokens: readonly Token[], start: number, end: number): NormalizedText {
  // Insertions first: at an offset where another edit starts, what is inserted goes before it.
  const edits = [
    ...patternOperandParens(tokens),
    ...literalCollationEdits(tokens),
    ...hyphenatedIdentifiers(tokens),
    ...templatesAndHints(tokens),
    ...insertSelectParens(tokens),
    ...replaceSet(tokens),
  ];
  edits.sort((a, b) => a.start - b.start);
  return applyEdits(script, start, end, edits);
}

/**
 * Names SQL would misread, quoted: hyphenated ones (`api-version`, a subtraction unquoted) and
 * OData params (`$filter`, a bind parameter to SQLite and PostgreSQL unquoted).
 */
function hyphenatedIdentifiers(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (isAdjacentHyphenPair(tokens, j)) j += 2;
    if (j > i || (tokens[i].kind === 'word' && tokens[i].value.startsWith('$'))) {
      const name = tokens
        .slice(i, j + 1)
        .map((token) => token.value)
        .join('');
      edits.push({ start: tokens[i].offset, end: tokens[j].end, replacement: `"${name}"` });
    }
    i = j + 1;
  }
  return edits;
}

/**
 * The names SQL SQLite runs must have quoted (a local query, an expression over fetched rows):
 * hyphenated ones and OData params (hyphenatedIdentifiers, which the parser's text needs too), and
 * keywords SQLite never reads as names (`values`, `default`, `index`, `primary`, …: fields of Azure
 * resources). The parser reads those keywords as names where they stand bare, and SQLite must read
 * the statement the same way. Keywords a SELECT itself uses are left alone: CAST and VALUES before
 * `(`, and COLLATE, ESCAPE, ISNULL, NOTNULL and RAISE (never quoted: they follow an operand as
 * keywords, and are not field names in practice). After a dot (`t.limit`, `u.order`, `t.key`)
 * every SQLite keyword is quoted: there it can only be a column's name.
 */
export function sqliteNameEdits(tokens: readonly Token[]): Edit[] {
  const edits = hyphenatedIdentifiers(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'word') continue;
    const upper = token.value.toUpperCase();
    // After a table's name or alias (`t.limit`, `t.order`) any keyword is a column's name.
    const afterDot = isPunct(tokens[i - 1], '.');
    if (!NOT_NAMES_TO_SQLITE.has(upper) && !(afterDot && isSqliteKeyword(upper))) continue;
    if (BEFORE_PARENTHESIS.has(upper) && tokens[i + 1]?.kind === 'punct' && tokens[i + 1].value === '(') continue;
    // Part of a hyphenated name, quoted whole above.
    if (isAdjacentHyphenPair(tokens, i) || isAdjacentHyphenPair(tokens, i - 2)) continue;
    edits.push({ start: token.offset, end: token.end, replacement: `"${token.value}"` });
  }
  return edits;
}

/** SQLite's keywords that it refuses as a bare column name, and the parser takes as one (test/unit/sql/reserved-words.test.ts). */
const NOT_NAMES_TO_SQLITE = constantSet([
  'AUTOINCREMENT',
  'CAST',
  'CHECK',
  'COMMIT',
  'DEFAULT',
  'DEFERRABLE',
  'FOREIGN',
  'INDEX',
  'NOTHING',
  'PRIMARY',
  'REFERENCES',
  'RETURNING',
  'TO',
  'TRANSACTION',
  'UNIQUE',
  'VALUES',
]);
const BEFORE_PARENTHESIS = constantSet(['CAST', 'VALUES']);

function isAdjacentHyphenPair(tokens: readonly Token[], i: number): boolean {
  const [left, dash, right] = [tokens[i], tokens[i + 1], tokens[i + 2]];
  return (
    left?.kind === 'word' && dash?.kind === 'punct' && dash.value === '-' && right?.kind === 'word' && left.end === dash.offset && dash.end === right.offset
  );
}

export const STRING_STAND_IN = '\u0001';

/** The value of each string literal (and placeholder), in the order of their stand-ins. */
export function stringValues(tokens: readonly Token[]): string[] {
  return tokens.filter(isStringLike).map(stringValue);
}

/** A string literal's value, or a placeholder as written back (`{{ name }}`). */
export function stringValue(token: Token): string {
  return token.kind === 'template' ? `{{ ${token.value} }}` : token.value;
}

export function isStringLike(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'template';
}

function templatesAndHints(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  let index = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    // The parser takes no string as a LIMIT or an OFFSET; a numbered parameter stands in for it
    // (a space after it: `'5'0` must not become `$10`).
    if (isStringLike(token))
      edits.push({ start: token.offset, end: token.end, replacement: isCountPosition(tokens, i) ? `$${++index} ` : `'${STRING_STAND_IN}${index++}'` });
    else if (token.kind === 'hint') edits.push({ start: token.offset, end: token.end, replacement: ' ' });
  }
  return edits;
}

/** Whether the token at `i` is a LIMIT's or an OFFSET's value (`LIMIT {{ n }}`, `OFFSET {{ m }}`). */
export function isCountPosition(tokens: readonly Token[], i: number): boolean {
  return isKeyword(tokens[i - 1], 'LIMIT', 'OFFSET');
}

function insertSelectParens(tokens: readonly Token[]): Edit[] {
  if (!isKeyword(firstWord(tokens), 'INSERT', 'REPLACE')) return [];
  const select = topLevelIndex(tokens, 'SELECT');
  const returning = topLevelIndex(tokens, 'RETURNING');
  if (select === -1 || returning === -1 || returning < select) return [];
  const before = tokens[select - 1];
  if (before?.kind === 'punct' && before.value === '(') return [];
  return [
    { start: tokens[select].offset, end: tokens[select].offset, replacement: '(' },
    { start: tokens[returning].offset, end: tokens[returning].offset, replacement: ') ' },
  ];
}

/** Whether the statement is `REPLACE resource SET …` (not REPLACE INTO … VALUES / SELECT). */
export function isReplaceSet(tokens: readonly Token[]): boolean {
  const first = firstWord(tokens);
  if (!isKeyword(first, 'REPLACE')) return false;
  const set = topLevelIndex(tokens, 'SET');
  return set !== -1 && !isKeyword(tokens[tokens.indexOf(first!) + 1], 'INTO');
}

function replaceSet(tokens: readonly Token[]): Edit[] {
  if (!isReplaceSet(tokens)) return [];
  const first = firstWord(tokens)!;
  return [{ start: first.offset, end: first.end, replacement: 'UPDATE ' }];
}

function firstWord(tokens: readonly Token[]): Token | undefined {
  return tokens.find((token) => token.kind !== 'hint');
}

/** Where the keyword is outside parentheses; a word of a dotted name (`azure.returning.x`, `u.limit`) is a name, not the keyword. */
export function topLevelIndex(tokens: readonly Token[], keyword: string): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
    else if (depth === 0 && isKeyword(token, keyword) && !isPunct(tokens[i - 1], '.') && !isPunct(tokens[i + 1], '.')) return i;
  }
  return -1;
}

export function applyEdits(script: string, start: number, end: number, edits: readonly Edit[]): NormalizedText {
  let text = '';
  let cursor = start;
  for (const edit of edits) {
    text += script.slice(cursor, edit.start);
    text += edit.replacement;
    cursor = edit.end;
  }
  text += script.slice(cursor, end);
  return { text, toOriginal: (offset) => originalOffset(edits, start, offset) };
}

/** Where an offset of the edited text was in the script (asked only for an error's position, so worked out then). */
function originalOffset(edits: readonly Edit[], start: number, offset: number): number {
  let base = { normalized: 0, original: start };
  let length = 0;
  let cursor = start;
  for (const edit of edits) {
    length += edit.start - cursor;
    if (length <= offset) base = { normalized: length, original: edit.start };
    length += edit.replacement.length;
    cursor = edit.end;
    if (length <= offset) base = { normalized: length, original: edit.end };
  }
  return base.original + (offset - base.normalized);
}
