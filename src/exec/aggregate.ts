// A grouping SELECT computed in JavaScript as its pages arrive (plan/aggregate.ts says when):
// the rows never go into SQLite, only into the groups. The results are SQLite's: same groups,
// same order, same sums to the last bit (sql-values.ts), same column names.

import { localSqlError } from '../plan/local-check.ts';
import type { Row, SqlValue } from '../plan/types.ts';
import type { AggregatePlan, OutputRef, SelectStatementPlan, SourcePlan, ValueRef } from '../plan/types-select.ts';
import { runConcurrently } from './concurrency.ts';
import type { ExecDeps } from './execute.ts';
import { sourcePages } from './pages.ts';
import { responseItems } from './responses.ts';
import { toBindable } from './sqlite.ts';
import type { RowSink, SelectResult } from './select.ts';
import { sqliteGroupOrder } from './aggregate-order.ts';
import { type Affinity, affinityOf, storedIn } from './affinity.ts';
import { columnValue, compareValues, jsonExtract, SumState, WholeReal, type Exact, type SqliteAnswers, type Value } from './sql-values.ts';
import { jsonField, setOwn } from '../util/own-property.ts';

export async function executeAggregate(plan: SelectStatementPlan, aggregate: AggregatePlan, deps: ExecDeps, sink?: RowSink): Promise<SelectResult> {
  const [source] = plan.sources;
  const groups = new Groups(aggregate, new RefReader(source, deps.answers));
  const local = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw localSqlError(error, plan.sources);
    }
  };
  await runConcurrently(source.requests, deps.concurrency ?? 8, async ({ request, paramValues }) => {
    for await (const body of sourcePages(request, deps)) {
      const items = responseItems(body, request);
      local(() => groups.add(items, paramValues));
    }
  });
  const rows = local(() => groups.rows());
  await sink?.(aggregate.columns, rows);
  return { columns: aggregate.columns, rows: sink ? [] : rows };
}

interface Accumulator {
  add(value: Value): void;
  result(): Exact;
}

interface Group {
  readonly keys: readonly (string | number | null)[];
  readonly accumulators: readonly Accumulator[];
  error?: unknown;
}

type Item = Readonly<Record<string, unknown>>;
type Params = Readonly<Record<string, SqlValue>>;

/** The groups seen so far, each with its accumulators. */
class Groups {
  private readonly plan: AggregatePlan;
  private readonly answers: SqliteAnswers;
  private readonly reader: RefReader;
  private readonly byKey = new Map<SqlValue, unknown>();
  private readonly list: Group[] = [];
  /** This row's key values, reused row to row (copied when they start a group). */
  private readonly keyValues: (string | number | null)[] = [];
  private readonly rowFilters: readonly TypedFilter[];
  private readonly paramFilters: readonly TypedFilter[];

  constructor(plan: AggregatePlan, reader: RefReader) {
    this.plan = plan;
    this.reader = reader;
    this.answers = reader.answers;
    const filters = plan.filters.map((filter) => reader.typedFilter(filter));
    this.rowFilters = filters.filter((filter) => filter.ref.param === undefined);
    this.paramFilters = filters.filter((filter) => filter.ref.param !== undefined);
    // Without GROUP BY there is one group, even over no rows (count(*) is then 0).
    if (plan.keys.length === 0) this.list.push(this.newGroup([]));
  }

  add(items: readonly unknown[], params: Params): void {
    // SQLite evaluates nothing under LIMIT 0 (so no json_extract error either).
    if (this.plan.limit === 0) return;
    if (!this.paramFilters.every((filter) => passes(filter, {}, params, this.reader))) return;
    for (let i = 0; i < items.length; i++) {
      const item = (items[i] ?? {}) as Item;
      if (this.rowFilters.length > 0 && !this.rowFilters.every((filter) => passes(filter, item, params, this.reader))) continue;
      const group = this.groupOf(item, params);
      if (group.error === undefined) this.step(group, item, params);
    }
  }

  /**
   * The output rows. SQLite steps a group's aggregates only when it reaches the group: without
   * ORDER BY it stops after OFFSET + LIMIT groups, so errors (and overflows) in the groups after
   * those never surface.
   */
  rows(): Row[] {
    const { plan } = this;
    const sorted = [...this.list].sort((a, b) => compareKeys(a.keys, b.keys));
    const end = plan.limit === undefined ? undefined : plan.offset + plan.limit;
    const groups = plan.order.length > 0 ? sorted : sorted.slice(0, end);
    // Exact (a sum beyond 2^53 stays a bigint) for ordering; the rows get the nearest number.
    const results = groups.map((group) => {
      if (group.error !== undefined) throw group.error;
      return group.accumulators.map((accumulator) => accumulator.result());
    });
    const outputOf = (index: number, ref: OutputRef): Exact => (ref.key !== undefined ? groups[index].keys[ref.key] : results[index][ref.aggregate]);
    let order = groups.map((_, index) => index);
    if (plan.order.length > 0 && !plan.orderIsTotal)
      order = sqliteGroupOrder(
        plan,
        groups.map((group) => group.keys),
        results,
        this.answers.database(),
      );
    else if (plan.order.length > 0) {
      order = order.sort((a, b) => {
        for (const { ref, descending } of plan.order) {
          const compared = compareValues(outputOf(a, ref), outputOf(b, ref));
          if (compared !== 0) return descending ? -compared : compared;
        }
        return 0;
      });
    }
    return order.slice(plan.offset, end).map((index) => {
      const row: Record<string, SqlValue> = {};
      plan.outputs.forEach((ref, column) => {
        setOwn(row, plan.columns[column], plain(outputOf(index, ref)));
      });
      return row;
    });
  }

  /** Adds a row to its group's aggregates; an error is the group's, raised only if SQLite would reach the group. */
  private step(group: Group, item: Item, params: Params): void {
    const { aggregates } = this.plan;
    try {
      for (let j = 0; j < aggregates.length; j++) {
        const arg = aggregates[j].arg;
        group.accumulators[j].add(arg ? this.reader.value(arg, item, params) : null);
      }
    } catch (error) {
      group.error = error;
    }
  }

  private groupOf(item: Item, params: Params): Group {
    const { keys } = this.plan;
    if (keys.length === 0) return this.list[0];
    const values = this.keyValues;
    let level = this.byKey;
    for (let k = 0; k < keys.length - 1; k++) {
      const key = (values[k] = plain(this.reader.value(keys[k], item, params)));
      let next = level.get(key) as Map<SqlValue, unknown> | undefined;
      if (!next) level.set(key, (next = new Map()));
      level = next;
    }
    const last = (values[keys.length - 1] = plain(this.reader.value(keys[keys.length - 1], item, params)));
    let group = level.get(last) as Group | undefined;
    if (!group) {
      group = this.newGroup(values.slice());
      level.set(last, group);
      this.list.push(group);
    }
    return group;
  }

  private newGroup(keys: readonly (string | number | null)[]): Group {
    return { keys, accumulators: this.plan.aggregates.map(({ fn, arg }) => accumulator(fn, arg, this.answers)) };
  }
}

/** A filter with its values as the column compares them (RefReader.typedFilter). */
interface TypedFilter {
  readonly ref: ValueRef;
  readonly values: readonly Value[];
}

function passes(filter: TypedFilter, item: Item, params: Params, reader: RefReader): boolean {
  const value = reader.value(filter.ref, item, params);
  if (value === null) return false;
  if (filter.values.includes(value)) return true;
  // An INTEGER beyond 2^53 is a bigint on one side or both.
  return (
    (typeof value === 'bigint' || typeof value === 'number') && filter.values.some((wanted) => typeof wanted === 'bigint' && compareValues(wanted, value) === 0)
  );
}

/**
 * Reads a ref's value from an item as SQLite does from the local table: the field as its column
 * stores it (in the column's affinity, affinity.ts), then json_extract's path over that.
 */
class RefReader {
  readonly answers: SqliteAnswers;
  private readonly affinities = new Map<string, Affinity | undefined>();

  constructor(source: SourcePlan, answers: SqliteAnswers) {
    this.answers = answers;
    for (const field of source.fields) this.affinities.set(field.name, affinityOf(field.type));
  }

  value(ref: ValueRef, item: Item, params: Params): Value {
    if (ref.field === undefined) {
      const raw = params[ref.param!];
      return ref.path ? jsonExtract(raw, ref.path, ref.pathText!, this.answers) : columnValue(raw);
    }
    const raw = jsonField(item, ref.field);
    const affinity = this.affinities.get(ref.field);
    return ref.path ? jsonExtract(raw, ref.path, ref.pathText!, this.answers, affinity) : storedIn(columnValue(raw), affinity, this.answers);
  }

  /** The filter with its values as SQLite compares them with the column: in the column's affinity (`durationInMs = '30000'`). */
  typedFilter(filter: AggregatePlan['filters'][number]): TypedFilter {
    const affinity = filter.ref.field === undefined || filter.ref.path ? undefined : this.affinities.get(filter.ref.field);
    return { ref: filter.ref, values: filter.values.map((value) => storedIn(toBindable(value), affinity, this.answers)) };
  }
}

/** What a result holds: INTEGERs beyond 2^53 as the nearest number (node:sqlite cannot return them either). */
function plain(value: Value): string | number | null {
  if (value instanceof WholeReal) return value.value;
  return typeof value === 'bigint' ? Number(value) : value;
}

function compareKeys(a: Group['keys'], b: Group['keys']): number {
  for (let i = 0; i < a.length; i++) {
    const compared = compareValues(a[i], b[i]);
    if (compared !== 0) return compared;
  }
  return 0;
}

function accumulator(fn: AggregatePlan['aggregates'][number]['fn'], arg: ValueRef | undefined, answers: SqliteAnswers): Accumulator {
  switch (fn) {
    case 'count':
      return arg ? new CountValues() : new CountRows();
    case 'min':
      return new Extreme(false);
    case 'max':
      return new Extreme(true);
    default:
      return new Sum(fn, arg?.path !== undefined, answers);
  }
}

class CountRows implements Accumulator {
  private count = 0;
  add(): void {
    this.count++;
  }
  result(): Exact {
    return this.count;
  }
}

class CountValues implements Accumulator {
  private count = 0;
  add(value: Value): void {
    if (value !== null) this.count++;
  }
  result(): Exact {
    return this.count;
  }
}

/** min() and max(): NULLs skipped; of equal values the first stays. */
class Extreme implements Accumulator {
  private best: string | number | null = null;
  private readonly max: boolean;
  constructor(max: boolean) {
    this.max = max;
  }
  add(value: Value): void {
    if (value === null) return;
    const candidate = plain(value);
    if (this.best === null) this.best = candidate;
    else {
      const compared = compareValues(this.best, candidate);
      if (this.max ? compared < 0 : compared > 0) this.best = candidate;
    }
  }
  result(): Exact {
    return this.best;
  }
}

class Sum implements Accumulator {
  private readonly state: SumState;
  private readonly fn: 'sum' | 'total' | 'avg';
  private readonly fromJson: boolean;
  constructor(fn: 'sum' | 'total' | 'avg', fromJson: boolean, answers: SqliteAnswers) {
    this.state = new SumState(answers);
    this.fn = fn;
    this.fromJson = fromJson;
  }
  add(value: Value): void {
    this.state.add(value, this.fromJson);
  }
  result(): Exact {
    return this.fn === 'sum' ? this.state.sumResult() : this.fn === 'total' ? this.state.totalResult() : this.state.avgResult();
  }
}
