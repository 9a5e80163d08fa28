// UPDATE … SET … WHERE …, StackQL's REPLACE … SET … WHERE … (a PUT of the whole resource) and
// DELETE FROM … WHERE …: the params of one mutation. A mutation
// cannot filter locally, so its WHERE holds only `param = value` / `param IN (…)` joined by AND.

import { mapPacked } from '../util/arrays.ts';
import type { Assignment, GivenValue, MutationStatement, SourceCondition } from './ast.ts';
import type { Token } from './lexer.ts';
import { listItems, tokensUntil, valueExpression } from './value-expressions.ts';
import { tableName, unsupported, type ConvertContext } from './convert.ts';
import { returningClause } from './returning.ts';
import { spanOfName } from './names.ts';
import { columnName, plainColumnName, toLiteral } from './literals.ts';
import { isReplaceSet, topLevelIndex } from './normalize.ts';
import type { SqlNode } from './sql-parser.ts';

export function convertMutation(node: SqlNode, context: ConvertContext): MutationStatement {
  // REPLACE … SET reaches here parsed as an UPDATE (normalize.ts).
  const kind = node.type === 'delete' ? 'delete' : isReplaceSet(context.tokens) ? 'replace' : 'update';
  const table = kind === 'delete' ? (node.from?.[0] ?? node.table?.[0]) : node.table?.[0];
  const target = tableName(table, context);
  const set = kind === 'delete' ? [] : assignments(node, context);
  const where = node.where ? conditions(node.where, context) : [];
  return { kind, target, set, where, returning: returningClause(node.returning, context), hints: context.hints };
}

function assignments(node: SqlNode, context: ConvertContext): Assignment<GivenValue>[] {
  const setAt = topLevelIndex(context.tokens, 'SET');
  const items = listItems(tokensUntil(context.tokens, setAt, ['WHERE', 'RETURNING']));
  return mapPacked(node.set as SqlNode[], (item, i) => assignment(item, items[i], context, setAt));
}

function assignment(item: SqlNode, tokens: readonly Token[] | undefined, context: ConvertContext, setAt: number): Assignment<GivenValue> {
  const name = columnName({ ...item, type: 'column_ref' });
  if (!name) throw unsupported(context, 'SET takes column = value', 'e.g. SET tags = \'{"env":"prod"}\'');
  const span = spanOfName(context, name, setAt);
  const literal = toLiteral(item.value, context.strings);
  if (literal) return { name, value: literal, span };
  const equals = tokens?.findIndex((token) => token.kind === 'punct' && token.value === '=') ?? -1;
  if (!tokens || equals === -1 || equals === tokens.length - 1) throw unsupported(context, 'SET takes column = value', 'e.g. SET tags = \'{"env":"prod"}\'');
  return { name, value: valueExpression(item.value, tokens.slice(equals + 1), context, `the value of ${name}`), span };
}

function conditions(expr: SqlNode, context: ConvertContext): SourceCondition[] {
  if (expr?.type === 'binary_expr' && expr.operator === 'AND') return [...conditions(expr.left, context), ...conditions(expr.right, context)];
  const column = plainColumnName(expr?.left);
  const values =
    expr?.operator === 'IN' && expr.right?.type === 'expr_list'
      ? (expr.right.value as SqlNode[]).map((value) => toLiteral(value, context.strings))
      : expr?.operator === '='
        ? [toLiteral(expr.right, context.strings)]
        : [];
  if (!column || values.length === 0 || values.some((value) => !value)) {
    throw unsupported(
      context,
      'an UPDATE, REPLACE or DELETE takes only param = value (or IN) conditions joined by AND',
      "e.g. WHERE subscriptionId = '…' AND factoryName = '…'",
    );
  }
  return [
    {
      sources: [0],
      column,
      values: values as NonNullable<(typeof values)[number]>[],
      span: spanOfName(context, column, topLevelIndex(context.tokens, 'WHERE')),
    },
  ];
}
