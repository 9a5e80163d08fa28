// node-sql-parser, PostgreSQL build: the only dialect that reads three-part names and
// RETURNING. Loaded on first use, since SHOW/DESCRIBE/EXEC never need it.

import { createRequire } from 'node:module';
import { withSqlPrecedence } from './boolean-precedence.ts';
import { fastAstify } from './fast-parser.ts';
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
  return parser.astify(sql, { database: 'PostgreSQL', trimQuery: false });
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
