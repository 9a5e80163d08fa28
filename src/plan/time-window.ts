// Lists limited to a time window (ADF/Synapse run queries). The API answers only for runs updated
// inside [after, before]; by default skyql asks for the last day. A condition on a column the window
// bounds must not be narrowed by that default without a word: a lower bound on such a column
// becomes the window's start (a run updated after it started cannot have been updated before the
// bound), and a condition the window cannot cover is an error naming the window.

import { EngineError } from '../errors.ts';
import type { MethodSpec, ParamSpec } from '../registry/types.ts';
import type { SelectStatement, SourceCondition } from '../sql/ast.ts';
import { givenLiterals } from './given-values.ts';
import { findParam } from './params.ts';
import type { PlanOptions } from './types.ts';
import { literalValue } from './values.ts';

export interface WindowStart {
  readonly param: ParamSpec;
  /** ISO 8601, the latest of the lower bounds. */
  readonly value: string;
}

/**
 * Where the window of source `index` must start, when its conditions say so; undefined when the
 * statement gives the window itself or compares none of its columns (the default window applies).
 */
export function windowStart(
  method: MethodSpec,
  index: number,
  statement: SelectStatement,
  given: readonly SourceCondition[],
  options: PlanOptions,
  script: string,
  operation: string,
): WindowStart | undefined {
  const window = method.timeWindow;
  if (!window) return undefined;
  const after = findParam(method, window.after);
  if (!after || given.some((condition) => findParam(method, condition.column) === after)) return undefined;
  const columns = new Set(window.columns.map((column) => column.toLowerCase()));
  const ours = (entry: { readonly sources: readonly number[]; readonly column: string }) =>
    entry.sources.includes(index) && columns.has(entry.column.toLowerCase());
  // A bound of constants (`datetime('now', '-7 days')`) is computed by SQLite now, as an INSERT value is.
  const starts = statement.lowerBounds
    .filter(ours)
    .map((bound) => timeOf(bound.column, literalValue(givenLiterals([bound.value], options, script)[0], options.vars), operation));
  if (starts.length > 0) return { param: after, value: new Date(Math.max(...starts)).toISOString() };
  const compared = statement.compared.find(ours);
  if (compared) throw uncovered(method, compared.column, operation);
  return undefined;
}

/**
 * The earliest time a row can hold and still compare at or above `value`. SQLite compares these
 * columns as text, and Azure writes them in UTC (`2026-11-20T10:00:00.1230000Z`), so text order is
 * time order except within a second (`…00Z` sorts after `…00.5Z`) and except for a bound written
 * with an offset: a UTC bound counts from its whole second, any other from the start of its day.
 */
function timeOf(column: string, value: unknown, operation: string): number {
  const time = typeof value === 'string' && DATE_FIRST.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new EngineError('PLAN_INVALID_VALUE', `${operation}: ${column} is compared with ${JSON.stringify(value)}, which is not a date-time`, {
      hint: "write an ISO 8601 date-time, e.g. '2026-11-01T00:00:00Z'",
      details: { column, value },
    });
  }
  const text = value as string;
  return UTC_TIME.test(text) ? Math.floor(time / 1000) * 1000 : Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
}

const DATE_FIRST = /^\d{4}-\d{2}-\d{2}/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/i;

function uncovered(method: MethodSpec, column: string, operation: string): EngineError {
  const window = method.timeWindow!;
  return new EngineError(
    'PLAN_TIME_WINDOW',
    `${operation} lists only rows updated between ${window.after} and ${window.before} (default: the last day), so a condition on ${column} without a lower bound could miss rows`,
    {
      hint: `add ${column} >= '<date-time>' (or ${window.after} = '<date-time>') at the top level of the WHERE, joined by AND`,
      details: { column, window: [window.after, window.before] },
    },
  );
}
