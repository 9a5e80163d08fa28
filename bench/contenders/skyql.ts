// skyql through its library API: one engine, SQL statements, a static credential, the mock as
// the `azure` endpoint. `skyql` runs with client-side pacing off (`pacing: false`);
// `skyql-paced` is the engine as configured by default; `skyql-stub` answers every request at once
// with a createRun body, without a socket (engine-overhead: skyql's own CPU, free of the mock's
// and the kernel's share).

import { createEngine } from '../../src/index.ts';
import type { HttpClient } from '../../src/exec/http.ts';
import { staticCredential, type Api, type FactoryRow, type RunRow, type SummaryRow, type Target } from './api.ts';
import { CREATE_RUN_SQL, getRunStarSql, listFactoriesSql, listFactoriesStarSql, listRunsSql, listRunsStarSql, summarySql } from './sql.ts';

export function skyqlApi(target: Target, paced = false, stubbed = false): Api {
  const engine = createEngine({
    credential: staticCredential,
    endpoints: { azure: target.origin },
    ...(paced ? {} : { pacing: false }),
    ...(stubbed && { http: createRunAnswers() }),
  });
  return {
    async createRun(factoryName, pipelineName) {
      const vars = { subscriptionId: target.subscriptionId, resourceGroupName: target.resourceGroup, factoryName, pipelineName };
      const { rows } = await engine.query(CREATE_RUN_SQL, { vars });
      return String(rows[0].runId);
    },
    async listRuns(factory, after, onPage) {
      let count = 0;
      await engine.query(listRunsSql(target, factory, after), {
        onRows: (_columns, rows) => {
          count += rows.length;
          onPage(rows as unknown as RunRow[]);
        },
      });
      return count;
    },
    async listFactories(subscriptionId, onPage) {
      let count = 0;
      await engine.query(listFactoriesSql(subscriptionId), {
        onRows: (_columns, rows) => {
          count += rows.length;
          onPage(rows as unknown as FactoryRow[]);
        },
      });
      return count;
    },
    async listRunsAll(factory, after, onPage) {
      let count = 0;
      await engine.query(listRunsStarSql(target, factory, after), {
        onRows: (_columns, rows) => {
          count += rows.length;
          onPage(rows);
        },
      });
      return count;
    },
    async getRun(factory, runId) {
      const { rows } = await engine.query(getRunStarSql(target, factory, runId));
      return String(rows[0].runId);
    },
    async listFactoriesAll(subscriptionId, onPage) {
      let count = 0;
      await engine.query(listFactoriesStarSql(subscriptionId), {
        onRows: (_columns, rows) => {
          count += rows.length;
          onPage(rows);
        },
      });
      return count;
    },
    async runsSummary(factory, after) {
      const { rows } = await engine.query(summarySql(target, factory, after));
      return rows as unknown as SummaryRow[];
    },
    plan: (sql) => engine.plan(sql).length,
    close: () => engine.close(),
  };
}

/** A transport that answers every request at once, as the mock answers createRun. */
function createRunAnswers(): HttpClient {
  const body = JSON.stringify({ runId: '00000000-0000-4000-8000-000000000000' });
  const headers = { 'content-type': 'application/json; charset=utf-8' };
  return { send: async () => ({ status: 200, headers, body }), close: async () => {} };
}
