// SQL's precedence for AND and OR: NOT binds tighter than AND, AND tighter than OR, and
// parentheses group. node-sql-parser 5.4 (every dialect) gives AND and OR one precedence,
// folding `a = 1 OR b = 2 AND c = 3` into `(a = 1 OR b = 2) AND c = 3` (and its grouping even
// depends on whitespace). Whatever grouping it chose, the operands and operators of an
// unparenthesised AND/OR chain are in the tree in source order, so the chain is read back in
// that order and regrouped the way SQL means it. Everything skyql analyses (pushdown, the
// conditions of a mutation, direct filters, aggregates) reads the regrouped tree; the local
// SQL text that SQLite runs is the user's own text, which SQLite parses correctly itself.

import type { SqlNode } from './sql-parser.ts';

type Mutable = { [key: string]: any };

/** The tree with every AND/OR chain grouped by SQL's precedence; unchanged nodes are kept. */
export function withSqlPrecedence<T>(value: T): T {
  return regroup(value) as T;
}

function regroup(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return mapArray(value);
  const node = value as SqlNode;
  if (isAndOr(node)) return chain(node);
  if (isNotCall(node)) return notOf(node);
  return mapObject(node);
}

function isAndOr(node: SqlNode): boolean {
  return node.type === 'binary_expr' && (node.operator === 'AND' || node.operator === 'OR');
}

/** node-sql-parser reads `NOT (…)` as a call to a function named NOT. */
function isNotCall(node: SqlNode): boolean {
  const name = node.name?.name?.[0]?.value ?? node.name;
  return node.type === 'function' && typeof name === 'string' && name.toUpperCase() === 'NOT' && node.args?.value?.length === 1;
}

function notOf(node: SqlNode): SqlNode {
  const operand = { ...(regroup(node.args.value[0]) as Mutable), parentheses: true };
  return { type: 'unary_expr', operator: 'NOT', expr: operand };
}

/** An AND/OR chain: its operands in source order, then grouped (AND first, each level left to right). */
function chain(root: SqlNode): SqlNode {
  const operands: unknown[] = [];
  const operators: string[] = [];
  const collect = (node: SqlNode, top: boolean): void => {
    if (isAndOr(node) && (top || !node.parentheses)) {
      collect(node.left, false);
      operators.push(node.operator);
      collect(node.right, false);
    } else operands.push(regroup(node));
  };
  collect(root, true);
  const disjuncts: unknown[][] = [[operands[0]]];
  operators.forEach((operator, i) => {
    if (operator === 'OR') disjuncts.push([operands[i + 1]]);
    else disjuncts[disjuncts.length - 1].push(operands[i + 1]);
  });
  const grouped = foldLeft(
    disjuncts.map((conjuncts) => foldLeft(conjuncts, 'AND')),
    'OR',
  ) as Mutable;
  return root.parentheses ? { ...grouped, parentheses: true } : grouped;
}

function foldLeft(operands: readonly unknown[], operator: 'AND' | 'OR'): unknown {
  return operands.reduce((left, right) => ({ type: 'binary_expr', operator, left, right }));
}

function mapArray(values: readonly unknown[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const next = regroup(values[i]);
    if (next !== values[i]) (copy ??= [...values])[i] = next;
  }
  return copy ?? (values as unknown[]);
}

function mapObject(node: SqlNode): SqlNode {
  let copy: Mutable | undefined;
  for (const key in node) {
    const value = node[key];
    const next = regroup(value);
    if (next !== value) (copy ??= { ...node })[key] = next;
  }
  return copy ?? node;
}
