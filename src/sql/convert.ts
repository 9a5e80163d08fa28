// node-sql-parser's AST → skyql's statements. Only the shapes skyql supports are accepted;
// anything else is a coded SQL_UNSUPPORTED error.

import { EngineError, spanAt } from '../errors.ts';
import type { Condition, Hints, InsertStatement, Literal, QualifiedName, SelectItem, SelectStatement, Span } from './ast.ts';
import { isKeyword, type Token } from './lexer.ts';
import { topLevelIndex } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';

export interface ConvertContext {
  readonly script: string;
  readonly tokens: readonly Token[];
  readonly span: Span;
  readonly hints: Hints;
}

export function convertInsert(node: SqlNode, context: ConvertContext): InsertStatement {
  const target = tableName(node.table?.[0], context);
  const listStart = context.tokens.findIndex((token) => token.kind === 'punct' && token.value === '(');
  const columns = (node.columns ?? []).map((column: SqlNode) => {
    const name = identifierText(column);
    return { name, span: spanOfName(context.tokens, name, listStart) };
  });
  const rows = withValueSpans(insertRows(node.values, context), context.tokens);
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw unsupported(context, `INSERT has ${columns.length} column(s) but ${row.length} value(s)`, 'give one value per column');
    }
  }
  return { kind: 'insert', target, columns, rows, returning: returningColumns(node.returning), hints: context.hints };
}

export function convertSelect(node: SqlNode, context: ConvertContext): SelectStatement {
  const from: SqlNode[] = node.from ?? [];
  if (from.length !== 1 || from[0].expr || from[0].join) {
    throw unsupported(context, 'SELECT reads exactly one resource here', 'write SELECT … FROM provider.service.resource WHERE …');
  }
  for (const clause of ['groupby', 'having', 'orderby', 'with'] as const) {
    if (node[clause] && !(Array.isArray(node[clause]) && node[clause].length === 0)) {
      throw unsupported(context, `${clause.toUpperCase()} is not supported yet`, 'select the rows, then post-process them');
    }
  }
  return { kind: 'select', from: tableName(from[0], context), items: selectItems(node.columns, context), where: conditions(node.where, context), hints: context.hints };
}

function tableName(table: SqlNode | undefined, context: ConvertContext): QualifiedName {
  if (!table?.table) throw unsupported(context, 'expected a resource name', 'name it as provider.service.resource');
  const parts = [table.db, table.schema, table.table].filter((part): part is string => typeof part === 'string' && part !== '');
  const at = findSequence(context.tokens, parts.flatMap((part, i) => (i === 0 ? [part] : ['.', part])));
  const offset = at === -1 ? context.span.offset : context.tokens[at].offset;
  return { parts, span: { offset, length: parts.join('.').length } };
}

function insertRows(values: SqlNode | undefined, context: ConvertContext): Literal[][] {
  if (values?.type === 'values') {
    return values.values.map((row: SqlNode) => row.value.map((expr: SqlNode) => literal(expr, context)));
  }
  if (values?.type === 'select') {
    if (values.from) throw unsupported(context, 'INSERT … SELECT … FROM is not supported yet', 'use INSERT … SELECT with constant values, or VALUES');
    return [values.columns.map((column: SqlNode) => literal(column.expr, context))];
  }
  throw unsupported(context, 'INSERT needs VALUES (…) or SELECT …', 'see SHOW INSERT in README.md');
}

/** Attaches each value's position, so a bad value can be underlined. */
function withValueSpans(rows: Literal[][], tokens: readonly Token[]): Literal[][] {
  const start = Math.max(topLevelIndex(tokens, 'VALUES'), topLevelIndex(tokens, 'SELECT'));
  const end = topLevelIndex(tokens, 'RETURNING');
  const spans = literalSpans(tokens.slice(start + 1, end === -1 ? undefined : end));
  if (spans.length !== rows.flat().length) return rows;
  let next = 0;
  return rows.map((row) => row.map((value) => ({ ...value, span: spans[next++] })));
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

function returningColumns(returning: SqlNode | null | undefined): string[] | undefined {
  if (!returning) return undefined;
  return returning.columns.map((column: SqlNode) => columnName(column.expr) ?? '*');
}

function selectItems(columns: SqlNode[] | string, context: ConvertContext): SelectItem[] | undefined {
  if (columns === '*') return undefined;
  const items: SelectItem[] = [];
  for (const column of columns as SqlNode[]) {
    const name = columnName(column.expr);
    if (name === undefined) throw unsupported(context, 'only column names can be selected here', 'select columns by name, or *');
    if (name === '*') return undefined;
    items.push({ column: name, alias: typeof column.as === 'string' ? column.as : undefined });
  }
  return items;
}

function conditions(where: SqlNode | null, context: ConvertContext): Condition[] {
  if (!where) return [];
  if (where.type === 'binary_expr' && where.operator === 'AND') {
    return [...conditions(where.left, context), ...conditions(where.right, context)];
  }
  const column = where.type === 'binary_expr' && where.operator === '=' ? columnName(where.left) : undefined;
  if (column === undefined || column === '*') {
    throw unsupported(context, 'WHERE supports column = value conditions joined by AND', 'e.g. WHERE subscriptionId = \'…\' AND runId = \'…\'');
  }
  return [{ column, operator: '=', value: literal(where.right, context), span: spanOfName(context.tokens, column, topLevelIndex(context.tokens, 'WHERE')) }];
}

export function columnName(expr: SqlNode | undefined): string | undefined {
  if (expr?.type !== 'column_ref') return undefined;
  const column = expr.column;
  if (column === '*') return '*';
  if (typeof column === 'string') return column;
  return typeof column?.expr?.value === 'string' ? column.expr.value : undefined;
}

function identifierText(node: SqlNode): string {
  return typeof node === 'string' ? node : String(node.value);
}

function literal(expr: SqlNode, context: ConvertContext): Literal {
  switch (expr?.type) {
    case 'single_quote_string':
    case 'string':
    case 'natural_string':
      // node-sql-parser keeps the doubled quote of 'it''s'.
      return { kind: 'literal', value: String(expr.value).replace(/''/g, "'"), quoted: true };
    case 'number':
      return { kind: 'literal', value: Number(expr.value), quoted: false };
    case 'bool':
      return { kind: 'literal', value: Boolean(expr.value), quoted: false };
    case 'null':
      return { kind: 'literal', value: null, quoted: false };
    case 'unary_expr':
      if (expr.operator === '-' && expr.expr?.type === 'number') return { kind: 'literal', value: -Number(expr.expr.value), quoted: false };
  }
  throw unsupported(context, 'values must be literals (\'text\', numbers, TRUE, FALSE, NULL)', 'quote text and JSON values with single quotes');
}

/** The span of a column name after token `from`: a word, a quoted name, or `api-version` as three tokens. */
function spanOfName(tokens: readonly Token[], name: string, from: number): Span | undefined {
  for (let i = Math.max(from, 0); i < tokens.length; i++) {
    const token = tokens[i];
    if ((token.kind === 'word' || token.kind === 'quoted') && token.value === name) return { offset: token.offset, length: token.end - token.offset };
    const length = hyphenatedLength(tokens, i, name);
    if (length > 0) return { offset: token.offset, length };
  }
  return undefined;
}

function hyphenatedLength(tokens: readonly Token[], start: number, name: string): number {
  let text = '';
  for (let i = start; i < tokens.length && text.length < name.length; i++) {
    if (i > start && tokens[i].offset !== tokens[i - 1].end) return 0;
    text += tokens[i].value;
    if (text === name) return tokens[i].end - tokens[start].offset;
  }
  return 0;
}

function findSequence(tokens: readonly Token[], values: readonly string[]): number {
  return tokens.findIndex((_, i) => values.every((value, j) => tokens[i + j]?.value === value));
}

function unsupported(context: ConvertContext, message: string, hint: string): EngineError {
  return new EngineError('SQL_UNSUPPORTED', message, { hint, span: spanAt(context.script, context.span.offset) });
}
