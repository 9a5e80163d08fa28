// node-sql-parser expressions that are plain values.

import type { Literal } from './ast.ts';
import type { SqlNode } from './sql-parser.ts';

/** The literal an expression is, or undefined when it is anything else. */
export function toLiteral(expr: SqlNode | undefined): Literal | undefined {
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
  return undefined;
}

export function columnName(expr: SqlNode | undefined): string | undefined {
  if (expr?.type !== 'column_ref') return undefined;
  const column = expr.column;
  if (column === '*') return '*';
  if (typeof column === 'string') return column;
  return typeof column?.expr?.value === 'string' ? column.expr.value : undefined;
}
