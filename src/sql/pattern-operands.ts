// A LIKE's pattern that is an expression, parenthesised for node-sql-parser. In SQL (SQLite and
// PostgreSQL alike) `||` and arithmetic bind tighter than LIKE: `a LIKE '%' || b || '%'` is
// `a LIKE ('%' || b || '%')`. node-sql-parser refuses it in WHERE and reads it in a select list
// as `(a LIKE '%') || b || '%'`; with the parentheses written in, both read it as SQL does.

import { constantSet } from '../util/caches.ts';
import { closingParenthesis, isKeyword, isPunct, type Token } from './lexer.ts';
import type { Edit } from './normalize.ts';

/** Binary operators that bind tighter than LIKE. */
const TIGHTER_OPERATORS = constantSet(['||', '+', '-', '*', '/', '%']);
const PREFIX_OPERATORS = constantSet(['-', '+', '~']);

/** An opening and a closing parenthesis around each LIKE/ILIKE pattern that has such an operator. */
export function patternOperandParens(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isPatternOperator(tokens[i])) continue;
    const first = i + 1;
    let end = operandEnd(tokens, first);
    if (end === undefined) continue;
    let operators = 0;
    while (end < tokens.length && isTighterOperator(tokens, end)) {
      const next = operandEnd(tokens, end + 1);
      if (next === undefined) break;
      end = next;
      operators++;
    }
    if (operators === 0) continue;
    edits.push({ start: tokens[first].offset, end: tokens[first].offset, replacement: '(' });
    edits.push({ start: tokens[end - 1].end, end: tokens[end - 1].end, replacement: ')' });
    i = end - 1;
  }
  return edits;
}

/** LIKE or ILIKE; asked of every token of every statement, so words of other lengths are not upper-cased. */
function isPatternOperator(token: Token): boolean {
  if (token.kind !== 'word' || token.value.length < 4 || token.value.length > 5) return false;
  const upper = token.value.toUpperCase();
  return upper === 'LIKE' || upper === 'ILIKE';
}

function isTighterOperator(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i];
  return token.kind === 'punct' && TIGHTER_OPERATORS.has(token.value);
}

/**
 * The index after one operand that starts at `i` (prefix signs, a value, a name, a call, a
 * parenthesised expression or a CASE … END, then any `::type` casts), or undefined when what
 * starts there is not one this scan knows, so the pattern is left as written.
 */
function operandEnd(tokens: readonly Token[], i: number): number | undefined {
  while (tokens[i]?.kind === 'punct' && PREFIX_OPERATORS.has(tokens[i].value)) i++;
  const token = tokens[i];
  if (!token) return undefined;
  let end: number | undefined;
  if (token.kind === 'punct') end = token.value === '(' ? after(closingParenthesis(tokens, i)) : undefined;
  else if (isKeyword(token, 'CASE')) end = caseEnd(tokens, i);
  else if (token.kind === 'word' || token.kind === 'quoted') end = nameEnd(tokens, i);
  else if (token.kind === 'hint') end = undefined;
  else end = i + 1;
  while (end !== undefined && tokens[end]?.kind === 'punct' && tokens[end].value === '::') end = castEnd(tokens, end + 1);
  return end;
}

/** After a name: its dotted parts and a call's arguments. Keywords that end an operand are not names. */
function nameEnd(tokens: readonly Token[], i: number): number | undefined {
  if (isKeyword(tokens[i], 'AND', 'OR', 'NOT', 'ESCAPE', 'IS', 'IN', 'BETWEEN', 'THEN', 'ELSE', 'END', 'WHEN')) return undefined;
  let end = i + 1;
  while (isPunct(tokens[end], '.') && (tokens[end + 1]?.kind === 'word' || tokens[end + 1]?.kind === 'quoted')) end += 2;
  // A hyphenated name (`api-version`), written without spaces, is one name.
  while (
    isPunct(tokens[end], '-') &&
    tokens[end].offset === tokens[end - 1].end &&
    tokens[end + 1]?.kind === 'word' &&
    tokens[end + 1].offset === tokens[end].end
  )
    end += 2;
  return isPunct(tokens[end], '(') ? after(closingParenthesis(tokens, end)) : end;
}

/** After `::`: a type name, with its arguments if it has them (`varchar(10)`). */
function castEnd(tokens: readonly Token[], i: number): number | undefined {
  if (tokens[i]?.kind !== 'word') return undefined;
  return isPunct(tokens[i + 1], '(') ? after(closingParenthesis(tokens, i + 1)) : i + 1;
}

/** The index after the END that closes the CASE at `i` (nested ones counted). */
function caseEnd(tokens: readonly Token[], i: number): number | undefined {
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    if (isKeyword(tokens[j], 'CASE')) depth++;
    else if (isKeyword(tokens[j], 'END') && --depth === 0) return j + 1;
  }
  return undefined;
}

function after(index: number | undefined): number | undefined {
  return index === undefined ? undefined : index + 1;
}
