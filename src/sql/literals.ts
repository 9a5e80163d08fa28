// node-sql-parser expressions that are plain values. A string literal reaches the parser as a
// stand-in ('\u0001' + index, normalize.ts); its value is read from the statement's strings.

import type { Literal } from './ast.ts';
import { STRING_STAND_IN } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';

/** A string literal: its real value and place when the parser saw a stand-in (see normalize.ts). */
function stringLiteral(raw: unknown, strings: readonly string[]): Literal {
  const text = String(raw);
  if (!text.startsWith(STRING_STAND_IN)) return { kind: 'literal', value: text.replace(/''/g, "'"), quoted: true };
  const index = Number(text.slice(1));
  return { kind: 'literal', value: strings[index], quoted: true, stringIndex: index };
}

/** The literal an expression is, or undefined when it is anything else. */
export function toLiteral(expr: SqlNode | undefined, strings: readonly string[]): Literal | undefined {
  switch (expr?.type) {
    case 'single_quote_string':
    case 'string':
    case 'natural_string':
      return stringLiteral(expr.value, strings);
    case 'number':
      return { kind: 'literal', value: Number(expr.value), quoted: false };
    case 'bool':
      return { kind: 'literal', value: Boolean(expr.value), quoted: false };
    case 'null':
      return { kind: 'literal', value: null, quoted: false };
    case 'unary_expr':
      if (expr.operator === '-' && expr.expr?.type === 'number') return { kind: 'literal', value: -Number(expr.expr.value), quoted: false };
  }
  return undefined;
}

/** Whether an expression is a literal (its value aside). */
export function isLiteralNode(expr: SqlNode | undefined): boolean {
  return toLiteral(expr, NO_STRINGS) !== undefined;
}

const NO_STRINGS: readonly string[] = Object.freeze([]);

/**
 * The column a reference names when it stands for the column's value as stored: not with a
 * COLLATE, which changes how it compares (`status COLLATE NOCASE = 'failed'` is no `status =
 * 'failed'` to send or to filter by exact value) and what SQLite names it.
 */
export function plainColumnName(expr: SqlNode | undefined): string | undefined {
  return expr?.collate ? undefined : columnName(expr);
}

export function columnName(expr: SqlNode | undefined): string | undefined {
  if (expr?.type !== 'column_ref') return undefined;
  const column = expr.column;
  if (column === '*') return '*';
  if (typeof column === 'string') return column;
  return typeof column?.expr?.value === 'string' ? column.expr.value : undefined;
}
