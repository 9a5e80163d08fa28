// A plain projection with equality filters is computed from the items directly (exec/select.ts,
// directRows); SQLite, running the plan's local query over the same pages, is the reference: the
// same columns and rows, in the same order, for every kind of column (fields, params, booleans,
// objects, missing fields) and filter.

import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { executeSelect } from '../../../src/exec/select.ts';
import type { SelectStatementPlan } from '../../../src/plan/types-select.ts';
import { depsFor, pagedClient } from '../../helpers/exec-deps.ts';

const SUB = '00000000-0000-0000-0000-000000000000';
const WHERE = `WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-1' AND factoryName = 'factory-1'
  AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`;
const FROM = 'FROM azure.data_factory.pipeline_runs';

const STATUSES = ['Succeeded', 'Failed', 'InProgress', 'Cancelled'];
/** Runs with every kind of value a column can hold: text, numbers, booleans, objects, arrays, nulls, missing fields. */
const PAGES = [0, 1, 2].map((page) =>
  Array.from({ length: 7 }, (_, i) => {
    const n = page * 7 + i;
    const run: Record<string, unknown> = {
      runId: `run-${n}`,
      pipelineName: `pipeline-${n % 3}`,
      status: STATUSES[n % 4],
      isLatest: n % 2 === 0,
      durationInMs: n % 5 === 0 ? null : n * 1000,
      parameters: n % 3 === 0 ? {} : { window: `w${n}`, size: n },
      annotations: n % 4 === 0 ? [] : ['a', n],
      invokedBy: { name: 'trigger', invokedByType: n % 2 ? 'Manual' : 'ScheduleTrigger' },
    };
    if (n % 6 === 5) delete run.pipelineName;
    return run;
  }),
);

const engine = createEngine();

function streamingPlan(sql: string): SelectStatementPlan {
  const [planned] = engine.plan(sql);
  if (planned.plan.kind !== 'select' || !planned.plan.streaming?.direct) throw new Error(`not a direct plan: ${sql}`);
  return planned.plan;
}

/** The plan as SQLite runs it: the same pages, each queried with the plan's local query. */
function throughSqlite(plan: SelectStatementPlan): SelectStatementPlan {
  return { ...plan, streaming: { ...plan.streaming!, direct: undefined } };
}

async function bothWays(plan: SelectStatementPlan) {
  const run = async (variant: SelectStatementPlan) => {
    const { columns, rows } = await executeSelect(variant, depsFor(pagedClient(PAGES)));
    return { columns, rows };
  };
  return { direct: await run(plan), sqlite: await run(throughSqlite(plan)) };
}

describe('direct rows agree with SQLite', () => {
  const cases = [
    `SELECT * ${FROM} ${WHERE}`,
    `SELECT runId, status, isLatest, durationInMs, parameters, invokedBy, factoryName ${FROM} ${WHERE}`,
    `SELECT runId AS id, pipelineName, subscriptionId ${FROM} ${WHERE} AND status = 'Failed'`,
    `SELECT runId, status ${FROM} ${WHERE} AND status IN ('Failed', 'Cancelled') AND pipelineName = 'pipeline-1'`,
    `SELECT * ${FROM} ${WHERE} LIMIT 5 OFFSET 3`,
  ];
  for (const sql of cases) {
    it(sql.replace(/\s+/g, ' ').slice(0, 110), async () => {
      const { direct, sqlite } = await bothWays(streamingPlan(sql));
      expect(direct.rows.length).toBeGreaterThan(0);
      expect(direct).toEqual(sqlite);
    });
  }

  it('a filter on a param column the page was not asked with keeps none of its rows', async () => {
    const plan = structuredClone(streamingPlan(`SELECT runId, factoryName ${FROM} ${WHERE}`));
    const [request] = plan.sources[0].requests as unknown as { paramValues: Record<string, unknown> }[];
    request.paramValues.factoryName = 'factory-2';
    const { direct, sqlite } = await bothWays(plan);
    expect(sqlite.rows).toEqual([]);
    expect(direct).toEqual(sqlite);
  });
});
