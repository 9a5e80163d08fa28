// Finds the resources a SELECT reads and the conditions that can become request params:
// `column = value` / `column IN (…)` and `a.column = b.column` among the AND-ed conditions of
// each WHERE and JOIN … ON, resolved to the sources of the scope they appear in.

import { mapPacked } from '../util/arrays.ts';
import type { ComparedColumn, JoinBinding, Literal, LowerBound, SelectSource, SourceCondition, Span } from './ast.ts';
import { STRING_STAND_IN } from './normalize.ts';
import { columnName, isLiteralNode, plainColumnName, toLiteral } from './literals.ts';
import type { ShapeMemo } from './session.ts';
import type { SqlNode } from './sql-parser.ts';

export interface SourceAnalysis {
  readonly sources: SelectSource[];
  /** For each source, the AST item it came from (to pair with its place in the text). */
  readonly items: SqlNode[];
  readonly conditions: SourceCondition[];
  readonly joins: JoinBinding[];
  readonly lowerBounds: LowerBound[];
  readonly compared: ComparedColumn[];
}

interface ScopeItem {
  readonly key: string;
  readonly source?: number;
}

/** A condition before its values are read: the value nodes hold string stand-ins. */
interface ConditionNodes {
  readonly sources: readonly number[];
  readonly column: string;
  readonly valueNodes: readonly SqlNode[];
}

/** A join binding before its expression's strings are read: the expression holds string stand-ins. */
interface BindingNodes {
  readonly sources: readonly number[];
  readonly column: string;
  readonly from: { readonly sources: readonly number[]; readonly column?: string; readonly expression?: string };
}

interface SemiJoinShape {
  readonly sources: readonly number[];
  readonly column: string;
  /** The subquery's FROM item, and the column it selects. */
  readonly item: SqlNode;
  readonly selected: string;
}

interface SourceWalk {
  readonly sources: SelectSource[];
  readonly items: SqlNode[];
  readonly conditions: ConditionNodes[];
  readonly joins: BindingNodes[];
  readonly lowerBounds: BoundNode[];
  readonly compared: ComparedColumn[];
  /** `column IN (SELECT c FROM resource …)`: bound to the subquery's source once the walk has numbered it. */
  readonly semiJoins: SemiJoinShape[];
  readonly print: ExpressionPrinter;
}

/** An expression's SQL text, or undefined when it cannot be printed faithfully. */
export type ExpressionPrinter = (node: SqlNode) => string | undefined;

interface BoundNode {
  readonly sources: readonly number[];
  readonly column: string;
  readonly valueNode: SqlNode;
  /** An expression of constants, printed (its strings still stand-ins). */
  readonly expression?: string;
}

/** Where an expression of a bound is: the statement (the bound's own tokens are not kept). */
const NO_SPAN: Span = { offset: 0, length: 0 };

/**
 * The walk over a shape's tree is done once per shape (kept in its memo); only the condition values
 * (the strings of this statement) are read each time.
 */
export function analyzeSources(root: SqlNode, memo: ShapeMemo, strings: readonly string[], print: ExpressionPrinter): SourceAnalysis {
  const shape = memo.get(root, 'sources', () => {
    const analysis: SourceWalk = { sources: [], items: [], conditions: [], joins: [], lowerBounds: [], compared: [], semiJoins: [], print };
    walkSelect(root, analysis);
    for (const semi of analysis.semiJoins) {
      const from = analysis.items.indexOf(semi.item);
      if (from !== -1) analysis.joins.push({ sources: semi.sources, column: semi.column, from: { sources: [from], column: semi.selected } });
    }
    return analysis;
  });
  const literal = (node: SqlNode) => toLiteral(node, strings)!;
  const conditions = mapPacked(shape.conditions, (condition) => ({
    sources: condition.sources,
    column: condition.column,
    values: mapPacked(condition.valueNodes, literal),
  }));
  const lowerBounds = mapPacked(shape.lowerBounds, (bound) => ({
    sources: bound.sources,
    column: bound.column,
    value:
      bound.expression === undefined ? literal(bound.valueNode) : { kind: 'expression' as const, ...boundExpression(bound.expression, strings), span: NO_SPAN },
  }));
  const joins = mapPacked(
    shape.joins,
    (binding): JoinBinding =>
      binding.from.expression === undefined
        ? (binding as JoinBinding)
        : {
            ...binding,
            from: { sources: binding.from.sources, expression: boundExpression(binding.from.expression, strings) },
          },
  );
  return { sources: shape.sources, items: shape.items, conditions, joins, lowerBounds, compared: shape.compared };
}

function isResourceItem(item: SqlNode): boolean {
  return typeof item?.db === 'string' && typeof item?.schema === 'string' && typeof item?.table === 'string';
}

function walkSelect(node: SqlNode, analysis: SourceWalk): void {
  for (const cte of node.with ?? []) walkNested(cte.stmt, analysis);
  walkNested(node.columns, analysis);
  const scope: ScopeItem[] = [];
  for (const item of node.from ?? []) {
    if (isResourceItem(item)) {
      const source =
        analysis.sources.push({ name: { parts: [item.db, item.schema, item.table], span: { offset: 0, length: 0 } }, alias: item.as ?? undefined }) - 1;
      analysis.items.push(item);
      scope.push({ key: item.as ?? item.table, source });
    } else {
      scope.push({ key: item.as ?? item.table ?? '' });
      walkNested(item.expr, analysis);
    }
  }
  (node.from ?? []).forEach((item: SqlNode, at: number) => {
    if (item.on) analyzeConditions(item.on, scope, analysis, filteredByOn(item.join, at, scope));
  });
  if (node.where) analyzeConditions(node.where, scope, analysis, () => true);
  for (const clause of [node.where, node.having, ...(node.from ?? []).map((item: SqlNode) => item.on)]) collectCompared(clause, scope, analysis);
  for (const clause of [node.where, node.having, node.orderby, node.groupby]) walkNested(clause, analysis);
  if (node._next) walkSelect(node._next, analysis);
}

/** Visits subqueries anywhere inside an expression, in text order. */
function walkNested(value: unknown, analysis: SourceWalk): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const child of value) walkNested(child, analysis);
    return;
  }
  const node = value as SqlNode;
  if (node.type === 'select') return walkSelect(node, analysis);
  for (const key in node) walkNested(node[key], analysis);
}

/**
 * Which sources an ON condition filters, so that it may become their request param: all of them
 * in an inner join; in `a LEFT JOIN b ON …` only b (every row of a stays, matched or not), in
 * `a RIGHT JOIN b ON …` only a, in a FULL join none. WHERE conditions filter every source.
 */
function filteredByOn(join: string | undefined, at: number, scope: readonly ScopeItem[]): (source: number) => boolean {
  const own = scope[at]?.source;
  if (join === 'LEFT JOIN') return (source) => source === own;
  if (join === 'RIGHT JOIN') return (source) => scope.findIndex((item) => item.source === source) < at;
  if (join === 'FULL JOIN') return () => false;
  return () => true;
}

function analyzeConditions(expr: SqlNode, scope: readonly ScopeItem[], analysis: SourceWalk, filters: (source: number) => boolean): void {
  for (const conjunct of conjuncts(expr)) {
    const condition = literalCondition(conjunct, scope);
    const sources = condition?.sources.filter(filters);
    const semi = condition ? undefined : semiJoin(conjunct, scope);
    if (condition) {
      if (sources!.length > 0) analysis.conditions.push({ ...condition, sources: sources! });
    } else if (semi) {
      if (semi.sources.every(filters)) analysis.semiJoins.push(semi);
    } else analysis.joins.push(...joinBindings(conjunct, scope, analysis.print).filter((binding) => binding.sources.every(filters)));
    const bound = lowerBound(conjunct, scope, analysis.print);
    if (bound?.sources.some(filters)) analysis.lowerBounds.push({ ...bound, sources: bound.sources.filter(filters) });
  }
}

const REVERSED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' };

/**
 * `column >= v`, `column > v`, `column = v`, `v <= column`, `column BETWEEN v AND w`: every row has
 * column ≥ v, v a literal or an expression of constants (printed, to be computed when planned).
 */
function lowerBound(expr: SqlNode, scope: readonly ScopeItem[], print: ExpressionPrinter): BoundNode | undefined {
  if (expr?.type !== 'binary_expr') return undefined;
  if (expr.operator === 'BETWEEN' && expr.right?.type === 'expr_list' && isBoundValue(expr.right.value?.[0]))
    return boundOn(expr.left, expr.right.value[0], scope, print);
  if (isBoundValue(expr.right) && ['>', '>=', '='].includes(expr.operator)) return boundOn(expr.left, expr.right, scope, print);
  if (isBoundValue(expr.left) && ['>', '>=', '='].includes(REVERSED[expr.operator] ?? '')) return boundOn(expr.right, expr.left, scope, print);
  return undefined;
}

/** A literal, or function calls and `||` over literals only (`datetime('now', '-7 days')`). */
function isBoundValue(node: SqlNode): boolean {
  return isLiteral(node) || (columnRefs(node).length === 0 && isPlainValue(node));
}

function boundOn(column: SqlNode, valueNode: SqlNode, scope: readonly ScopeItem[], print: ExpressionPrinter): BoundNode | undefined {
  const name = plainColumnName(column);
  const sources = sourcesOf(column, scope);
  if (!name || name === '*' || sources.length === 0) return undefined;
  if (isLiteral(valueNode)) return { sources, column: name, valueNode };
  const expression = print(valueNode);
  return expression === undefined ? undefined : { sources, column: name, valueNode, expression };
}

/** Every column a WHERE, ON or HAVING compares, wherever it sits in the expression. */
function collectCompared(expr: unknown, scope: readonly ScopeItem[], analysis: SourceWalk): void {
  if (!expr || typeof expr !== 'object') return;
  if (Array.isArray(expr)) {
    for (const child of expr) collectCompared(child, scope, analysis);
    return;
  }
  const node = expr as SqlNode;
  if (node.type === 'select') return;
  if (node.type === 'column_ref') {
    const name = columnName(node);
    const sources = sourcesOf(node, scope);
    if (name && name !== '*' && sources.length > 0) analysis.compared.push({ sources, column: name });
    return;
  }
  for (const key in node) collectCompared(node[key], scope, analysis);
}

function conjuncts(expr: SqlNode): SqlNode[] {
  if (expr?.type === 'binary_expr' && expr.operator === 'AND') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

function literalCondition(expr: SqlNode, scope: readonly ScopeItem[]): ConditionNodes | undefined {
  if (expr?.type !== 'binary_expr') return undefined;
  if (expr.operator === 'IN' && expr.right?.type === 'expr_list') {
    const values = expr.right.value as SqlNode[];
    return values.every(isLiteral) ? conditionOn(expr.left, values, scope) : undefined;
  }
  if (expr.operator !== '=') return undefined;
  if (isLiteral(expr.right)) return conditionOn(expr.left, [expr.right], scope);
  return isLiteral(expr.left) ? conditionOn(expr.right, [expr.left], scope) : undefined;
}

const isLiteral = isLiteralNode;

function conditionOn(column: SqlNode, valueNodes: SqlNode[], scope: readonly ScopeItem[]): ConditionNodes | undefined {
  const name = plainColumnName(column);
  const sources = sourcesOf(column, scope);
  return name && name !== '*' && sources.length > 0 ? { sources, column: name, valueNodes } : undefined;
}

/**
 * `column IN (SELECT c FROM provider.service.resource …)`: the subquery's rows are fetched first and
 * its distinct values of c are sent as the column's param (SQLite still applies the whole IN).
 * Only a subquery of one resource selecting one plain column, without a UNION.
 */
function semiJoin(expr: SqlNode, scope: readonly ScopeItem[]): SemiJoinShape | undefined {
  if (expr?.type !== 'binary_expr' || expr.operator !== 'IN' || expr.right?.type !== 'expr_list' || expr.right.value?.length !== 1) return undefined;
  const query = expr.right.value[0]?.ast ?? expr.right.value[0];
  if (query?.type !== 'select' || query._next || query.from?.length !== 1 || !isResourceItem(query.from[0]) || query.columns?.length !== 1) return undefined;
  const selected = columnName(query.columns[0].expr);
  const outer = side(expr.left, scope);
  return selected && selected !== '*' && outer ? { ...outer, item: query.from[0], selected } : undefined;
}

function joinBindings(expr: SqlNode, scope: readonly ScopeItem[], print: ExpressionPrinter): BindingNodes[] {
  if (expr?.type !== 'binary_expr' || expr.operator !== '=') return [];
  const [left, right] = [side(expr.left, scope), side(expr.right, scope)];
  if (left && right)
    return [
      { ...left, from: right },
      { ...right, from: left },
    ];
  const column = left ?? right;
  const other = left ? expr.right : expr.left;
  if (!column || !isValueExpression(other)) return [];
  const sources = [
    ...new Set(
      columnRefs(other)
        .map((ref) => sourcesOf(ref, scope))
        .map((found) => (found.length === 1 ? found[0] : -1)),
    ),
  ];
  if (sources.length !== 1 || sources[0] === -1) return [];
  const text = print(other);
  return text === undefined ? [] : [{ ...column, from: { sources, expression: text } }];
}

/**
 * An expression a join may take a param's values from: columns, literals, function calls and
 * `||` (which associates, so no parentheses are lost in printing), with at least one column.
 */
function isValueExpression(node: SqlNode): boolean {
  return columnRefs(node).length > 0 && isPlainValue(node);
}

function isPlainValue(node: SqlNode): boolean {
  switch (node?.type) {
    case 'column_ref':
      return columnName(node) !== '*';
    case 'function':
      return !node.over && (node.args?.value ?? []).every(isPlainValue);
    case 'binary_expr':
      return node.operator === '||' && isPlainValue(node.left) && isPlainValue(node.right);
    default:
      return isLiteralNode(node);
  }
}

function columnRefs(node: unknown): SqlNode[] {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(columnRefs);
  const value = node as SqlNode;
  if (value.type === 'column_ref') return [value];
  return Object.values(value).flatMap(columnRefs);
}

/** The expression with its string stand-ins as `?`, and their values in order. */
function boundExpression(text: string, strings: readonly string[]): { text: string; bindings: Literal[] } {
  const bindings: Literal[] = [];
  const bound = text.replace(new RegExp(`'${STRING_STAND_IN}(\\d+)'`, 'g'), (_whole, index: string) => {
    bindings.push({ kind: 'literal', value: strings[Number(index)], quoted: true });
    return '?';
  });
  return { text: bound, bindings };
}

function side(expr: SqlNode, scope: readonly ScopeItem[]): { sources: number[]; column: string } | undefined {
  const column = columnName(expr);
  const sources = sourcesOf(expr, scope);
  return column && column !== '*' && sources.length > 0 ? { sources, column } : undefined;
}

/** The sources a column reference may point at: its qualifier's, or every source in scope. */
function sourcesOf(column: SqlNode, scope: readonly ScopeItem[]): number[] {
  if (column?.type !== 'column_ref') return [];
  const sources = scope.filter((item) => item.source !== undefined);
  if (!column.table) return mapPacked(sources, (item) => item.source!);
  const match = scope.find((item) => item.key === column.table);
  return match?.source === undefined ? [] : [match.source];
}
