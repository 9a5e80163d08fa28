// The wire server with a real client (node-postgres) against the mock Azure fleet: simple and
// extended queries, types, errors with SQLSTATEs, cancellation, sessions, limits, read-only mode.

import { createConnection } from 'node:net';
import { http, HttpResponse, delay } from 'msw';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET_SUBSCRIPTION as SUB } from '../helpers/azure-fleet.ts';
import { startHarness, type Harness } from './helpers.ts';

const FACTORIES = `SELECT name, location, tags FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' ORDER BY name`;
const RUNS = `SELECT runId, isLatest, durationInMs, parameters FROM azure.data_factory.pipeline_runs
  WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`;
/** A resource group whose factory list answers only when the test lets it (or never). */
const SLOW = `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'slow'`;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

/** A handler for the slow group that waits until released (or the request is aborted). */
function slowGroup() {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler = http.get('*/resourceGroups/slow/providers/Microsoft.DataFactory/factories', async () => {
    await Promise.race([released, delay(60_000)]);
    return HttpResponse.json({ value: [{ name: 'late-factory', location: 'x', id: '/x', type: 't', tags: {} }] });
  });
  return { handler, release };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(10);
}

function errorOf(promise: Promise<unknown>): Promise<pg.DatabaseError> {
  return promise.then(
    () => {
      throw new Error('expected an error');
    },
    (error: pg.DatabaseError) => error,
  );
}

describe('queries', () => {
  it('simple query: rows, column names, types (text, json) and the command tag', async () => {
    const { client } = await start();
    const result = await (await client()).query(FACTORIES);
    expect(result.rows).toHaveLength(8);
    expect(result.rows[0]).toEqual({ name: 'factory-a1', location: 'East US', tags: { env: 'prod', team: 'data' } });
    expect(result.fields.map((field) => [field.name, field.dataTypeID])).toEqual([
      ['name', 25],
      ['location', 25],
      ['tags', 114],
    ]);
    expect(result.command).toBe('SELECT');
    expect(result.rowCount).toBe(8);
  });

  it('integers are int8, booleans bool, numbers float8, as the registry and the values say', async () => {
    const { client } = await start();
    const c = await client();
    const runs = await c.query(RUNS);
    expect(runs.fields.map((field) => field.dataTypeID)).toEqual([25, 16, 20, 114]);
    expect(typeof runs.rows[0].isLatest).toBe('boolean');
    expect(runs.rows[0].durationInMs).toMatch(/^\d+$/); // node-postgres reads int8 as a string
    const aggregate = await c.query(`SELECT count(*) AS n, avg(durationInMs) AS mean, max(isLatest) AS latest FROM (${RUNS})`);
    expect(aggregate.fields.map((field) => [field.name, field.dataTypeID])).toEqual([
      ['n', 20],
      ['mean', 701],
      ['latest', 20],
    ]);
    expect(aggregate.rows[0].n).toBe('8');
    expect(typeof aggregate.rows[0].mean).toBe('number');
  });

  it('prepared statements: $1 parameters, a named statement run twice, binary results', async () => {
    const { client } = await start();
    const c = await client();
    const text = 'SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = $1 AND resourceGroupName = $2 ORDER BY name';
    const first = await c.query({ name: 'by-group', text, values: [SUB, 'rg-a'] });
    const second = await c.query({ name: 'by-group', text, values: [SUB, 'rg-b'] });
    expect(first.rows.map((row) => row.name)).toEqual(['factory-a1', 'factory-a2', 'factory-a3']);
    expect(second.rows.map((row) => row.name)).toEqual(['factory-b1', 'factory-b2']);
    const limited = await c.query(`${FACTORIES} LIMIT $1 OFFSET $2`, [2, 1]);
    expect(limited.rows.map((row) => row.name)).toEqual(['factory-a2', 'factory-a3']);
    // `binary` asks for every result column in binary format (node-postgres knows it; its types do not).
    const binary: pg.QueryResult = await c.query({ text: `${RUNS} AND durationInMs > $1::int`, values: [100_000], binary: true } as pg.QueryConfig);
    expect(binary.rows.length).toBeGreaterThan(0);
    expect(typeof binary.rows[0].isLatest).toBe('boolean');
    for (const row of binary.rows) expect(Number(row.durationInMs)).toBeGreaterThan(100_000);
  });

  it('Execute with a row limit: the portal is suspended and resumed (node-postgres `rows`)', async () => {
    const { client } = await start();
    const c = await client();
    const paged = await c.query({ text: FACTORIES, rows: 3 } as pg.QueryConfig);
    expect(paged.rows.map((row) => row.name)).toEqual([
      'factory-a1',
      'factory-a2',
      'factory-a3',
      'factory-b1',
      'factory-b2',
      'factory-c1',
      'factory-c2',
      'factory-c3',
    ]);
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
  });

  it('a parameter is a value, never statement text: quotes and {{ }} are compared as they are', async () => {
    const { client, azure } = await start();
    const c = await client();
    const text = 'SELECT name FROM azure.data_factory.factories WHERE subscriptionId = $1 AND location = $2';
    expect((await c.query(text, [SUB, 'East US'])).rows).toHaveLength(3);
    expect((await c.query(text, [SUB, "East US' OR '1'='1"])).rows).toEqual([]);
    expect((await c.query(text, [SUB, '{{ subscriptionId }}'])).rows).toEqual([]);
    // A param value is checked against the spec like any literal, before anything is sent.
    azure.reset();
    const refused = await errorOf(
      c.query('SELECT name FROM azure.data_factory.factories WHERE subscriptionId = $1 AND resourceGroupName = $2', [SUB, "rg' OR '1'='1"]),
    );
    expect(refused.code).toBe('22023');
    expect(refused.message).toMatch(/^skyql\[PLAN_INVALID_VALUE\]/);
    expect(azure.requests).toEqual([]);
  });

  it("a statement's warnings reach its client as NoticeResponse (an incomplete list)", async () => {
    const { client, logs } = await start({ engine: { maxPages: 1 } });
    const c = await client();
    const notices: { severity?: string; message?: string }[] = [];
    c.on('notice', (notice) => notices.push(notice));
    expect((await c.query(FACTORIES)).rows).toHaveLength(2);
    expect(notices).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        message: expect.stringMatching(/^skyql: azure\.data_factory\.factories\.list: stopped after 1 page\(s\).*incomplete/),
      }),
    ]);
    expect(logs.join('\n')).not.toMatch(/stopped after/);
  });

  it("a statement's notices reach its client, the default it was planned with included", async () => {
    const { client, logs } = await start({ engine: { paramDefaults: { subscriptionId: { value: SUB, from: 'the server' } } } });
    const c = await client();
    const notices: { severity?: string; message?: string }[] = [];
    c.on('notice', (notice) => notices.push(notice));
    expect((await c.query('SELECT name FROM azure.data_factory.factories')).rows).toHaveLength(8);
    expect(notices).toEqual([
      expect.objectContaining({
        severity: 'NOTICE',
        message: `skyql: subscriptionId not given: using ${SUB} (from the server); give subscriptionId in the statement for another`,
      }),
    ]);
    expect(logs.join('\n')).not.toMatch(/not given/);
  });

  it('SHOW and DESCRIBE answer rows; client probes (version, SET, SHOW setting) answer too', async () => {
    const { client } = await start();
    const c = await client();
    expect((await c.query('SHOW RESOURCES IN azure.data_factory')).rows.map((row) => row.name)).toContain('pipeline_runs');
    const described = await c.query('DESCRIBE azure.data_factory.factories');
    expect(described.rows.find((row) => row.name === 'tags')).toMatchObject({ type: 'object' });
    expect((await c.query('SELECT version()')).rows[0].version).toMatch(/skyql test/);
    await c.query("SET application_name = 'tests'");
    expect((await c.query('SHOW application_name')).rows).toEqual([{ application_name: 'tests' }]);
    expect((await c.query('SELECT current_schema()')).rows).toEqual([{ current_schema: 'public' }]);
    expect((await c.query('SELECT n.nspname FROM pg_catalog.pg_namespace n')).rows).toEqual([]);
  });

  it('a simple query may hold several statements; an empty one is EmptyQueryResponse', async () => {
    const { client } = await start();
    const c = await client();
    const results = (await c.query('SHOW PROVIDERS; SELECT 1 AS one')) as unknown as pg.QueryResult[];
    expect(results.map((result) => result.rows.length)).toEqual([1, 1]);
    expect((await c.query('')).rows).toEqual([]);
  });
});

describe('errors', () => {
  it("ErrorResponse with a SQLSTATE, skyql's code in the message, its hint and the position", async () => {
    const { client } = await start();
    const c = await client();
    const syntax = await errorOf(c.query('SELECT FROM WHERE'));
    expect(syntax).toMatchObject({ code: '42601', severity: 'ERROR', position: '13' });
    expect(syntax.message).toMatch(/^skyql\[SQL_SYNTAX\]: /);
    expect(syntax.hint).toBeTruthy();
    const column = await errorOf(c.query(`SELECT nosuch FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`));
    expect(column.code).toBe('42703');
    expect(column.message).toMatch(/^skyql\[PLAN_UNKNOWN_COLUMN\]/);
    const missing = await errorOf(c.query({ name: 'unbound', text: 'SELECT name FROM azure.data_factory.factories WHERE subscriptionId = $1', values: [] }));
    expect(missing.code).toBe('22P02');
    // The connection goes on after each error.
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
  });

  it('refuses mutations in read-only mode (25006, SERVER_READ_ONLY) before anything is sent', async () => {
    const { client, azure } = await start({ server: { readOnly: true } });
    const error = await errorOf(
      (await client()).query(
        `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`,
      ),
    );
    expect(error.code).toBe('25006');
    expect(error.message).toMatch(/^skyql\[SERVER_READ_ONLY\]/);
    expect(azure.requests).toEqual([]);
  });

  it('read-only mode answers what changes nothing: EXPLAIN of a SELECT, and of a mutation, sends nothing', async () => {
    const { client, azure } = await start({ server: { readOnly: true } });
    const c = await client();
    const explained = await c.query(`EXPLAIN SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`);
    expect(explained.rows[0]).toEqual({ plan: 'Select' });
    const mutation = await c.query(
      `EXPLAIN DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`,
    );
    expect(mutation.rows.map((row) => String(row.plan)).join('\n')).toMatch(/DELETE .*factory-a1/);
    expect(azure.requests).toEqual([]);
  });

  it('runs mutations when they are allowed (loopback default): the command tag counts the requests', async () => {
    const { client, fleet } = await start();
    const result = await (await client()).query(
      `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`,
    );
    expect(result.command).toBe('DELETE');
    expect(result.rowCount).toBe(1);
    expect(fleet.subscriptions[0].resourceGroups[0].factories.map((entry) => entry.factory.name)).not.toContain('factory-a1');
  });

  it('a statement that stops part way says what each request did (DETAIL)', async () => {
    const { client } = await start();
    const error = await errorOf(
      (await client()).query(`INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      VALUES ('${SUB}', 'rg-a', 'factory-a1', 'ingest-orders'), ('${SUB}', 'rg-a', 'factory-a1', 'no-such-pipeline')`),
    );
    expect(error.code).toBe('42704');
    expect(error.detail).toMatch(/^requests: 1 of 2 succeeded\n1 succeeded: POST .*ingest-orders\/createRun.*\n2 failed: POST /);
  });
});

describe('cancellation and limits', () => {
  it('CancelRequest stops the running statement with 57014; the connection stays usable', async () => {
    const slow = slowGroup();
    const { client, azure } = await start({ handlers: [slow.handler] });
    const c = await client();
    const running = errorOf(c.query(SLOW));
    await until(() => azure.requests.some((request) => request.path.includes('/slow/')));
    // node-postgres's own cancel: a new connection sends CancelRequest with c's process id and key.
    const canceller = new pg.Client({ host: '127.0.0.1', port: harness!.server.port }) as unknown as { cancel(client: pg.Client, query: unknown): void };
    canceller.cancel(c, (c as unknown as { activeQuery: unknown }).activeQuery);
    const error = await running;
    slow.release();
    expect(error.code).toBe('57014');
    expect(error.message).toMatch(/^skyql\[HTTP_ABORTED\]: canceling statement due to user request/);
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
  });

  it('a CancelRequest with the wrong key is ignored', async () => {
    const slow = slowGroup();
    const { client, azure } = await start({ handlers: [slow.handler] });
    const c = await client();
    const running = c.query(SLOW);
    await until(() => azure.requests.some((request) => request.path.includes('/slow/')));
    await sendCancel(harness!.server.port, (c as unknown as { processID: number }).processID, 12345);
    slow.release();
    expect((await running).rows).toEqual([{ name: 'late-factory' }]);
  });

  it('the statement timeout cancels with 57014', async () => {
    const slow = slowGroup();
    const { client } = await start({ handlers: [slow.handler], server: { statementTimeoutMs: 200 } });
    const error = await errorOf((await client()).query(SLOW));
    slow.release();
    expect(error.code).toBe('57014');
    expect(error.message).toMatch(/statement timeout/);
  });

  it('serves many connections at once, each with its own session', async () => {
    const { client } = await start();
    const clients = await Promise.all(Array.from({ length: 12 }, () => client()));
    await Promise.all(clients.map((c, i) => c.query(`SET var.group = 'rg-${'abc'[i % 3]}'`)));
    const results = await Promise.all(
      clients.map((c) => c.query(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = '{{ group }}'`)),
    );
    results.forEach((result, i) => {
      expect(result.rows.length).toBeGreaterThan(0);
      for (const row of result.rows) expect(row.name).toMatch(new RegExp(`^factory-${'abc'[i % 3]}`));
    });
    const fresh = await client();
    expect((await errorOf(fresh.query("SELECT '{{ group }}' AS g"))).code).toBe('42P02');
  });

  it('refuses a connection beyond the limit with 53300', async () => {
    const { client } = await start({ server: { maxConnections: 2 } });
    await client();
    await client();
    const error = await errorOf(client());
    expect(error.code).toBe('53300');
  });
});

describe('authentication', () => {
  it('requires SCRAM-SHA-256 when a password is set: the right one logs in, a wrong one or another user is 28P01', async () => {
    const { client, logs } = await start({ server: { password: 'correct horse battery', user: 'analyst' } });
    const c = await client({ user: 'analyst', password: 'correct horse battery' });
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
    expect((await errorOf(client({ user: 'analyst', password: 'wrong' }))).code).toBe('28P01');
    expect((await errorOf(client({ user: 'someone', password: 'correct horse battery' }))).code).toBe('28P01');
    expect(logs.join('\n')).not.toContain('correct horse');
  });

  it('refuses to listen beyond loopback without authentication; read-only there by default', async () => {
    const { resolveServerOptions } = await import('../../src/server/options.ts');
    expect(() => resolveServerOptions({ host: '0.0.0.0' })).toThrow(/needs authentication/);
    expect(resolveServerOptions({ host: '0.0.0.0', password: 'p' }).readOnly).toBe(true);
    expect(resolveServerOptions({ host: '0.0.0.0', password: 'p', allowMutations: true }).readOnly).toBe(false);
    expect(resolveServerOptions({ host: '127.0.0.1' }).readOnly).toBe(false);
  });
});

describe('shutdown', () => {
  it('lets a running statement finish, ends idle connections with 57P01, then stops listening', async () => {
    const slow = slowGroup();
    const { client, azure, server } = await start({ handlers: [slow.handler] });
    const busy = await client();
    const idle = await client();
    const idleEnded = new Promise<Error>((resolve) => idle.on('error', resolve));
    const running = busy.query(SLOW);
    await until(() => azure.requests.some((request) => request.path.includes('/slow/')));
    const closed = server.close();
    expect(((await idleEnded) as pg.DatabaseError).code).toBe('57P01');
    slow.release();
    expect((await running).rows).toEqual([{ name: 'late-factory' }]);
    await closed;
    expect(server.connections()).toBe(0);
    await expect(new pg.Client({ host: '127.0.0.1', port: server.port }).connect()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cancels what is still running when the grace period is over', async () => {
    const slow = slowGroup();
    const { client, azure, server } = await start({ handlers: [slow.handler], server: { shutdownGraceMs: 100 } });
    const c = await client();
    const running = errorOf(c.query(SLOW));
    await until(() => azure.requests.some((request) => request.path.includes('/slow/')));
    await server.close();
    slow.release();
    expect((await running).code).toMatch(/^57P01$|^57014$/);
  });
});

function sendCancel(port: number, processId: number, secretKey: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(80_877_102, 4);
      packet.writeInt32BE(processId, 8);
      packet.writeInt32BE(secretKey, 12);
      socket.end(packet);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}
