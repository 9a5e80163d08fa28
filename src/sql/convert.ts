// node-sql-parser's AST → skyql's statements. Only the shapes skyql supports are accepted;
// anything else is a coded SQL_UNSUPPORTED error.

import { mapPacked } from '../util/arrays.ts';
import { EngineError, spanAt } from '../errors.ts';
import type { GivenValue, Hints, InsertStatement, QualifiedName, Span } from './ast.ts';
import { listItems, tokensUntil, valueExpression } from './value-expressions.ts';
import { isKeyword, type Token } from './lexer.ts';
import { STRING_STAND_IN, topLevelIndex } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';
import { toLiteral } from './literals.ts';
import { convertSelect } from './select.ts';
import { returningClause } from './returning.ts';
import { nameWords, spanOfName, type NameWord } from './names.ts';
import type { ShapeMemo } from './session.ts';
import type { ExpressionPrinter } from './select-sources.ts';

export interface ConvertContext {
  readonly script: string;
  readonly tokens: readonly Token[];
  readonly span: Span;
  readonly hints: Hints;
  /** The statement's string values, in the order of their stand-ins in the tree (normalize.ts). */
  readonly strings: readonly string[];
  /** What was worked out from this shape's tree before (session.ts). */
  readonly memo: ShapeMemo;
  /** The statement's names (`api-version` is one name of three tokens), read once. */
  readonly words: () => readonly NameWord[];
  /** An expression of the tree as SQL text (join values computed from rows). */
  readonly print: ExpressionPrinter;
}

export function convertContext(
  script: string,
  tokens: readonly Token[],
  span: Span,
  hints: Hints,
  strings: readonly string[],
  memo: ShapeMemo,
  print: ExpressionPrinter,
): ConvertContext {
  let words: readonly NameWord[] | undefined;
  return { script, tokens, span, hints, strings, memo, print, words: () => (words ??= nameWords(tokens)) };
}

export function convertInsert(node: SqlNode, context: ConvertContext): InsertStatement {
  const target = tableName(node.table?.[0], context);
  const verb = node.type === 'replace' ? 'replace' : 'insert';
  const listStart = context.tokens.findIndex((token) => token.kind === 'punct' && token.value === '(');
  const columns = mapPacked(node.columns ?? [], (column: SqlNode) => {
    const name = identifierText(column);
    return { name, span: spanOfName(context, name, listStart) };
  });
  if (node.values?.type === 'select' && node.values.from) {
    const query = convertSelect(node.values, selectContext(context));
    const queryConstants = Array.isArray(node.values.columns)
      ? node.values.columns.map((column: SqlNode) => toLiteral(column?.expr, context.strings) ?? undefined)
      : [];
    return {
      kind: 'insert',
      verb,
      target,
      columns,
      rows: [],
      query,
      queryConstants,
      returning: returningClause(node.returning, context),
      hints: context.hints,
    };
  }
  const rows = withValueSpans(insertRows(node.values, context), context.tokens);
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw unsupported(context, `INSERT has ${columns.length} column(s) but ${row.length} value(s)`, 'give one value per column');
    }
  }
  return { kind: 'insert', verb, target, columns, rows, returning: returningClause(node.returning, context), hints: context.hints };
}

/** The context of the SELECT inside INSERT … SELECT (… RETURNING), for its local query. */
function selectContext(context: ConvertContext): ConvertContext {
  const { tokens } = context;
  const start = tokens.findIndex((token) => isKeyword(token, 'SELECT'));
  const returning = topLevelIndex(tokens, 'RETURNING');
  let end = returning === -1 ? tokens.length : returning;
  if (tokens[start - 1]?.value === '(' && tokens[end - 1]?.value === ')') end--;
  const inner = tokens.slice(start, end);
  const last = inner[inner.length - 1];
  return convertContext(
    context.script,
    inner,
    { offset: inner[0].offset, length: last.end - inner[0].offset },
    context.hints,
    context.strings,
    context.memo,
    context.print,
  );
}

export function tableName(table: SqlNode | undefined, context: ConvertContext): QualifiedName {
  const parts = [table?.db, table?.schema, table?.table].filter((part): part is string => typeof part === 'string' && part !== '');
  if (parts.length === 0) throw unsupported(context, 'expected a resource name', 'name it as provider.service.resource');
  if (parts.some((part) => part.includes(STRING_STAND_IN))) {
    throw new EngineError('SQL_SYNTAX', 'a resource name cannot be a string or a {{ placeholder }}', {
      hint: 'name it as provider.service.resource',
      span: spanAt(context.script, context.span.offset),
    });
  }
  const at = findSequence(
    context.tokens,
    parts.flatMap((part, i) => (i === 0 ? [part] : ['.', part])),
  );
  const offset = at === -1 ? context.span.offset : context.tokens[at].offset;
  return { parts, span: { offset, length: parts.join('.').length } };
}

function insertRows(values: SqlNode | undefined, context: ConvertContext): GivenValue[][] {
  const items = valueItems(context.tokens);
  if (values?.type === 'values') {
    return mapPacked(values.values, (row: SqlNode, r: number) =>
      mapPacked(row.value, (expr: SqlNode, i: number) => givenValue(expr, items?.[r]?.[i], context)),
    );
  }
  if (values?.type === 'select') {
    return [mapPacked(values.columns, (column: SqlNode, i: number) => givenValue(column.expr, items?.[0]?.[i], context))];
  }
  throw unsupported(context, 'INSERT needs VALUES (…) or SELECT …', 'see SHOW INSERT in README.md');
}

/** The tokens of each value of each row: `VALUES (…), (…)` or the list of a constant SELECT. */
function valueItems(tokens: readonly Token[]): Token[][][] | undefined {
  const values = topLevelIndex(tokens, 'VALUES');
  if (values !== -1) return listItems(tokensUntil(tokens, values, ['RETURNING'])).map((row) => listItems(row.slice(1, -1)));
  const select = tokens.findIndex((token) => isKeyword(token, 'SELECT'));
  return select === -1 ? undefined : [listItems(tokensUntil(tokens, select, ['RETURNING', 'FROM']))];
}

/** Attaches each literal's position, so a bad value can be underlined (an expression has its own). */
function withValueSpans(rows: GivenValue[][], tokens: readonly Token[]): GivenValue[][] {
  if (rows.some((row) => row.some((value) => value.kind === 'expression'))) return rows;
  const start = Math.max(topLevelIndex(tokens, 'VALUES'), topLevelIndex(tokens, 'SELECT'));
  const end = topLevelIndex(tokens, 'RETURNING');
  const spans = literalSpans(tokens.slice(start + 1, end === -1 ? undefined : end));
  if (spans.length !== rows.flat().length) return rows;
  let next = 0;
  return mapPacked(rows, (row) => mapPacked(row, (value) => ({ ...value, span: spans[next++] })));
}

function literalSpans(tokens: readonly Token[]): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const negative = token.kind === 'punct' && token.value === '-' && tokens[i + 1]?.kind === 'number';
    if (negative) spans.push({ offset: token.offset, length: tokens[++i].end - token.offset });
    else if (['string', 'number', 'template'].includes(token.kind) || isKeyword(token, 'TRUE', 'FALSE', 'NULL')) {
      spans.push({ offset: token.offset, length: token.end - token.offset });
    }
  }
  return spans;
}

function identifierText(node: SqlNode): string {
  return typeof node === 'string' ? node : String(node.value);
}

function givenValue(expr: SqlNode, tokens: readonly Token[] | undefined, context: ConvertContext): GivenValue {
  const value = toLiteral(expr, context.strings);
  if (value) return value;
  if (!tokens || tokens.length === 0)
    throw unsupported(
      context,
      "values must be literals ('text', numbers, TRUE, FALSE, NULL) or expressions of them",
      'quote text and JSON values with single quotes',
    );
  return valueExpression(expr, tokens, context, 'an INSERT value');
}

function findSequence(tokens: readonly Token[], values: readonly string[]): number {
  return tokens.findIndex((_, i) => values.every((value, j) => tokens[i + j]?.value === value));
}

export function unsupported(context: ConvertContext, message: string, hint: string): EngineError {
  return new EngineError('SQL_UNSUPPORTED', message, { hint, span: spanAt(context.script, context.span.offset) });
}
