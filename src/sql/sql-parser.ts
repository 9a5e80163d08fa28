// node-sql-parser, PostgreSQL build: the only dialect that reads three-part names and
// RETURNING. Loaded on first use, since SHOW/DESCRIBE/EXEC never need it.

import { createRequire } from 'node:module';
import { withSqlPrecedence } from './boolean-precedence.ts';
import { fastAstify } from './fast-parser.ts';

export interface ParserLocation {
  readonly start: { readonly offset: number; readonly line: number; readonly column: number };
}

export interface ParserSyntaxError extends Error {
  readonly location?: ParserLocation;
  readonly found?: string | null;
}

// node-sql-parser's AST is loosely typed; converters check the shapes they rely on.
export type SqlNode = { readonly type?: string; readonly [key: string]: any };

interface Parser {
  astify(sql: string, options: { database: string; trimQuery: boolean }): SqlNode | SqlNode[];
}

let parser: Parser | undefined;

export function astify(sql: string): SqlNode | SqlNode[] {
  parser ??= loadParser();
  // Untrimmed, so the parser's error offsets line up with the text skyql gave it.
  return parser.astify(sql, { database: 'PostgreSQL', trimQuery: false });
}

function loadParser(): Parser {
  const require = createRequire(import.meta.url);
  const module = require('node-sql-parser/build/postgresql.js') as { Parser: new () => Parser };
  return new module.Parser();
}

const CACHE_SIZE = 500;
const cache = new Map<string, { node?: SqlNode; error?: unknown }>();

/**
 * One statement's AST, parsed once per text: statements that differ only in their strings share
 * a text (normalize.ts), so repeated shapes skip the parser, which costs 0.3 ms or more. Common
 * shapes are parsed by fast-parser.ts in a few µs; it gives up on anything else (syntax errors
 * included), which node-sql-parser then parses or reports. Either tree is then regrouped by SQL's
 * AND/OR precedence (boolean-precedence.ts). Callers must not change the AST.
 */
export function astifyCached(text: string): SqlNode {
  let entry = cache.get(text);
  if (!entry) {
    try {
      const node = fastAstify(text) ?? astify(text);
      entry = { node: withSqlPrecedence(Array.isArray(node) ? node[0] : node) };
    } catch (error) {
      entry = { error };
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(text, entry);
  }
  if (entry.error !== undefined) throw entry.error;
  return entry.node!;
}
