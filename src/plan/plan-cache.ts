// Plans of HTTP statements (INSERT … VALUES/SELECT literals, UPDATE, DELETE, EXEC) that ran before
// with the same vars: planning is a pure function of the statement, the registry, the endpoints and
// the values, so an app that repeats a call (the same pipeline, polled status, …) plans it once.
// Plans that read the clock (a param defaulting to "now - 1d") are never kept.

import type { ParsedStatement } from '../sql/ast.ts';
import type { TemplateVars } from '../sql/templates.ts';
import { usesClockDefaults } from './request.ts';
import type { HttpStatementPlan, PlanOptions } from './types.ts';

/** Distinct vars kept per statement: a statement run with ever-new values keeps only the latest. */
const PLANS_PER_STATEMENT = 64;
/** After this many runs with more misses than hits, a statement's plans are no longer looked up. */
const GIVE_UP_AFTER = 256;

/** Kept in the planner's session, per statement object; the session forgets them when the registry changes. */
export function cachedHttpPlan(parsed: ParsedStatement, options: PlanOptions, plan: () => HttpStatementPlan): HttpStatementPlan {
  const plans = options.session.plans.getOrCompute(parsed, () => ({ byVars: new Map(), hits: 0, misses: 0 }));
  // A statement run with new values every time (a new name per call) pays no key and no copy.
  if (plans.misses >= GIVE_UP_AFTER && plans.hits < plans.misses) return plan();
  const key = varsKey(parsed.placeholders, options.vars);
  const found = plans.byVars.get(key);
  if (found) {
    plans.hits++;
    return found;
  }
  plans.misses++;
  const made = plan();
  if (readsClock(made)) return made;
  if (plans.byVars.size >= PLANS_PER_STATEMENT) plans.byVars.delete(plans.byVars.keys().next().value!);
  plans.byVars.set(key, freeze(made));
  return made;
}

/** The values of the statement's placeholders, typed (a lone placeholder keeps its var's type). */
function varsKey(names: readonly string[], vars: TemplateVars): string {
  if (names.length === 0) return '';
  return JSON.stringify(names.map((name) => vars[name] ?? null));
}

/** A shared plan must not change under the next statement that gets it (engine.plan hands plans out). */
function freeze(plan: HttpStatementPlan): HttpStatementPlan {
  for (const request of plan.requests) Object.freeze(Object.freeze(request).headers);
  Object.freeze(plan.requests);
  return Object.freeze(plan);
}

function readsClock(plan: HttpStatementPlan): boolean {
  return plan.requests.some(usesClockDefaults);
}
