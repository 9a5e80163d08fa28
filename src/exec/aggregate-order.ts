// The order SQLite gives groups that tie on an ORDER BY. It is its plan's (ties come out in group
// key order, or reversed for some single DESC terms), so SQLite itself orders them: the same
// GROUP BY and ORDER BY over one row per group, holding the group's keys and aggregate results.

import type { DatabaseSync } from 'node:sqlite';
import type { SqlValue } from '../plan/types.ts';
import type { AggregatePlan } from '../plan/types-select.ts';
import type { Exact } from './sql-values.ts';
import { sqliteValue } from './sqlite.ts';

/** Indexes into `keys`/`results` (one entry per group), in SQLite's output order. */
export function sqliteGroupOrder(
  plan: AggregatePlan,
  keys: readonly (readonly SqlValue[])[],
  results: readonly (readonly Exact[])[],
  database: DatabaseSync,
): number[] {
  const keyColumns = plan.keys.map((_, i) => `k${i}`);
  const resultColumns = plan.aggregates.map((_, j) => `a${j}`);
  database.exec(`CREATE TEMP TABLE groups_in_order (i, ${[...keyColumns, ...resultColumns].join(', ')})`);
  try {
    const insert = database.prepare(`INSERT INTO groups_in_order VALUES (${['?', ...keyColumns, ...resultColumns].map(() => '?').join(', ')})`);
    keys.forEach((groupKeys, index) => insert.run(index, ...groupKeys.map(sqliteValue), ...results[index].map(sqliteValue)));
    const terms = plan.order.map(({ ref, descending }) => `${ref.key !== undefined ? `k${ref.key}` : `max(a${ref.aggregate})`}${descending ? ' DESC' : ''}`);
    const rows = database.prepare(`SELECT max(i) AS i FROM groups_in_order GROUP BY ${keyColumns.join(', ')} ORDER BY ${terms.join(', ')}`).all() as {
      i: number;
    }[];
    return rows.map((row) => row.i);
  } finally {
    database.exec('DROP TABLE groups_in_order');
  }
}
