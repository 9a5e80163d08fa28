// node-sql-parser expressions that are plain values.

import type { Literal } from './ast.ts';
import { STRING_STAND_IN } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';

let strings: readonly string[] = [];

/** Runs `convert` with the real values of the statement's string stand-ins (see normalize.ts). */
export function withStringValues<T>(values: readonly string[], convert: () => T): T {
  const previous = strings;
  strings = values;
  try {
    return convert();
  } finally {
    strings = previous;
  }
}

function stringValue(raw: unknown): string {
  const text = String(raw);
  return text.startsWith(STRING_STAND_IN) ? strings[Number(text.slice(1))] : text.replace(/''/g, "'");
}

/** The literal an expression is, or undefined when it is anything else. */
export function toLiteral(expr: SqlNode | undefined): Literal | undefined {
  switch (expr?.type) {
    case 'single_quote_string':
    case 'string':
    case 'natural_string':
      return { kind: 'literal', value: stringValue(expr.value), quoted: true };
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
