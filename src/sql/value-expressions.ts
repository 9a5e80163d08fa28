// A value that is an expression of constants: `json_object('env', 'prod')`, `'a' || '{{ b }}'`,
// `json_replace('{"a":1}', '$.a', 2)` as an INSERT value or in UPDATE … SET. The plan stage asks
// SQLite for its value before anything is sent. An expression that reads a column (the resource's
// current value) is refused: a mutation sends what the statement says, never what a read found.

import { EngineError, spanAt } from '../errors.ts';
import type { Literal, Span, ValueExpression } from './ast.ts';
import { containsAny } from './ast-walk.ts';
import type { ConvertContext } from './convert.ts';
import { isKeyword, type Token } from './lexer.ts';
import { applyEdits, sqliteNameEdits, type Edit } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';

/** Expression nodes that make a value depend on anything but the statement. */
const NOT_CONSTANT = ['column_ref', 'select', 'aggr_func'];

/** The expression an item's tokens hold, for SQLite to evaluate; its strings become `?` bindings. */
export function valueExpression(node: SqlNode, tokens: readonly Token[], context: ConvertContext, what: string): ValueExpression {
  const span: Span = { offset: tokens[0].offset, length: tokens[tokens.length - 1].end - tokens[0].offset };
  if (containsAny(node, NOT_CONSTANT) || (node?.type === 'function' && node.over)) {
    throw new EngineError('SQL_UNSUPPORTED', `${what} must be a value or an expression of values: it cannot read a column or a query`, {
      hint: 'a mutation sends what the statement says; to build on the current value, SELECT it first and write the result as a value',
      span: spanAt(context.script, span.offset, span.length),
    });
  }
  return { kind: 'expression', ...boundText(tokens, context.script), span };
}

/** The SQL text of some tokens, with `?` for each string and placeholder (bound in order). */
export function boundText(tokens: readonly Token[], script: string): { text: string; bindings: Literal[] } {
  const edits: Edit[] = [];
  const bindings: Literal[] = [];
  for (const token of tokens) {
    if (token.kind === 'string' || token.kind === 'template') {
      edits.push({ start: token.offset, end: token.end, replacement: '?' });
      bindings.push({ kind: 'literal', value: token.kind === 'template' ? `{{ ${token.value} }}` : token.value, quoted: true });
    } else if (token.kind === 'hint') edits.push({ start: token.offset, end: token.end, replacement: ' ' });
  }
  for (const edit of sqliteNameEdits(tokens)) edits.push(edit);
  edits.sort((a, b) => a.start - b.start);
  const text = applyEdits(script, tokens[0].offset, tokens[tokens.length - 1].end, edits).text;
  return { text, bindings };
}

/** The tokens of each item of a comma-separated list, split at the commas outside parentheses. */
export function listItems(tokens: readonly Token[]): Token[][] {
  const items: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
    if (depth === 0 && token.kind === 'punct' && token.value === ',') items.push([]);
    else items[items.length - 1].push(token);
  }
  return items.filter((item) => item.length > 0);
}

/** The tokens from `from` (exclusive) to the first top-level keyword of `stops` (or the end). */
export function tokensUntil(tokens: readonly Token[], from: number, stops: readonly string[]): Token[] {
  let depth = 0;
  const taken: Token[] = [];
  for (let i = from + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
    if (depth === 0 && stops.some((stop) => isKeyword(token, stop))) break;
    if (depth < 0) break;
    taken.push(token);
  }
  return taken;
}
