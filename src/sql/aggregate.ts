// A grouping SELECT simple enough to aggregate in JavaScript as pages arrive, instead of storing
// every row in SQLite first: one source, WHERE of the source's conditions only, GROUP BY columns
// or json_extract(column, '$.path'), and count/sum/total/avg/min/max over the same. Anything else
// (HAVING, DISTINCT, expressions around aggregates, joins…) keeps the SQLite path.

import type { AggregateFn, AggregateItem, AggregateQuery, OrderTerm, SelectSource, SourceCondition, ValueExpr } from './ast.ts';
import { containsAggregate, containsAny, countConjuncts, functionName, limitWindow, readsLoneResource } from './ast-walk.ts';
import { columnName, toLiteral } from './literals.ts';
import type { ShapeMemo } from './session.ts';
import type { SqlNode } from './sql-parser.ts';
import { sameName } from '../util/same-name.ts';

const FUNCTIONS: Readonly<Record<string, AggregateFn>> = { COUNT: 'count', SUM: 'sum', TOTAL: 'total', AVG: 'avg', MIN: 'min', MAX: 'max' };

/** A json_extract's path is a string literal: its node is kept, its value read per statement. */
type AggregateForm = AggregateQuery & { readonly pathNodes: readonly SqlNode[] };

/** Worked out once per shape (kept in its memo): only the json paths are read per statement. */
export function aggregateOf(
  node: SqlNode,
  sources: readonly SelectSource[],
  conditions: readonly SourceCondition[],
  memo: ShapeMemo,
  strings: readonly string[],
): AggregateQuery | undefined {
  const form = memo.get(node, 'aggregate', () => aggregateForm(node, sources, conditions) ?? null);
  if (!form) return undefined;
  if (form.pathNodes.length === 0) return form;
  const paths = form.pathNodes.map((path) => toLiteral(path, strings)!.value as string);
  return withPaths(form, paths);
}

function aggregateForm(node: SqlNode, sources: readonly SelectSource[], conditions: readonly SourceCondition[]): AggregateForm | undefined {
  if (!isGroupingForm(node, sources, conditions)) return undefined;
  const reader = new ExprReader(sources[0].alias);
  const window = limitWindow(node);
  if (!window) return undefined;
  const items: AggregateItem[] = [];
  for (const column of node.columns as SqlNode[]) {
    const expr = reader.output(column.expr);
    if (!expr) return undefined;
    items.push(typeof column.as === 'string' ? { expr, alias: column.as } : { expr });
  }
  const groupBy: OrderTerm[] = [];
  for (const term of node.groupby?.columns ?? []) {
    const read = reader.term(term, false);
    if (!read) return undefined;
    groupBy.push(read);
  }
  const orderBy: AggregateQuery['orderBy'][number][] = [];
  for (const item of node.orderby ?? []) {
    const term = reader.term(item.expr, true);
    if (!term || item.nulls) return undefined;
    orderBy.push({ term, descending: String(item.type).toUpperCase() === 'DESC' });
  }
  return { items, groupBy, orderBy, ...window, pathNodes: reader.pathNodes };
}

function isGroupingForm(node: SqlNode, sources: readonly SelectSource[], conditions: readonly SourceCondition[]): boolean {
  if (!readsLoneResource(node, sources.length) || node._next || node.with?.length || node.having || node.distinct?.type) return false;
  if (!Array.isArray(node.columns) || !(node.groupby?.columns?.length || containsAggregate(node.columns))) return false;
  if (containsAny([node.columns, node.orderby, node.groupby], ['select', 'window_func']) || containsAny(node.where, ['select'])) return false;
  return !node.where || countConjuncts(node.where) === conditions.length;
}

class ExprReader {
  readonly pathNodes: SqlNode[] = [];
  private readonly alias: string | undefined;
  constructor(alias: string | undefined) {
    this.alias = alias;
  }

  output(expr: SqlNode): AggregateItem['expr'] | undefined {
    if (expr?.type === 'aggr_func') return this.aggregate(expr);
    return isTotal(expr) ? this.total(expr) : this.value(expr);
  }

  /** A GROUP BY or ORDER BY term: a name may be a column or an alias, a number a position. */
  term(expr: SqlNode, ordering: boolean): OrderTerm | undefined {
    if (expr?.type === 'number' && Number.isInteger(Number(expr.value))) return { kind: 'position', position: Number(expr.value) };
    if (expr?.type === 'column_ref' && !expr.table && !expr.collate) {
      const name = columnName(expr);
      return name && name !== '*' ? { kind: 'name', name } : undefined;
    }
    const read = ordering ? this.output(expr) : this.value(expr);
    return read && { kind: 'expr', expr: read };
  }

  private aggregate(expr: SqlNode): AggregateItem['expr'] | undefined {
    const fn = FUNCTIONS[String(expr.name).toUpperCase()];
    const args = expr.args ?? {};
    if (!fn || expr.over || expr.filter || args.distinct || args.orderby || args.separator) return undefined;
    if (args.expr?.type === 'star') return fn === 'count' ? { kind: 'aggregate', fn } : undefined;
    const arg = this.value(args.expr);
    return arg && { kind: 'aggregate', fn, arg };
  }

  /** node-sql-parser reads SQLite's total() as a plain function. */
  private total(expr: SqlNode): AggregateItem['expr'] | undefined {
    const args: SqlNode[] = expr.args?.type === 'expr_list' ? expr.args.value : [];
    const arg = args.length === 1 && !expr.args.distinct ? this.value(args[0]) : undefined;
    return arg && { kind: 'aggregate', fn: 'total', arg };
  }

  private value(expr: SqlNode): ValueExpr | undefined {
    if (expr?.type === 'column_ref') {
      const column = this.column(expr);
      return column === undefined ? undefined : { kind: 'column', column };
    }
    if (expr?.type !== 'function' || expr.over || !isJsonExtract(expr.name)) return undefined;
    const [target, path, ...rest] = expr.args?.type === 'expr_list' ? expr.args.value : [];
    const column = target?.type === 'column_ref' ? this.column(target) : undefined;
    if (column === undefined || rest.length > 0 || !(path?.type === 'single_quote_string' || path?.type === 'string')) return undefined;
    this.pathNodes.push(path);
    return { kind: 'json', column, path: '' };
  }

  /** An unqualified column, or one qualified by the source's alias. */
  private column(expr: SqlNode): string | undefined {
    const name = columnName(expr);
    if (!name || name === '*' || expr.collate) return undefined;
    if (expr.table && (!this.alias || !sameName(String(expr.table), this.alias))) return undefined;
    return name;
  }
}

function isJsonExtract(name: SqlNode): boolean {
  return functionName(name) === 'json_extract';
}

function isTotal(expr: SqlNode): boolean {
  return expr?.type === 'function' && !expr.over && functionName(expr.name) === 'total';
}

/** The form with this statement's json paths, in the order the reader met them. */
function withPaths(form: AggregateForm, paths: readonly string[]): AggregateQuery {
  let next = 0;
  const value = (expr: ValueExpr): ValueExpr => (expr.kind === 'json' ? { ...expr, path: paths[next++] } : expr);
  const output = (expr: AggregateItem['expr']): AggregateItem['expr'] =>
    expr.kind === 'aggregate' ? (expr.arg ? { ...expr, arg: value(expr.arg) } : expr) : value(expr);
  const term = (read: OrderTerm): OrderTerm => (read.kind === 'expr' ? { kind: 'expr', expr: output(read.expr) } : read);
  const items = form.items.map((item) => ({ ...item, expr: output(item.expr) }));
  const groupBy = form.groupBy.map(term);
  const orderBy = form.orderBy.map((item) => ({ ...item, term: term(item.term) }));
  return { items, groupBy, orderBy, limit: form.limit, offset: form.offset };
}
