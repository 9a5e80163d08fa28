// A comparison's collation written after its literal, moved to its column for node-sql-parser.
// SQLite reads `status = 'failed' COLLATE NOCASE` as `status COLLATE NOCASE = 'failed'` (an
// explicit collation on either operand decides the comparison); node-sql-parser takes COLLATE
// only after a column. Only a column compared with a literal is moved, and only a column without a
// collation of its own; SQLite still runs the statement as written.

import { constantSet } from '../util/caches.ts';
import { isKeyword, isPunct, type Token } from './lexer.ts';
import type { Edit } from './normalize.ts';

const COMPARISONS = constantSet(['=', '!=', '<>', '<', '>', '<=', '>=']);

/** For each `column <op> literal COLLATE name`: `COLLATE name` after the column, and blanked after the literal. */
export function literalCollationEdits(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 3; i < tokens.length - 1; i++) {
    if (!isCollate(tokens[i]) || !isLiteral(tokens[i - 1]) || !isComparison(tokens[i - 2])) continue;
    const name = tokens[i + 1];
    if (name.kind !== 'word' && name.kind !== 'quoted') continue;
    const columnEnd = i - 3;
    const columnStart = nameStart(tokens, columnEnd);
    if (columnStart === undefined || !isBoundary(tokens[columnStart - 1])) continue;
    const collation = name.kind === 'quoted' ? `"${name.value.replace(/"/g, '""')}"` : name.value;
    edits.push({ start: tokens[columnEnd].end, end: tokens[columnEnd].end, replacement: ` COLLATE ${collation}` });
    edits.push({ start: tokens[i].offset, end: name.end, replacement: '' });
  }
  return edits;
}

function isCollate(token: Token): boolean {
  return token.kind === 'word' && token.value.length === 7 && token.value.toUpperCase() === 'COLLATE';
}

function isLiteral(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'number' || token.kind === 'template';
}

function isComparison(token: Token): boolean {
  return token.kind === 'punct' && COMPARISONS.has(token.value);
}

/** Where a column name (`name`, `f.name`, `"x"`) that ends at `end` starts; undefined when no name ends there. */
function nameStart(tokens: readonly Token[], end: number): number | undefined {
  const isName = (token: Token | undefined) => token?.kind === 'quoted' || (token?.kind === 'word' && !isKeyword(token, 'NULL', 'TRUE', 'FALSE'));
  if (!isName(tokens[end])) return undefined;
  let start = end;
  while (isPunct(tokens[start - 1], '.') && isName(tokens[start - 2])) start -= 2;
  return start;
}

/** A token after which an operand starts a comparison of its own (nothing binds the column tighter). */
function isBoundary(token: Token | undefined): boolean {
  if (token === undefined) return true;
  if (token.kind === 'punct') return token.value === '(' || token.value === ',';
  return isKeyword(token, 'WHERE', 'AND', 'OR', 'NOT', 'ON', 'WHEN', 'HAVING', 'SELECT', 'THEN', 'ELSE');
}
