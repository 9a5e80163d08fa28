// engine.execute: a plan from engine.plan runs as planned (reviewed, then run), and only such a plan.

import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { EngineError, plannedRequests, type PlannedStatement } from '../../src/index.ts';
import { allFactories, FLEET_SUBSCRIPTION } from '../helpers/azure-fleet.ts';
import { fleetSuite } from '../helpers/fleet-suite.ts';

const SUB = FLEET_SUBSCRIPTION;
const suite = fleetSuite();

const FACTORIES = `SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' ORDER BY name`;
/** No time bound: the request's window comes from the clock when the statement is planned. */
const RUNS_OF = (factory: { name: string; resourceGroup: string }) =>
  `SELECT runId FROM azure.data_factory.pipeline_runs
   WHERE subscriptionId = '${SUB}' AND resourceGroupName = '${factory.resourceGroup}' AND factoryName = '${factory.name}'`;

const sent = () => suite.server.requests.map((request) => `${request.method} ${request.path}${request.body ? ` ${request.body}` : ''}`);
const planned = (plan: PlannedStatement) =>
  plannedRequests(plan.plan).map(
    (request) => `${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}${request.body ? ` ${request.body}` : ''}`,
  );

function firstFactory() {
  const [entry] = allFactories(suite.fleet);
  return { name: entry.factory.name, resourceGroup: entry.factory.id.split('/')[4] };
}

describe('engine.execute', () => {
  it("sends the plan's requests and answers what query() answers", async () => {
    const [plan] = suite.engine.plan(FACTORIES);
    expect(suite.server.requests).toEqual([]);
    const result = await suite.engine.execute(plan);
    const firstPage = sent()[0];
    expect(planned(plan)).toEqual([firstPage]);
    const expected = await suite.newEngine().query(FACTORIES);
    expect(result.columns).toEqual(['name', 'location']);
    expect(result.rows).toEqual(expected.rows);
    expect(result.rows.length).toBe(allFactories(suite.fleet).length);
  });

  it('runs the time window the plan was made with, not one from the clock when it runs', async () => {
    let now = Date.parse('2026-11-22T12:00:00Z');
    const engine = suite.newEngine({ now: () => new Date(now) });
    try {
      const [plan] = engine.plan(RUNS_OF(firstFactory()));
      now += 6 * 3_600_000;
      await engine.execute(plan);
      const [body] = suite.server.requests.map((request) => JSON.parse(request.body) as { lastUpdatedBefore: string });
      expect(body.lastUpdatedBefore).toBe('2026-11-22T12:00:00.000Z');
      suite.server.reset();
      await engine.query(RUNS_OF(firstFactory()));
      expect(JSON.parse(suite.server.requests[0].body).lastUpdatedBefore).toBe('2026-11-22T18:00:00.000Z');
    } finally {
      await engine.close();
    }
  });

  it('runs a plan again, with the same answer', async () => {
    const [plan] = suite.engine.plan(FACTORIES);
    const first = await suite.engine.execute(plan);
    const requests = suite.server.requests.length;
    const second = await suite.engine.execute(plan);
    expect(second.rows).toEqual(first.rows);
    expect(suite.server.requests.length).toBe(2 * requests);
  });

  it('gives a SELECT plan’s rows to onRows as they come', async () => {
    const [plan] = suite.engine.plan(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`);
    const names: unknown[] = [];
    const result = await suite.engine.execute(plan, { onRows: (_columns, rows) => names.push(...rows.map((row) => row.name)) });
    expect(result.rows).toEqual([]);
    expect(names.sort()).toEqual(
      allFactories(suite.fleet)
        .map((entry) => entry.factory.name)
        .sort(),
    );
  });

  it('runs every kind engine.plan gives: SHOW, EXPLAIN, a mutation', async () => {
    const [show, explain, insert] = suite.engine.plan(`SHOW SERVICES IN azure; EXPLAIN ${FACTORIES};
      INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      SELECT '${SUB}', '${firstFactory().resourceGroup}', '${firstFactory().name}', '${allFactories(suite.fleet)[0].pipelines[0].name}' RETURNING runId`);
    expect((await suite.engine.execute(show)).rows.map((row) => row.name)).toContain('data_factory');
    expect(String((await suite.engine.execute(explain)).rows[0].plan)).toBe('Select');
    expect(suite.server.requests).toEqual([]);
    const created = await suite.engine.execute(insert);
    expect(sent()).toEqual(planned(insert));
    expect(created.rows).toEqual([{ runId: expect.any(String) }]);
  });

  it('refuses a plan this engine did not make, before anything is sent: PLAN_NOT_FROM_ENGINE', async () => {
    const [plan] = suite.engine.plan(FACTORIES);
    const other = suite.newEngine();
    try {
      const [foreign] = other.plan(FACTORIES);
      const copies = [JSON.parse(JSON.stringify(plan)) as PlannedStatement, { ...plan }, foreign];
      for (const copy of copies) {
        const error = await suite.engine.execute(copy).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EngineError);
        expect((error as EngineError).code).toBe('PLAN_NOT_FROM_ENGINE');
      }
      expect(suite.server.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("an Azure error of the plan's request is the statement's EngineError", async () => {
    suite.server.use(
      http.get('*/factories/:factory', () => HttpResponse.json({ error: { code: 'AuthorizationFailed', message: 'no access' } }, { status: 403 })),
    );
    const [plan] = suite.engine.plan(`SELECT name FROM azure.data_factory.factories
      WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`);
    const error = await suite.engine.execute(plan).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('HTTP_STATUS');
  });
});
