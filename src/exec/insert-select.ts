// INSERT … SELECT … FROM: runs the SELECT, then one request per row it returned.

import { insertRequests } from '../plan/insert-rows.ts';
import type { InsertSelectPlan } from '../plan/types.ts';
import { executeHttpPlan, type ExecDeps, type ResultSet } from './execute.ts';
import { executeSelect } from './select.ts';

export async function executeInsertSelect(plan: InsertSelectPlan, deps: ExecDeps): Promise<ResultSet & { requests: number }> {
  const selected = await executeSelect(plan.select, deps);
  const requests = insertRequests(plan.target, selected.columns, selected.rows, deps.requests);
  const result = await executeHttpPlan(
    { kind: 'http', requests, fields: plan.fields, projection: plan.projection, returning: plan.returning, awaitCompletion: plan.awaitCompletion },
    deps,
  );
  return { ...result, requests: requests.length };
}
