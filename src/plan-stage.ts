// The plan stage on its own, for library callers: a fresh planner session and SQLite checker when
// the caller brings none (an engine brings its own, kept across statements).

import { SqliteChecker } from './exec/local-checker.ts';
import { planStatement } from './plan/plan.ts';
import { PlanSession } from './plan/session.ts';
import type { PlanOptions, StatementPlan } from './plan/types.ts';
import type { Registry } from './registry/load.ts';
import type { ParsedStatement } from './sql/ast.ts';

export type StagePlanOptions = Omit<PlanOptions, 'session' | 'checker'> & Partial<Pick<PlanOptions, 'session' | 'checker'>>;

export function planWithDefaults(parsed: ParsedStatement, registry: Registry, options: StagePlanOptions): StatementPlan {
  const checker = options.checker ?? new SqliteChecker();
  try {
    return planStatement(parsed, registry, { ...options, session: options.session ?? new PlanSession(), checker });
  } finally {
    if (!options.checker) (checker as SqliteChecker).close();
  }
}
