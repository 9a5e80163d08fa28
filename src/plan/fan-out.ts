// IN lists fan out: one request per combination of their distinct values. The number of
// requests is known before any combination is built, so a hostile statement cannot make the
// planner build millions of them first.

import { EngineError } from '../errors.ts';
import type { Literal, SourceCondition } from '../sql/ast.ts';
import type { TemplateVars } from '../sql/templates.ts';
import type { NamedValue } from './params.ts';
import { literalValue } from './values.ts';

/** The most requests one statement sends for its IN lists, dependent joins or INSERT … SELECT rows. */
export const MAX_REQUESTS_PER_STATEMENT = 1_000;

/** One list of named values per combination of the conditions' distinct values. */
export function fanOut(conditions: readonly SourceCondition[], operation: string, vars: TemplateVars): NamedValue[][] {
  const lists = conditions.map((condition) => distinctValues(condition.values, vars));
  checkRequestCount(
    lists.reduce((product, values) => product * values.length, 1),
    operation,
    'the IN lists ask for',
  );
  // One value per condition (no IN list): one combination, the usual statement.
  if (lists.every((values) => values.length === 1))
    return [conditions.map((condition, i) => ({ name: condition.column, value: lists[i][0], span: condition.span }))];
  let combos: NamedValue[][] = [[]];
  conditions.forEach((condition, i) => {
    combos = combos.flatMap((combo) => lists[i].map((value) => [...combo, { name: condition.column, value, span: condition.span }]));
  });
  return combos;
}

/**
 * The values of an IN list without repeats, compared as they will be sent (after template
 * substitution): `IN ('rg1', 'rg1')` and `IN ('{{a}}', '{{b}}')` with a = b send one request.
 */
export function distinctValues(values: readonly Literal[], vars: TemplateVars): readonly Literal[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  return values.filter((literal) => {
    const key = keyOf(literalValue(literal, vars));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Conditions that give the same param (`subscriptionId = 's' AND (subscriptionId = 's')`,
 * `rg IN ('a', 'b') AND rg IN ('b', 'c')`) as one condition holding the values they all allow:
 * every condition must hold for a row, so only those values can be asked for. No value left means
 * no request (and no row).
 */
export function mergeByParam(conditions: readonly SourceCondition[], paramOf: (column: string) => unknown, vars: TemplateVars): SourceCondition[] {
  const merged = new Map<unknown, SourceCondition>();
  for (const condition of conditions) {
    const param = paramOf(condition.column);
    const earlier = merged.get(param);
    if (!earlier) {
      merged.set(param, condition);
      continue;
    }
    const allowed = new Set(distinctValues(condition.values, vars).map((literal) => keyOf(literalValue(literal, vars))));
    merged.set(param, { ...earlier, values: distinctValues(earlier.values, vars).filter((literal) => allowed.has(keyOf(literalValue(literal, vars)))) });
  }
  return [...merged.values()];
}

function keyOf(value: string | number | boolean | null): string {
  return value === null ? '\0null' : String(value);
}

/** Throws PLAN_FAN_OUT_LIMIT when a statement would send more requests than the limit. */
export function checkRequestCount(count: number, operation: string, what: string): void {
  if (count <= MAX_REQUESTS_PER_STATEMENT) return;
  throw new EngineError(
    'PLAN_FAN_OUT_LIMIT',
    `${operation}: ${what} ${count.toLocaleString('en-US')} requests; one statement sends at most ${MAX_REQUESTS_PER_STATEMENT.toLocaleString('en-US')}`,
    {
      details: { requests: count, limit: MAX_REQUESTS_PER_STATEMENT },
    },
  );
}
