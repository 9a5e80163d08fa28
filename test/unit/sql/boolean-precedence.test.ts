// SQL's AND/OR precedence on the tree skyql analyses, whichever parser built it and however the
// text is spaced (node-sql-parser's own grouping depends on both).

import { describe, expect, it } from 'vitest';
import { withSqlPrecedence } from '../../../src/sql/boolean-precedence.ts';
import { astify, parsedShape, type SqlNode } from '../../../src/sql/sql-parser.ts';
import { SqlSession } from '../../../src/sql/session.ts';

const session = new SqlSession();
/** The tree skyql analyses: parsed once per text in a session. */
function astifyShape(text: string): SqlNode {
  const shape = parsedShape(text, session);
  if (shape.error) throw shape.error;
  return shape.node!;
}

/** Compact view: binary operators parenthesised, `^` for parentheses written in the source. */
function show(node: SqlNode): string {
  const mark = node.parentheses ? '^' : '';
  if (node.type === 'binary_expr') return `${mark}(${show(node.left)} ${node.operator} ${show(node.right)})`;
  if (node.type === 'unary_expr') return `${mark}(${node.operator} ${show(node.expr)})`;
  if (node.type === 'column_ref') return mark + (node.column.expr?.value ?? node.column);
  if (node.type === 'expr_list') return `[${node.value.map(show).join(', ')}]`;
  return mark + String(node.value);
}

const where = (condition: string) => show(astifyShape(`SELECT x FROM a.b.c WHERE ${condition}`).where);
/** The same through node-sql-parser alone (no fast path), then regrouped. */
const slowWhere = (condition: string) => show(withSqlPrecedence((astify(`SELECT x FROM a.b.c WHERE ${condition}`) as SqlNode).where));

describe('AND binds tighter than OR; NOT tighter than AND; parentheses group', () => {
  const cases: [string, string][] = [
    ['a = 1 OR b = 2 AND c = 3', '((a = 1) OR ((b = 2) AND (c = 3)))'],
    ['a = 1 AND b = 2 OR c = 3', '(((a = 1) AND (b = 2)) OR (c = 3))'],
    ['a = 1 OR b = 2 OR c = 3 AND d = 4', '(((a = 1) OR (b = 2)) OR ((c = 3) AND (d = 4)))'],
    ['a = 1 AND b = 2 AND c = 3 OR d = 4 AND e = 5', '((((a = 1) AND (b = 2)) AND (c = 3)) OR ((d = 4) AND (e = 5)))'],
    ['(a = 1 OR b = 2) AND c = 3', '(^((a = 1) OR (b = 2)) AND (c = 3))'],
    ['a = 1 OR (b = 2 OR c = 3 AND d = 4)', '((a = 1) OR ^((b = 2) OR ((c = 3) AND (d = 4))))'],
    ['NOT a = 1 OR b = 2 AND c = 3', '((NOT (a = 1)) OR ((b = 2) AND (c = 3)))'],
    ['NOT (a = 1 OR b = 2 AND c = 3) AND d = 4', '((NOT ^((a = 1) OR ((b = 2) AND (c = 3)))) AND (d = 4))'],
    ["a IS NULL OR b LIKE 'x' AND c < 3", '((a IS null) OR ((b LIKE x) AND (c < 3)))'],
    ['a IN (1) OR b IN (2) AND c = 2', '((a IN [1]) OR ((b IN [2]) AND (c = 2)))'],
  ];
  for (const [condition, expected] of cases) {
    it(condition, () => {
      expect(where(condition)).toBe(expected);
      expect(slowWhere(condition)).toBe(expected);
      // node-sql-parser's grouping changes with whitespace; skyql's does not.
      expect(where(condition.replace(/ (AND|OR) /g, '\n  $1\t'))).toBe(expected);
      expect(where(condition.replace(/\) (AND|OR)/g, ')/* c */$1'))).toBe(expected);
    });
  }

  it('in JOIN … ON, HAVING, CASE and subqueries too', () => {
    const node = astifyShape(
      'SELECT CASE WHEN a = 1 OR b = 2 AND c = 3 THEN 1 END AS k FROM a.b.c t JOIN a.b.d u ON t.x = u.x OR t.y = 1 AND u.z = 2 WHERE t.q IN (SELECT w FROM a.b.e WHERE m = 1 OR n = 2 AND o = 3) GROUP BY k HAVING count(*) = 1 OR sum(k) = 2 AND max(k) = 3',
    );
    expect(show(node.from[1].on)).toBe('((x = x) OR ((y = 1) AND (z = 2)))');
    expect(show(node.columns[0].expr.args[0].cond)).toBe('((a = 1) OR ((b = 2) AND (c = 3)))');
    expect(show(node.where.right.value[0].ast.where)).toBe('((m = 1) OR ((n = 2) AND (o = 3)))');
    expect(show(node.having).replace(/\[object Object\]/g, 'f')).toMatch(/^\(\(.* = 1\) OR \(\(.* = 2\) AND \(.* = 3\)\)\)$/);
  });

  it('is computed once per parsed text: the same tree object comes back', () => {
    expect(astifyShape('SELECT x FROM a.b.c WHERE a = 1 OR b = 2 AND c = 3')).toBe(astifyShape('SELECT x FROM a.b.c WHERE a = 1 OR b = 2 AND c = 3'));
  });
});
