// node-sql-parser, PostgreSQL build: the only dialect that reads three-part names and
// RETURNING. Loaded on first use, since SHOW/DESCRIBE/EXEC never need it.

import { createRequire } from 'node:module';
import { withSqlPrecedence } from './boolean-precedence.ts';
import { fastAstify } from './fast-parser.ts';
import { columnName } from './literals.ts';
import { functionName } from './ast-walk.ts';
import { ShapeMemo, type NodeSqlParser, type Shape, type SqlSession } from './session.ts';

export interface ParserLocation {
  readonly start: { readonly offset: number; readonly line: number; readonly column: number };
}

export interface ParserSyntaxError extends Error {
  readonly location?: ParserLocation;
  readonly found?: string | null;
}

// node-sql-parser's AST is loosely typed; converters check the shapes they rely on.
export type SqlNode = { readonly type?: string; readonly [key: string]: any };

/** node-sql-parser's tree for a text, untrimmed, so its error offsets line up with the text skyql gave it. */
export function astify(sql: string, parser: NodeSqlParser = loadParser()): SqlNode | SqlNode[] {
  try {
    return parser.astify(sql, { database: 'PostgreSQL', trimQuery: false });
  } catch (error) {
    // Its grammar's actions fail on some texts it accepts (`UPDATE t SET * = 1`): a statement it cannot read.
    if (error instanceof TypeError) throw new ParserFailure(error);
    throw error;
  }
}

/** node-sql-parser failed inside its own code on a text (not a syntax error it reports). */
export class ParserFailure extends Error {
  constructor(cause: TypeError) {
    super('node-sql-parser cannot read this statement', { cause });
  }
}

function loadParser(): NodeSqlParser {
  const require = createRequire(import.meta.url);
  const module = require('node-sql-parser/build/postgresql.js') as { Parser: new () => NodeSqlParser };
  return new module.Parser();
}

/**
 * One statement's shape, parsed once per text per session: statements that differ only in their
 * strings share a text (normalize.ts), so repeated shapes skip the parser, which costs 0.3 ms or
 * more. Common shapes are parsed by fast-parser.ts in a few µs; it gives up on anything else
 * (syntax errors included), which node-sql-parser then parses or reports. Either tree is then
 * regrouped by SQL's AND/OR precedence (boolean-precedence.ts). Callers must not change the tree.
 */
export function parsedShape(text: string, session: SqlSession): Shape {
  return session.shapes.getOrCompute(text, () => {
    try {
      const node = fastAstify(text) ?? astify(text, (session.parser ??= loadParser()));
      return { node: withSqlPrecedence(Array.isArray(node) ? node[0] : node), memo: new ShapeMemo() };
    } catch (error) {
      return { error, memo: new ShapeMemo() };
    }
  });
}

/**
 * An expression's SQL text, printed by node-sql-parser, or undefined when the text does not parse
 * back to the same expression (so a printing mistake can never change what runs).
 */
export function printedExpression(node: SqlNode, session: SqlSession): string | undefined {
  const parser = (session.parser ??= loadParser());
  try {
    const text = parser.exprToSQL(node, { database: 'PostgreSQL' });
    const back = withSqlPrecedence((astify(`SELECT ${text}`, parser) as SqlNode).columns?.[0]?.expr);
    return JSON.stringify(canonical(back)) === JSON.stringify(canonical(node)) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** What an expression means, without the parsers' incidental fields. */
function canonical(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(canonical);
  if (!node || typeof node !== 'object') return node;
  const value = node as SqlNode;
  switch (value.type) {
    case 'column_ref':
      return { column: columnName(value), table: value.table ?? null, collate: value.collate?.collate?.name?.value ?? null };
    case 'function':
      return { function: functionName(value.name) ?? null, args: canonical(value.args?.value ?? []) };
    case 'binary_expr':
      return { operator: value.operator, left: canonical(value.left), right: canonical(value.right) };
    case 'unary_expr':
      return { unary: value.operator, expr: canonical(value.expr) };
    case 'expr_list':
      return canonical(value.value);
    default:
      return { type: value.type, value: value.value ?? null };
  }
}
