// Small questions asked of node-sql-parser's AST by more than one stage of SELECT analysis.

import type { SqlNode } from './sql-parser.ts';
import { constantSet } from '../util/caches.ts';

/** Whether any node below has one of the types (a function with OVER counts as a window function). */
export function containsAny(value: unknown, types: readonly string[]): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((child) => containsAny(child, types));
  const node = value as SqlNode;
  if (types.includes(node.type as string) || (node.type === 'function' && node.over)) return true;
  for (const key in node) if (containsAny(node[key], types)) return true;
  return false;
}

/** SQLite's aggregate functions that node-sql-parser reads as plain functions. */
const PLAIN_FUNCTION_AGGREGATES = constantSet([
  'total',
  'group_concat',
  'string_agg',
  'json_group_array',
  'json_group_object',
  'jsonb_group_array',
  'jsonb_group_object',
  'median',
  'percentile',
  'percentile_cont',
  'percentile_disc',
]);

/** Whether any node below is an aggregate call, however node-sql-parser read it. */
export function containsAggregate(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsAggregate);
  const node = value as SqlNode;
  if (node.type === 'aggr_func' || (node.type === 'function' && PLAIN_FUNCTION_AGGREGATES.has(functionName(node.name) ?? ''))) return true;
  for (const key in node) if (containsAggregate(node[key])) return true;
  return false;
}

/** A function's name when it is one word (`json_extract`), lower case. */
export function functionName(name: SqlNode): string | undefined {
  const parts: SqlNode[] = name?.name ?? [];
  return parts.length === 1 ? String(parts[0].value).toLowerCase() : undefined;
}

/**
 * The SELECT reads one resource, named in its FROM itself: not a subquery over it, whose
 * DISTINCT, ORDER BY or LIMIT hold for all its rows (a page at a time would break them).
 */
export function readsLoneResource(node: SqlNode, sourceCount: number): boolean {
  const from: SqlNode[] = node.from ?? [];
  return sourceCount === 1 && from.length === 1 && from[0].expr === undefined;
}

export function countConjuncts(expr: SqlNode): number {
  return expr?.type === 'binary_expr' && expr.operator === 'AND' ? countConjuncts(expr.left) + countConjuncts(expr.right) : 1;
}

/**
 * A LIMIT's or an OFFSET's value: a number, or the statement's string at this index (`LIMIT
 * {{ n }}`: normalize.ts gave the parser the numbered parameter `$index+1` for it).
 */
export type CountForm = number | { readonly stringAt: number };

/** LIMIT and OFFSET when each is a number or a string (no LIMIT: offset 0); undefined otherwise. */
export function limitForms(node: SqlNode): { limit?: CountForm; offset: CountForm } | undefined {
  const values: SqlNode[] = node.limit?.value ?? [];
  const forms = values.map(countForm);
  if (forms.some((form) => form === undefined)) return undefined;
  const [first, second] = forms as CountForm[];
  if (values.length === 0) return { offset: 0 };
  if (node.limit.seperator === ',') return { limit: second, offset: first };
  return { limit: first, offset: second ?? 0 };
}

function countForm(value: SqlNode): CountForm | undefined {
  if (value.type === 'number') return Number(value.value);
  return value.type === 'var' && value.prefix === '$' && typeof value.name === 'number' ? { stringAt: value.name - 1 } : undefined;
}

/** LIMIT and OFFSET when they are plain numbers (no LIMIT: offset 0); undefined otherwise. */
export function limitWindow(node: SqlNode): { limit?: number; offset: number } | undefined {
  const forms = limitForms(node);
  if (!forms || typeof forms.limit === 'object' || typeof forms.offset === 'object') return undefined;
  return forms as { limit?: number; offset: number };
}
