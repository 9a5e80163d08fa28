// CREATE MATERIALIZED VIEW and REFRESH run here: the view's SELECT, then its rows kept by the engine.

import type { MaterializePlan, SqlValue } from '../plan/types.ts';
import type { ExecDeps } from './execute.ts';
import { executeSelect } from './select.ts';
import { toBindable } from './sqlite.ts';
import type { StoredViews } from './stored-views.ts';

/** Runs the view's SELECT and keeps its rows (nothing is kept when it fails): one row saying what was kept. */
export async function executeMaterialize(plan: MaterializePlan, views: StoredViews, deps: ExecDeps): Promise<Record<string, SqlValue>[]> {
  const result = await executeSelect(plan.select, deps);
  const columns = result.columns;
  const rows = result.rows.map((row) => columns.map((column) => toBindable(row[column] ?? null)));
  const types = result.columnTypes ?? columns.map(() => undefined);
  views.save({ name: plan.name, query: plan.query, columns, types, rows });
  return [{ view: plan.name, action: plan.action, rows: rows.length }];
}
