// SELECT over the fake fleet: streaming with early stop, page limits, fan-out concurrency,
// nextLink origin checks, and every row exactly once across pages.

import { http, HttpResponse, delay } from 'msw';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, EngineError, type EngineOptions, type Row } from '../../../src/index.ts';
import { allRuns, defaultFleet, factoriesIn, FLEET_SUBSCRIPTION as SUB, fleetHandlers, type Fleet } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { errorOf, rejectionOf } from '../../helpers/errors.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const NOW = () => new Date('2026-11-22T12:00:00Z');
const RUNS = `SELECT runId, status FROM azure.data_factory.pipeline_runs
  WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'
    AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`;

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fleetServer(fleet: Fleet, ...extra: Parameters<MockServer['use']>): Promise<MockServer> {
  const server = await startMockServer([...extra, ...fleetHandlers(fleet)]);
  servers.push(server);
  return server;
}

function engineFor(server: MockServer, options: EngineOptions = {}) {
  return createEngine({ credential: fakeCredential(), now: NOW, endpoints: { azure: server.origin }, ...options });
}

describe('streaming SELECT', () => {
  it('LIMIT without ORDER BY stops paging once it has its rows', async () => {
    const fleet = defaultFleet({ runsPerFactory: 30, runPageSize: 3 });
    const server = await fleetServer(fleet);
    const engine = engineFor(server);
    const batches: Row[][] = [];
    const result = await engine.query(`${RUNS} LIMIT 4`, { onRows: (_columns, rows) => batches.push([...rows]) });
    await engine.close();
    expect(batches.flat()).toHaveLength(4);
    expect(result).toMatchObject({ streamed: true, rows: [] });
    expect(server.requests).toHaveLength(2);
  });

  it('applies OFFSET across pages, and gives the same rows as the non-streaming path', async () => {
    const fleet = defaultFleet({ runsPerFactory: 30, runPageSize: 3 });
    const server = await fleetServer(fleet);
    const engine = engineFor(server);
    const streamed: Row[] = [];
    await engine.query(`${RUNS} LIMIT 5 OFFSET 4`, { onRows: (_columns, rows) => streamed.push(...rows) });
    const collected = await engine.query(`${RUNS} LIMIT 5 OFFSET 4`);
    await engine.close();
    expect(streamed).toEqual(collected.rows);
    expect(streamed).toHaveLength(5);
  });

  it('LIMIT {{ n }} and OFFSET {{ m }} take their values from vars, as numbers, and still stop paging', async () => {
    const fleet = defaultFleet({ runsPerFactory: 30, runPageSize: 3 });
    const server = await fleetServer(fleet);
    const engine = engineFor(server);
    const literal = await engine.query(`${RUNS} LIMIT 4 OFFSET 2`);
    server.reset();
    const placeheld = await engine.query(`${RUNS} LIMIT {{ n }} OFFSET {{ m }}`, { vars: { n: '4', m: 2 } });
    expect(server.requests).toHaveLength(2);
    // Through SQLite (ORDER BY), bound as numbers: '10' as text would sort and compare as text.
    const ordered = await engine.query(`${RUNS} ORDER BY runId LIMIT {{ n }}`, { vars: { n: '10' } });
    const quoted = await engine.query(`${RUNS} ORDER BY runId LIMIT '{{ n }}'`, { vars: { n: '10' } });
    await engine.close();
    expect(placeheld.rows).toEqual(literal.rows);
    expect(placeheld.rows).toHaveLength(4);
    expect(ordered.rows).toHaveLength(10);
    expect(quoted.rows).toEqual(ordered.rows);
  });

  for (const [value, sql] of [
    ['ten', 'LIMIT {{ n }}'],
    ['-1', 'LIMIT {{ n }}'],
    ['2.5', 'ORDER BY runId LIMIT {{ n }}'],
    ['', 'LIMIT 5 OFFSET {{ n }}'],
  ]) {
    it(`${sql} with n = ${JSON.stringify(value)}: PLAN_INVALID_VALUE at the placeholder, before any request`, async () => {
      const server = await fleetServer(defaultFleet());
      const engine = engineFor(server);
      const statement = `${RUNS} ${sql}`;
      const error = await rejectionOf(engine.query(statement, { vars: { n: value } }));
      await engine.close();
      expect(error.code).toBe('PLAN_INVALID_VALUE');
      expect(error.span?.offset).toBe(statement.lastIndexOf('{{ n }}') - (sql.includes("'") ? 1 : 0));
      expect(server.requests).toHaveLength(0);
    });
  }

  it("LIMIT '1'5 (a string and a number, no space between) is SQL_SYNTAX at the number, not read as another string's count (found by npm run fuzz)", () => {
    const engine = createEngine({ credential: fakeCredential(), endpoints: { azure: 'http://127.0.0.1:1' } });
    const statement = `${RUNS} LIMIT '1'5 OFFSET 2`;
    const error = errorOf(() => engine.plan(statement));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span?.offset).toBe(statement.indexOf("'1'5") + 3);
  });

  it('gives every row exactly once across continuationToken pages', async () => {
    const fleet = defaultFleet({ runsPerFactory: 25, runPageSize: 4 });
    const server = await fleetServer(fleet);
    const engine = engineFor(server);
    const rows: Row[] = [];
    await engine.query(RUNS, { onRows: (_columns, batch) => rows.push(...batch) });
    await engine.close();
    const expected = allRuns(fleet).filter((run) => run.runId && rows.length >= 0);
    const ids = rows.map((row) => row.runId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(4);
    expect(ids.every((id) => expected.some((run) => run.runId === id))).toBe(true);
  });
});

describe('direct streaming (no SQLite for plain projections)', () => {
  it('gives the rows SQLite gives, booleans as 1/0, filters applied', async () => {
    const server = await fleetServer(defaultFleet({ runsPerFactory: 30, runPageSize: 4 }));
    const engine = engineFor(server);
    const where = `${RUNS} AND status IN ('Failed', 'Succeeded') AND isLatest = TRUE`;
    const direct = await engine.query(where.replace('SELECT runId, status', 'SELECT runId AS id, status, isLatest, durationInMs'));
    const viaSqlite = await engine.query(`${where.replace('SELECT runId, status', 'SELECT runId AS id, status, isLatest, durationInMs')} ORDER BY rowid`);
    await engine.close();
    expect(direct.rows.length).toBeGreaterThan(3);
    expect(direct.columns).toEqual(viaSqlite.columns);
    expect(direct.rows).toEqual(viaSqlite.rows);
    expect(direct.rows.every((row) => row.isLatest === 1)).toBe(true);
  });

  it.each([
    ['SELECT * (objects as JSON text)', `SELECT * FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`],
    [
      'params and parts of the id as columns',
      `SELECT name, resourceGroupName, subscriptionId FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`,
    ],
    ['names spelled in another case', `SELECT NAME, Location FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`],
    [
      'a filter on a part of the id',
      `SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName IN ('rg-a')`,
    ],
  ])('%s: the rows SQLite gives', async (_name, sql) => {
    const server = await fleetServer(defaultFleet({ pageSize: 2 }));
    const engine = engineFor(server);
    const direct = await engine.query(sql);
    const viaSqlite = await engine.query(`${sql} ORDER BY rowid`);
    await engine.close();
    expect(direct.rows.length).toBeGreaterThan(1);
    expect(direct.columns).toEqual(viaSqlite.columns);
    expect(direct.rows).toEqual(viaSqlite.rows);
  });
});

describe('page limit', () => {
  it('stops after --max-pages and says the result is incomplete', async () => {
    const server = await fleetServer(defaultFleet({ pageSize: 1 }));
    const warnings: string[] = [];
    const engine = engineFor(server, { maxPages: 2, onWarning: (message) => warnings.push(message) });
    const result = await engine.query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`);
    await engine.close();
    expect(result.rows).toHaveLength(2);
    expect(warnings).toEqual([expect.stringMatching(/stopped after 2 page\(s\).*incomplete/)]);
  });
});

describe('fan-out', () => {
  it('runs IN requests concurrently up to the limit and unions the rows', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = http.get('*/resourceGroups/:rg/providers/Microsoft.DataFactory/factories', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(30);
      inFlight--;
      return undefined;
    });
    const fleet = defaultFleet({ pageSize: 10 });
    const server = await fleetServer(fleet, slow);
    const engine = engineFor(server, { concurrency: 2 });
    const result = await engine.query(`SELECT resourceGroupName, name FROM azure.data_factory.factories
      WHERE subscriptionId = '${SUB}' AND resourceGroupName IN ('rg-a', 'rg-b', 'rg-c') ORDER BY name`);
    await engine.close();
    expect(peak).toBe(2);
    expect(result.rows).toHaveLength(['rg-a', 'rg-b', 'rg-c'].flatMap((rg) => factoriesIn(fleet, rg)).length);
    expect(new Set(result.rows.map((row) => row.resourceGroupName))).toEqual(new Set(['rg-a', 'rg-b', 'rg-c']));
  });
});

describe('nextLink origin', () => {
  it('refuses a nextLink to another host with a coded error, and that host receives nothing', async () => {
    const evil = await startMockServer([http.all('*', () => HttpResponse.json({ value: [] }))]);
    servers.push(evil);
    const redirect = http.get('*/subscriptions/:sub/providers/Microsoft.DataFactory/factories', () =>
      HttpResponse.json({
        value: [],
        nextLink: `${evil.origin}/subscriptions/${SUB}/providers/Microsoft.DataFactory/factories?api-version=2018-06-01&$skiptoken=x`,
      }),
    );
    const server = await fleetServer(defaultFleet(), redirect);
    const engine = engineFor(server);
    const error = await engine.query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`).catch((caught: unknown) => caught);
    await engine.close();
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('HTTP_UNTRUSTED_NEXT_LINK');
    expect(evil.requests).toEqual([]);
  });
});

describe('dependent join', () => {
  it('calls the right side once per distinct left value', async () => {
    const server = await fleetServer(defaultFleet({ pageSize: 10 }));
    const engine = engineFor(server);
    await engine.query(`SELECT f.name, p.name FROM azure.data_factory.factories f
      JOIN azure.data_factory.pipelines p ON p.factoryName = f.name
      WHERE subscriptionId = '${SUB}' AND f.resourceGroupName = 'rg-b' AND p.resourceGroupName = 'rg-b'`);
    await engine.close();
    const paths = server.requests.map((request) => request.path.split('?')[0]);
    expect(paths.filter((path) => path.endsWith('/pipelines')).sort()).toEqual([
      `/subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.DataFactory/factories/factory-b1/pipelines`,
      `/subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.DataFactory/factories/factory-b2/pipelines`,
    ]);
  });
});

describe('local tables', () => {
  it('stores pages larger than one INSERT statement, every row once', async () => {
    const fleet = defaultFleet({ runsPerFactory: 250, runPageSize: 250 });
    const server = await fleetServer(fleet);
    const engine = engineFor(server);
    const { rows } = await engine.query(`SELECT count(*) AS n, count(DISTINCT runId) AS distinctRuns, max(runId IS NULL) AS missing
      FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'
        AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`);
    await engine.close();
    expect(rows).toEqual([{ n: 250, distinctRuns: 250, missing: 0 }]);
  });

  it('stores only the fields a statement names, and still counts rows when it names none', async () => {
    const subscriptions = [
      { subscriptionId: 'a', displayName: 'A', state: 'Enabled' },
      { subscriptionId: 'b', displayName: 'B', state: 'Disabled' },
    ];
    const server = await fleetServer(
      defaultFleet(),
      http.get('*/subscriptions', () => HttpResponse.json({ value: subscriptions })),
    );
    const engine = engineFor(server);
    const [plan] = engine.plan('SELECT displayName FROM azure.subscriptions.subscriptions ORDER BY displayName');
    const counted = await engine.query('SELECT count(*) AS n FROM azure.subscriptions.subscriptions');
    const named = await engine.query("SELECT displayName FROM azure.subscriptions.subscriptions WHERE state = 'Enabled' ORDER BY displayName");
    await engine.close();
    if (plan.plan.kind !== 'select') throw new Error('expected a SELECT plan');
    const source = plan.plan.sources[0];
    expect(source.storedColumns).toEqual(['displayName']);
    expect(source.columns.length).toBeGreaterThan(1);
    expect(counted.rows).toEqual([{ n: 2 }]);
    expect(named.rows).toEqual([{ displayName: 'A' }]);
  });
});

describe('a local query that can run away (on its own thread)', () => {
  const FACTORIES = `azure.data_factory.factories f WHERE f.subscriptionId = '${SUB}' AND f.resourceGroupName = 'rg-a'`;
  const WITH_A_JOIN = (columns: string) => `SELECT ${columns} FROM (SELECT 1 AS one) o, ${FACTORIES.replace(' WHERE', ' WHERE o.one = 1 AND')}`;
  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error as EngineError,
    );

  it("fails with SQLite's error as the same statement without a join does (SQL_LOCAL, same text)", async () => {
    const engine = engineFor(await fleetServer(defaultFleet()));
    const here = await errorOf(engine.query(`SELECT json_extract(f.name, '$.a') FROM ${FACTORIES} ORDER BY 1`));
    const onThread = await errorOf(engine.query(`${WITH_A_JOIN("json_extract(f.name, '$.a')")} ORDER BY 1`));
    await engine.close();
    expect(here).toMatchObject({ code: 'SQL_LOCAL', message: 'SQLite: malformed JSON' });
    expect(onThread).toMatchObject({ code: here?.code, message: here?.message, span: here?.span });
  });

  it('gives the rows the statement without a join gives: integers beyond 2^53, columns of one name', async () => {
    const engine = engineFor(await fleetServer(defaultFleet()));
    const columns = 'f.name, 9007199254740993 * 512 AS big, 1 AS twice, 2 AS twice, f.tags';
    const here = await engine.query(`SELECT ${columns} FROM ${FACTORIES} ORDER BY f.name`);
    const onThread = await engine.query(`${WITH_A_JOIN(columns)} ORDER BY f.name`);
    await engine.close();
    expect(onThread.columns).toEqual(here.columns);
    expect(onThread.rows).toEqual(here.rows);
    expect(here.columns).toEqual(['name', 'big', 'twice', 'twice:1', 'tags']);
    expect(here.rows[0]).toEqual({ name: 'factory-a1', big: Number(9007199254740993n * 512n), twice: 1, 'twice:1': 2, tags: expect.any(String) });
  });
});

describe('errors of the local SQL while streaming', () => {
  it("a runtime error of the user's SQL on a page is SQL_LOCAL, not a bug", async () => {
    const server = await fleetServer(
      defaultFleet(),
      http.get('*/providers/Microsoft.DataFactory/factories', () => HttpResponse.json({ value: [{ name: 'a', location: '{bad json' }] })),
    );
    const engine = engineFor(server);
    const error = await engine
      .query(`SELECT json_extract(location, '$.x') AS x FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`)
      .catch((caught: unknown) => caught);
    await engine.close();
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('SQL_LOCAL');
  });
});

describe('local databases per query', () => {
  // Every SQLite database the code under test opens (skyql requires node:sqlite when it first needs it).
  const sqlite = createRequire(import.meta.url)('node:sqlite') as typeof import('node:sqlite');
  const Original = sqlite.DatabaseSync;
  const opened = { count: 0 };
  class CountedDatabase extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      opened.count++;
    }
  }
  beforeAll(() => {
    sqlite.DatabaseSync = CountedDatabase;
  });
  afterAll(() => {
    sqlite.DatabaseSync = Original;
  });

  async function databasesOpenedBy(sql: string): Promise<{ opened: number; rows: number }> {
    const engine = engineFor(await fleetServer(defaultFleet({ runsPerFactory: 12, runPageSize: 5 })));
    try {
      // The first run plans (the planner's own check databases open then); the second only runs.
      await engine.query(sql);
      opened.count = 0;
      const { rows } = await engine.query(sql);
      return { opened: opened.count, rows: rows.length };
    } finally {
      await engine.close();
    }
  }

  // SQLite has nothing to do for one source with a plain projection: its pages are projected as they come.
  it('a plain projection of one source opens none', async () => {
    expect(await databasesOpenedBy(RUNS)).toEqual({ opened: 0, rows: 12 });
  });

  it('SELECT * opens none', async () => {
    expect(await databasesOpenedBy(RUNS.replace('runId, status', '*'))).toEqual({ opened: 0, rows: 12 });
  });

  it('a query SQLite computes (ORDER BY) opens one', async () => {
    expect(await databasesOpenedBy(`${RUNS} ORDER BY runId DESC`)).toEqual({ opened: 1, rows: 12 });
  });
});
