// The sql/ stage's state, owned by whoever parses (an engine, or a single call): the scripts it
// parsed, and the trees of the statement shapes it has seen (statements that differ only in their
// strings share one shape: normalize.ts), each with what was worked out from it once.

import { BoundedCache, type CacheOwner, type CacheStats } from '../util/caches.ts';
import type { ParsedStatement } from './ast.ts';
import { LiteralShapes } from './literal-shape.ts';
import type { SqlNode } from './sql-parser.ts';

/** A parsed shape: its tree (or the parser's error), and what later steps work out from the tree once. */
export interface Shape {
  readonly node?: SqlNode;
  readonly error?: unknown;
  readonly memo: ShapeMemo;
}

/**
 * Analyses of a shape's tree (its sources, whether it streams, the names it mentions…), kept with
 * the shape: a statement of a known shape is converted without walking its tree again. Keyed by
 * node, since one tree holds several SELECTs (INSERT … SELECT, subqueries).
 */
export class ShapeMemo {
  private readonly byNode = new WeakMap<object, Map<string, unknown>>();

  get<T>(node: object, purpose: string, compute: () => T): T {
    const entries = this.entriesOf(node);
    if (entries.has(purpose)) return entries.get(purpose) as T;
    const value = compute();
    entries.set(purpose, value);
    return value;
  }

  /** What was recorded for a node, if anything. */
  peek<T>(node: object, purpose: string): T | undefined {
    return this.byNode.get(node)?.get(purpose) as T | undefined;
  }

  set(node: object, purpose: string, value: unknown): void {
    this.entriesOf(node).set(purpose, value);
  }

  private entriesOf(node: object): Map<string, unknown> {
    let entries = this.byNode.get(node);
    if (!entries) this.byNode.set(node, (entries = new Map()));
    return entries;
  }
}

export interface NodeSqlParser {
  astify(sql: string, options: { database: string; trimQuery: boolean }): SqlNode | SqlNode[];
  exprToSQL(expr: SqlNode, options: { database: string }): string;
}

export class SqlSession implements CacheOwner {
  /** Whole scripts, parsed: a statement run again with other vars is not parsed again (kept from its second time, among the last 16 new texts). */
  readonly scripts = new BoundedCache<string, readonly ParsedStatement[]>('sql.scripts', 200, { admitOnSecondSight: true, secondSightWindow: 16 });
  /** Normalized statement text → its tree and analyses (kept from its second time: most shapes of a script come once). */
  readonly shapes = new BoundedCache<string, Shape>('sql.shapes', 500, { admitOnSecondSight: true });
  /** Texts of one SELECT with their strings taken out, found again without the lexer (literal-shape.ts). */
  readonly literalShapes = new LiteralShapes();
  /** node-sql-parser, loaded when a statement first needs it (SHOW, DESCRIBE and EXEC never do). */
  parser?: NodeSqlParser;

  stats(): CacheStats[] {
    return [this.scripts.stats(), this.shapes.stats(), ...this.literalShapes.stats()];
  }

  clear(): void {
    this.scripts.clear();
    this.shapes.clear();
    this.literalShapes.clear();
  }
}
