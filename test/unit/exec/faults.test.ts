// Fault injection against the fake fleet: throttling, server errors, dropped connections and
// slow answers. Paged reads must return every row exactly once; N createRun statements must
// create exactly N runs; an action that may have run is never sent twice.

import { http, HttpResponse, delay } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type EngineError } from '../../../src/index.ts';
import { allRuns, defaultFleet, FLEET_SUBSCRIPTION as SUB, fleetHandlers, type Fleet } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Answers some requests with a fault before the fleet sees them; the rest fall through. */
function chaos(every: { throttle: number; error?: number; reset?: number; slow?: number }) {
  let count = 0;
  return http.all('*', async ({ request }) => {
    count++;
    const isGet = request.method === 'GET';
    if (count % every.throttle === 0)
      return HttpResponse.json({ error: { code: 'TooManyRequests', message: 'throttled' } }, { status: 429, headers: { 'retry-after-ms': '1' } });
    if (isGet && every.error && count % every.error === 0)
      return HttpResponse.json({ error: { code: 'InternalServerError', message: 'boom' } }, { status: 500 });
    if (isGet && every.reset && count % every.reset === 0) return HttpResponse.error();
    if (every.slow && count % every.slow === 0) await delay(20);
    return undefined;
  });
}

async function setup(fleet: Fleet, ...faults: ReturnType<typeof chaos>[]) {
  const server = await startMockServer([...faults, ...fleetHandlers(fleet)]);
  servers.push(server);
  const engine = createEngine({
    credential: fakeCredential(),
    endpoints: { azure: server.origin },
    retry: { baseDelayMs: 1, maxAttempts: 8 },
    now: () => new Date('2026-11-22T12:00:00Z'),
  });
  return { server, engine };
}

describe('paged reads under faults', () => {
  it('nextLink lists return every factory exactly once', async () => {
    const fleet = defaultFleet({ pageSize: 1 });
    const { server, engine } = await setup(fleet, chaos({ throttle: 4, error: 5, reset: 7, slow: 3 }));
    const result = await engine.query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`);
    await engine.close();
    const names = result.rows.map((row) => row.name);
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    expect(server.requests.length).toBeGreaterThan(8);
  });

  it('continuationToken queries return every run exactly once', async () => {
    const fleet = defaultFleet({ runsPerFactory: 20, runPageSize: 3 });
    const { server, engine } = await setup(fleet, chaos({ throttle: 3, slow: 2 }));
    const result = await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs
      WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND lastUpdatedAfter = '2026-01-01T00:00:00Z'`);
    await engine.close();
    const ids = result.rows.map((row) => row.runId);
    const expected = allRuns(fleet)
      .filter((run) => run.runId && fleet.subscriptions[0].resourceGroups[0].factories[0].runs.includes(run))
      .map((run) => run.runId);
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(server.requests.filter((request) => request.method === 'POST').length).toBeGreaterThan(Math.ceil(expected.length / 3));
  });
});

describe('actions under faults', () => {
  it('N createRun statements create exactly N runs through throttling', async () => {
    const fleet = defaultFleet();
    const before = allRuns(fleet).length;
    const { engine } = await setup(fleet, chaos({ throttle: 2, slow: 5 }));
    const statement = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      VALUES ('${SUB}', 'rg-a', 'factory-a1', 'ingest-orders') RETURNING runId;`;
    const results = await engine.run(statement.repeat(20));
    await engine.close();
    expect(results).toHaveLength(20);
    expect(new Set(results.map((result) => result.rows[0].runId)).size).toBe(20);
    expect(allRuns(fleet).length - before).toBe(20);
  });

  it('a createRun whose connection dropped after sending is not retried, and says it may have happened', async () => {
    const fleet = defaultFleet();
    let received = 0;
    const dropAfterProcessing = http.post('*/createRun', () => {
      received++;
      return HttpResponse.error();
    });
    const { engine } = await setup(fleet, dropAfterProcessing as ReturnType<typeof chaos>);
    const error = (await engine
      .query(`INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      VALUES ('${SUB}', 'rg-a', 'factory-a1', 'ingest-orders')`)
      .catch((caught: unknown) => caught)) as EngineError;
    await engine.close();
    expect(received).toBe(1);
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.message).toMatch(/may or may not have been carried out/);
    expect(error.hint).toMatch(
      /SELECT \* FROM azure\.data_factory\.pipeline_runs WHERE subscriptionId = '.+' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND pipelineName = 'ingest-orders'/,
    );
    expect(error.details?.uncertain).toBe(true);
  });

  it('a createRun answered 500 is not retried', async () => {
    let received = 0;
    const failing = http.post('*/createRun', () => {
      received++;
      return HttpResponse.json({ error: { code: 'InternalServerError', message: 'boom' } }, { status: 500 });
    });
    const { engine } = await setup(defaultFleet(), failing as ReturnType<typeof chaos>);
    const error = (await engine
      .query(`INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      VALUES ('${SUB}', 'rg-a', 'factory-a1', 'ingest-orders')`)
      .catch((caught: unknown) => caught)) as EngineError;
    await engine.close();
    expect(received).toBe(1);
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.message).toMatch(/HTTP 500 InternalServerError: boom; POST .* may or may not have been carried out/);
  });

  it('a paging failure that persists fails the statement instead of returning part of the list', async () => {
    let count = 0;
    const secondPageDown = http.get('*/factories', ({ request }) =>
      new URL(request.url).searchParams.has('$skiptoken') && ++count > 0
        ? HttpResponse.json({ error: { code: 'ServiceUnavailable', message: 'down' } }, { status: 503 })
        : undefined,
    );
    const { engine } = await setup(defaultFleet({ pageSize: 2 }), secondPageDown as ReturnType<typeof chaos>);
    const error = (await engine
      .query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`)
      .catch((caught: unknown) => caught)) as EngineError;
    await engine.close();
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.message).toMatch(/HTTP 503.*after 8 attempts/);
  });
});
