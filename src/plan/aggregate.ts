// A grouping SELECT (sql/aggregate.ts) resolved against its source's columns, as SQLite resolves
// it: GROUP BY names are columns before aliases, ORDER BY names aliases before columns, positions
// count from 1. Undefined when the statement needs SQLite after all (a bare column that is not a
// group key, a json path other than `$.key.key`, …): SQLite then runs it.

import type { AggregateCall, AggregateQuery, OrderTerm, SourceCondition, ValueExpr } from '../sql/ast.ts';
import type { PlanOptions } from './types.ts';
import type { AggregatePlan, OutputRef, SourcePlan, ValueRef } from './types-select.ts';
import { literalValue, toSqlParam } from './values.ts';
import { sameName } from '../util/same-name.ts';

/** Paths of plain object keys: `$`, `$.a`, `$.a.b_c`. */
const SIMPLE_PATH = /^\$(?:\.[A-Za-z0-9_$-]+)*$/;

export function planAggregate(
  query: AggregateQuery,
  source: SourcePlan,
  conditions: readonly SourceCondition[],
  columns: readonly string[],
  options: PlanOptions,
): AggregatePlan | undefined {
  if (columns.length !== query.items.length) return undefined;
  const resolver = new Resolver(source, query);
  try {
    const keys = query.groupBy.map((term) => resolver.groupKey(term));
    const outputs = query.items.map((item) => resolver.output(item.expr));
    const order = query.orderBy.map(({ term, descending }) => ({ ref: resolver.orderTerm(term, outputs), descending }));
    // With a LIMIT after an ORDER BY that starts with a group key, SQLite may stop after the first
    // groups (so an error in a later one never surfaces): whether it does depends on its plan. One
    // that starts with an aggregate makes it step every group before sorting.
    if (order.length > 0 && query.limit !== undefined && order[0].ref.aggregate === undefined) return undefined;
    // Groups that tie on an ORDER BY that does not name every group key come out in an order
    // SQLite's plan decides (reversed for some single DESC terms): SQLite orders them (exec).
    const total = keys.every((key) => order.some(({ ref }) => ref.key !== undefined && sameRef(keys[ref.key], key)));
    const filters = conditions.map((condition) => ({
      ref: resolver.column(condition.column),
      values: condition.values.map((value) => toSqlParam(literalValue(value, options.vars))),
    }));
    return {
      columns,
      keys,
      aggregates: resolver.aggregates,
      outputs,
      order,
      orderIsTotal: order.length === 0 || total,
      filters,
      limit: query.limit,
      offset: query.offset,
    };
  } catch (error) {
    if (error === NEEDS_SQLITE) return undefined;
    throw error;
  }
}

const NEEDS_SQLITE = Symbol('needs SQLite');

class Resolver {
  readonly keys: ValueRef[] = [];
  readonly aggregates: { fn: AggregateCall['fn']; arg?: ValueRef }[] = [];
  private readonly source: SourcePlan;
  private readonly query: AggregateQuery;

  constructor(source: SourcePlan, query: AggregateQuery) {
    this.source = source;
    this.query = query;
  }

  groupKey(term: OrderTerm): ValueRef {
    const expr =
      term.kind === 'expr'
        ? term.expr
        : term.kind === 'position'
          ? this.item(term.position)
          : this.isColumn(term.name)
            ? { kind: 'column' as const, column: term.name }
            : this.aliased(term.name);
    if (!expr || expr.kind === 'aggregate') throw NEEDS_SQLITE;
    const ref = this.value(expr);
    this.keys.push(ref);
    return ref;
  }

  output(expr: ValueExpr | AggregateCall): OutputRef {
    if (expr.kind === 'aggregate') return { aggregate: this.aggregate(expr) };
    return { key: this.keyIndex(this.value(expr)) };
  }

  orderTerm(term: OrderTerm, outputs: readonly OutputRef[]): OutputRef {
    if (term.kind === 'position') return outputs[this.position(term.position)];
    if (term.kind === 'expr') return this.output(term.expr);
    const aliased = this.query.items.findIndex((item) => item.alias !== undefined && sameName(item.alias, term.name));
    if (aliased !== -1) return outputs[aliased];
    return this.output({ kind: 'column', column: term.name });
  }

  column(name: string): ValueRef {
    const lower = name.toLowerCase();
    const field = this.source.fields.find((spec) => spec.name.toLowerCase() === lower);
    if (field) return { field: field.name };
    const param = this.source.paramColumns.find((column) => column.toLowerCase() === lower);
    if (param) return { param };
    throw NEEDS_SQLITE;
  }

  private value(expr: ValueExpr): ValueRef {
    const ref = this.column(expr.column);
    if (expr.kind === 'column') return ref;
    if (!SIMPLE_PATH.test(expr.path)) throw NEEDS_SQLITE;
    return { ...ref, path: expr.path.split('.').slice(1), pathText: expr.path };
  }

  private aggregate(call: AggregateCall): number {
    const arg = call.arg && this.value(call.arg);
    const found = this.aggregates.findIndex((entry) => entry.fn === call.fn && sameRef(entry.arg, arg));
    if (found !== -1) return found;
    this.aggregates.push(arg ? { fn: call.fn, arg } : { fn: call.fn });
    return this.aggregates.length - 1;
  }

  /** A column outside an aggregate must be a group key (SQLite would take it from any row of the group). */
  private keyIndex(ref: ValueRef): number {
    const index = this.keys.findIndex((key) => sameRef(key, ref));
    if (index === -1) throw NEEDS_SQLITE;
    return index;
  }

  private isColumn(name: string): boolean {
    const lower = name.toLowerCase();
    return this.source.columns.some((column) => column.toLowerCase() === lower);
  }

  private aliased(name: string): ValueExpr | AggregateCall | undefined {
    return this.query.items.find((item) => item.alias !== undefined && sameName(item.alias, name))?.expr;
  }

  private item(position: number): ValueExpr | AggregateCall {
    return this.query.items[this.position(position)].expr;
  }

  private position(position: number): number {
    if (position < 1 || position > this.query.items.length) throw NEEDS_SQLITE;
    return position - 1;
  }
}

function sameRef(a: ValueRef | undefined, b: ValueRef | undefined): boolean {
  if (!a || !b) return a === b;
  return a.field === b.field && a.param === b.param && a.pathText === b.pathText;
}
