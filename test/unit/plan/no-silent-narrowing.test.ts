// Trust promise 2: nothing dropped, narrowed or doubled without a word. Time windows, @@json over
// defaults, OData params written the way StackQL writes them, repeated IN values.

import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../../src/index.ts';
import { allFactories, defaultFleet, FLEET_NOW, FLEET_SUBSCRIPTION, fleetHandlers, type Fleet } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { rejectionOf } from '../../helpers/errors.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const FACTORY = `subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`;

let fleet: Fleet;
let server: MockServer;
let notices: string[];
let engine: Engine;

function newEngine(extra: EngineOptions = {}): Engine {
  return createEngine({
    credential: fakeCredential(),
    endpoints: { azure: server.origin },
    pacing: false,
    now: () => new Date(FLEET_NOW),
    onNotice: (message) => notices.push(message),
    ...extra,
  });
}

beforeAll(async () => {
  fleet = defaultFleet();
  server = await startMockServer(fleetHandlers(fleet));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  notices = [];
  engine = newEngine();
});

const runsOf = (name: string) => allFactories(fleet).find((entry) => entry.factory.name === name)!.runs;
const bodies = () => server.requests.filter((request) => request.body).map((request) => JSON.parse(request.body));

describe('time windows', () => {
  it("a lower bound on runStart becomes the window's start: runs older than the default day come back", async () => {
    const since = '2026-11-20T00:00:00Z';
    const { rows } = await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND runStart >= '${since}'`);
    // SQLite compares the text: '2026-11-20T00:00:00.1230000Z' sorts before '2026-11-20T00:00:00Z'.
    const expected = runsOf('factory-a1')
      .filter((run) => run.runStart >= since)
      .map((run) => run.runId)
      .sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(rows.map((row) => row.runId).sort()).toEqual(expected);
    expect(bodies()[0].lastUpdatedAfter).toBe('2026-11-20T00:00:00.000Z');
    expect(notices).toEqual([]);
    // A bound with an offset counts from the start of its day, whatever the offset.
    server.reset();
    await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND runStart >= '2026-11-20T00:00:00-05:00'`);
    expect(bodies()[0].lastUpdatedAfter).toBe('2026-11-20T00:00:00.000Z');
  });

  it('BETWEEN, = and reversed comparisons bound the window too; the latest bound wins', async () => {
    for (const [condition, start] of [
      ["runStart BETWEEN '2026-11-20T06:00:00Z' AND '2026-11-21T00:00:00Z'", '2026-11-20T06:00:00.000Z'],
      ["'2026-11-20T07:00:00.500Z' <= runEnd", '2026-11-20T07:00:00.000Z'],
      ["runStart >= '2026-11-20'", '2026-11-20T00:00:00.000Z'],
      ["runStart >= '2026-11-20T01:00:00Z' AND lastUpdated > '2026-11-20T05:00:00Z'", '2026-11-20T05:00:00.000Z'],
    ]) {
      server.reset();
      await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND ${condition}`);
      expect(bodies()[0].lastUpdatedAfter, condition).toBe(start);
    }
  });

  it('a bound computed from constants is computed when planned: datetime(now, …), ||, placeholders', async () => {
    for (const [condition, start] of [
      ["runStart >= datetime('2026-11-20 06:00:00')", '2026-11-20T00:00:00.000Z'],
      ["runStart >= '2026-11-' || '21'", '2026-11-21T00:00:00.000Z'],
      ["runStart > strftime('%Y-%m-%dT%H:%M:%SZ', '{{ since }}', '+1 hour')", '2026-11-20T01:00:00.000Z'],
    ]) {
      server.reset();
      await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND ${condition}`, { vars: { since: '2026-11-20T00:00:00Z' } });
      expect(bodies()[0].lastUpdatedAfter, condition).toBe(start);
    }
    server.reset();
    const before = Date.now();
    await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND runStart > datetime('now', '-7 days')`);
    const day = (ms: number) => `${new Date(ms - 7 * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`;
    expect([day(before), day(Date.now())]).toContain(bodies()[0].lastUpdatedAfter);
    expect(notices).toEqual([]);
    const error = await rejectionOf(engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND runStart > no_such_function('x')`));
    expect(error).toMatchObject({ code: 'SQL_LOCAL' });
  });

  it('a condition on a window column the window cannot cover is PLAN_TIME_WINDOW, before anything is sent', async () => {
    for (const condition of ["runStart < '2026-11-21T00:00:00Z'", "(runStart >= '2026-11-20T00:00:00Z' OR status = 'Failed')", 'NOT runEnd IS NULL']) {
      const error = await rejectionOf(engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND ${condition}`));
      expect(error.code, condition).toBe('PLAN_TIME_WINDOW');
    }
    expect(server.requests).toEqual([]);
  });

  it("the statement's own window wins, and is not second-guessed", async () => {
    await engine.query(
      `SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND lastUpdatedAfter = '2026-11-21T00:00:00Z' AND runStart < '2026-11-22T00:00:00Z'`,
    );
    expect(bodies()[0].lastUpdatedAfter).toBe('2026-11-21T00:00:00Z');
    expect(notices).toEqual([]);
  });

  it('when the default window applies, a notice says so once', async () => {
    await engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY}`);
    await engine.query(`SELECT status FROM azure.data_factory.pipeline_runs WHERE ${FACTORY}`);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/pipeline_runs\.query_by_factory.*lastUpdatedAfter = 2026-11-21T12:00:00\.000Z/);
  });

  it('a date that is not a date-time is refused', async () => {
    expect((await rejectionOf(engine.query(`SELECT runId FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND runStart >= 'yesterday'`))).code).toBe(
      'PLAN_INVALID_VALUE',
    );
  });
});

describe('@@json', () => {
  it("values the user gives in @@json win over the registry's defaults", async () => {
    await engine.query(
      `EXEC azure.data_factory.pipeline_runs.query_by_factory @subscriptionId='${FLEET_SUBSCRIPTION}', @resourceGroupName='rg-a', @factoryName='factory-a1' @@json='{"lastUpdatedAfter": "2026-11-01T00:00:00Z", "lastUpdatedBefore": "2026-11-22T00:00:00Z"}'`,
    );
    expect(bodies()[0]).toMatchObject({ lastUpdatedAfter: '2026-11-01T00:00:00Z', lastUpdatedBefore: '2026-11-22T00:00:00Z' });
    expect(notices).toEqual([]);
  });

  it('an explicit param still replaces its @@json key', async () => {
    await engine.query(
      `EXEC azure.data_factory.pipeline_runs.query_by_factory @subscriptionId='${FLEET_SUBSCRIPTION}', @resourceGroupName='rg-a', @factoryName='factory-a1', @lastUpdatedAfter='2026-11-10T00:00:00Z' @@json='{"lastUpdatedAfter": "2026-11-01T00:00:00Z", "lastUpdatedBefore": "2026-11-22T00:00:00Z"}'`,
    );
    expect(bodies()[0].lastUpdatedAfter).toBe('2026-11-10T00:00:00Z');
  });
});

describe('OData params as StackQL writes them', () => {
  it('$filter and $top unquoted are request params', () => {
    const [planned] = engine.plan(
      `SELECT name FROM azure.resources.resources WHERE subscriptionId = 's' AND $filter = 'resourceType eq ''Microsoft.DataFactory/factories''' AND $top = '10'`,
    );
    const url = planned.plan.kind === 'select' ? planned.plan.sources[0].requests[0].request.url : '';
    expect(new URL(url).searchParams.get('$filter')).toBe("resourceType eq 'Microsoft.DataFactory/factories'");
    expect(new URL(url).searchParams.get('$top')).toBe('10');
  });

  it('a condition on a name that is neither a column nor a param is a coded error', async () => {
    expect((await rejectionOf(engine.query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's' AND $nosuch = 'x'`))).code).toBe(
      'PLAN_UNKNOWN_COLUMN',
    );
    expect((await rejectionOf(engine.query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's' AND nosuch = 'x'`))).code).toBe(
      'PLAN_UNKNOWN_COLUMN',
    );
    expect(server.requests).toEqual([]);
  });
});

describe('a COLLATE compares differently from an exact value', () => {
  const AFTER = "lastUpdatedAfter = '2026-01-01T00:00:00Z'";
  it('is not sent as a filter, nor filtered by exact value, nor named as the bare column', async () => {
    const runs = runsOf('factory-a1');
    const failed = runs.filter((run) => run.status === 'Failed').map((run) => run.runId);
    expect(failed.length).toBeGreaterThan(0);
    const ids = async (sql: string) => (await engine.query(sql)).rows.map((row) => Object.values(row)[0]).sort();
    const where = `WHERE ${FACTORY} AND ${AFTER} AND status COLLATE NOCASE`;
    expect(await ids(`SELECT runId FROM azure.data_factory.pipeline_runs ${where} = 'failed'`)).toEqual([...failed].sort());
    expect(await ids(`SELECT runId FROM azure.data_factory.pipeline_runs ${where} IN ('FAILED', 'nothing')`)).toEqual([...failed].sort());
    expect(await ids(`SELECT count(*) FROM azure.data_factory.pipeline_runs ${where} = 'failed'`)).toEqual([failed.length]);
    expect(bodies().every((body) => !body.filters?.length)).toBe(true);
    const { columns } = await engine.query(`SELECT status COLLATE NOCASE FROM azure.data_factory.pipeline_runs WHERE ${FACTORY} AND ${AFTER} LIMIT 1`);
    expect(columns).toEqual(['status COLLATE NOCASE']);
  });

  it('a param compared with a COLLATE is read from each row, not sent as given', async () => {
    const { rows } = await engine.query(
      `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName COLLATE NOCASE = 'RG-B'`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(['factory-b1', 'factory-b2']);
    expect(server.requests.some((request) => request.path.includes('/resourceGroups/'))).toBe(false);
  });
});

describe('a resource that does not exist is no rows, said on the warning channel', () => {
  const FACTORIES = `FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}'`;
  const warned = async (sql: string) => {
    const warnings: string[] = [];
    const result = await engine.query(sql, { onWarning: (message) => warnings.push(message) });
    return { rows: result.rows, warnings };
  };

  it('a GET of a missing resource, a count of it, a list in a missing group', async () => {
    const one = await warned(`SELECT name ${FACTORIES} AND resourceGroupName = 'rg-a' AND factoryName = 'factory-nope'`);
    expect(one.rows).toEqual([]);
    expect(one.warnings).toEqual([expect.stringMatching(/factories\.get: HTTP 404 ResourceNotFound: .*: read as no rows$/)]);
    expect((await warned(`SELECT count(*) AS count ${FACTORIES} AND resourceGroupName = 'rg-a' AND factoryName = 'factory-nope'`)).rows).toEqual([
      { count: 0 },
    ]);
    const group = await warned(`SELECT name ${FACTORIES} AND resourceGroupName = 'rg-nope'`);
    expect(group.rows).toEqual([]);
    expect(group.warnings).toEqual([expect.stringContaining('HTTP 404 ResourceGroupNotFound')]);
  });

  it('in an IN list or a join, the others still answer', async () => {
    const { rows } = await warned(`SELECT name ${FACTORIES} AND resourceGroupName = 'rg-b' AND factoryName IN ('factory-b1', 'factory-nope') ORDER BY name`);
    expect(rows).toEqual([{ name: 'factory-b1' }]);
  });

  it('a 404 after the first page is an error, not a shorter list', async () => {
    const base = `/subscriptions/${FLEET_SUBSCRIPTION}/providers/Microsoft.DataFactory/factories`;
    server.use(
      http.get(`${server.origin}${base}`, ({ request }) =>
        new URL(request.url).searchParams.has('page')
          ? HttpResponse.json({ error: { code: 'NotFound', message: 'gone' } }, { status: 404 })
          : HttpResponse.json({ value: [{ id: `${base}/f1`, name: 'f1' }], nextLink: `${server.origin}${base}?api-version=2018-06-01&page=2` }),
      ),
    );
    expect(await rejectionOf(engine.query(`SELECT name ${FACTORIES}`))).toMatchObject({ code: 'HTTP_STATUS' });
  });

  it('a mutation of a missing resource is still an error', async () => {
    const error = await rejectionOf(
      engine.query(
        `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
         SELECT '${FLEET_SUBSCRIPTION}', 'rg-a', 'factory-nope', 'p' RETURNING runId`,
      ),
    );
    expect(error).toMatchObject({ code: 'HTTP_STATUS' });
  });
});

describe('nothing doubled', () => {
  it('IN with a repeated value sends one request and returns each row once', async () => {
    const { rows } = await engine.query(
      `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName IN ('rg-b', 'rg-b', 'rg-b')`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(['factory-b1', 'factory-b2']);
    expect(server.requests.filter((request) => request.path.includes('/resourceGroups/rg-b/'))).toHaveLength(1);
  });

  it('a DELETE with a repeated value is sent once; repeated template values collapse too', async () => {
    await engine.query(
      `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-c' AND factoryName IN ('{{ a }}', '{{ b }}')`,
      { vars: { a: 'factory-c1', b: 'factory-c1' } },
    );
    expect(server.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });
});
