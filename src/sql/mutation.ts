// UPDATE … SET … WHERE … and DELETE FROM … WHERE …: the params of one mutation. A mutation
// cannot filter locally, so its WHERE holds only `param = value` / `param IN (…)` joined by AND.

import type { Assignment, MutationStatement, SourceCondition } from './ast.ts';
import { returningColumns, tableName, unsupported, type ConvertContext } from './convert.ts';
import { spanOfName } from './names.ts';
import { columnName, toLiteral } from './literals.ts';
import { topLevelIndex } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';

export function convertMutation(node: SqlNode, context: ConvertContext): MutationStatement {
  const kind = node.type === 'update' ? 'update' : 'delete';
  const table = kind === 'update' ? node.table?.[0] : (node.from?.[0] ?? node.table?.[0]);
  const target = tableName(table, context);
  const set = kind === 'update' ? (node.set as SqlNode[]).map((item) => assignment(item, context)) : [];
  const where = node.where ? conditions(node.where, context) : [];
  return { kind, target, set, where, returning: returningColumns(node.returning), hints: context.hints };
}

function assignment(item: SqlNode, context: ConvertContext): Assignment {
  const name = columnName({ ...item, type: 'column_ref' });
  const value = toLiteral(item.value, context.strings);
  if (!name || !value) throw unsupported(context, 'SET takes column = value with a literal value', "e.g. SET tags = '{\"env\":\"prod\"}'");
  return { name, value, span: spanOfName(context, name, topLevelIndex(context.tokens, 'SET')) };
}

function conditions(expr: SqlNode, context: ConvertContext): SourceCondition[] {
  if (expr?.type === 'binary_expr' && expr.operator === 'AND') return [...conditions(expr.left, context), ...conditions(expr.right, context)];
  const column = columnName(expr?.left);
  const values = expr?.operator === 'IN' && expr.right?.type === 'expr_list'
    ? (expr.right.value as SqlNode[]).map((value) => toLiteral(value, context.strings))
    : expr?.operator === '=' ? [toLiteral(expr.right, context.strings)] : [];
  if (!column || values.length === 0 || values.some((value) => !value)) {
    throw unsupported(context, "an UPDATE or DELETE takes only param = value (or IN) conditions joined by AND", "e.g. WHERE subscriptionId = '…' AND factoryName = '…'");
  }
  return [{ sources: [0], column, values: values as NonNullable<(typeof values)[number]>[], span: spanOfName(context, column, topLevelIndex(context.tokens, 'WHERE')) }];
}
