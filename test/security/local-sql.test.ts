// Hostile local SQL: a statement whose local query never ends — a recursive CTE with no stop, a
// join with a huge output — stops on the library's AbortSignal, on Ctrl-C in `skyql exec` and in
// the shell, with SQL_LOCAL_CANCELLED, and leaves no thread behind. No timing is asserted: the
// test timeout is the bound.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, EngineError, type EngineOptions } from '../../src/index.ts';
import { guardStdout } from '../../src/cli/stdout.ts';
import { runShell } from '../../src/cli/shell.ts';
import { defaultFleet, FLEET_NOW, FLEET_SUBSCRIPTION as SUB, fleetHandlers } from '../helpers/azure-fleet.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

// Every worker thread the code under test starts, while it runs.
const threads = vi.hoisted(() => new Set<object>());
vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:worker_threads')>();
  class TrackedWorker extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args);
      threads.add(this);
      this.once('exit', () => threads.delete(this));
    }
  }
  return { ...original, Worker: TrackedWorker };
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AUTH = '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}';

/** A recursive CTE seeded with fetched rows, whose recursion never stops. */
const ENDLESS_CTE = `WITH RECURSIVE forever(n, name) AS (
    SELECT 1, name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'
    UNION ALL SELECT n + 1, name FROM forever)
  SELECT count(*) AS rows FROM forever`;
/** 1,000 runs joined with themselves three times: 10^9 rows to count. */
const HUGE_JOIN = `SELECT count(*) AS rows
  FROM azure.data_factory.pipeline_runs a, azure.data_factory.pipeline_runs b, azure.data_factory.pipeline_runs c
  WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`;
/** 1,000 distinct runs (a CTE SQLite keeps apart, not merged into the join) joined four times: 10^12 rows. */
const HUGE_DERIVED_JOIN = `WITH runs AS (SELECT DISTINCT runId FROM azure.data_factory.pipeline_runs
    WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND lastUpdatedAfter = '2026-11-01T00:00:00Z')
  SELECT count(*) AS rows FROM runs a, runs b, runs c, runs d`;
/** A recursive CTE joined with a fetched table that stops at 10. */
const COUNT_TO_10 = `WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < 10)
  SELECT f.name, counter.n FROM counter, azure.data_factory.factories f
  WHERE f.subscriptionId = '${SUB}' AND f.name = 'factory-a1' ORDER BY counter.n`;

const servers: MockServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fleetServer(): Promise<MockServer> {
  const server = await startMockServer(fleetHandlers(defaultFleet({ runsPerFactory: 1_000, runPageSize: 500 })));
  servers.push(server);
  return server;
}

function engineFor(server: MockServer, options: EngineOptions = {}) {
  return createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, now: () => new Date(FLEET_NOW), ...options });
}

/**
 * A signal that aborts once no response has come for a while: the rows are fetched and the
 * local query is running (aborting during the fetch would test HTTP_ABORTED instead).
 */
function abortOnceFetched(quietMs = 300) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onExchange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), quietMs);
  };
  return { signal: controller.signal, onExchange };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the library: AbortSignal', () => {
  const RUNAWAYS = [
    ['a recursive CTE over a fetched table that never stops', ENDLESS_CTE],
    ['a join of fetched tables with 10^9 rows', HUGE_JOIN],
    ['a join of a DISTINCT CTE with itself with 10^12 rows', HUGE_DERIVED_JOIN],
  ];
  for (const [name, sql] of RUNAWAYS) {
    it(`stops ${name} with SQL_LOCAL_CANCELLED, and its thread has exited`, async () => {
      const server = await fleetServer();
      const abort = abortOnceFetched();
      const engine = engineFor(server, { onExchange: abort.onExchange });
      const error = await engine.query(sql, { signal: abort.signal }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      await engine.close();
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('SQL_LOCAL_CANCELLED');
      expect(threads.size).toBe(0);
    });
  }

  it('still answers a recursive CTE that stops (counting to 10), and its thread has exited', async () => {
    const server = await fleetServer();
    const engine = engineFor(server);
    const result = await engine.query(COUNT_TO_10, { signal: new AbortController().signal });
    await engine.close();
    expect(result.rows).toEqual(Array.from({ length: 10 }, (_, i) => ({ name: 'factory-a1', n: i + 1 })));
    expect(threads.size).toBe(0);
  });
});

describe('the engine keeps its local-query threads', () => {
  it('answers its next queries on the thread that answered, and ends it when it closes', async () => {
    const server = await fleetServer();
    const engine = engineFor(server);
    await engine.query(COUNT_TO_10);
    expect(threads.size).toBe(1);
    const [first] = threads;
    const again = await engine.query(COUNT_TO_10);
    expect(again.rows).toHaveLength(10);
    expect([...threads]).toEqual([first]);
    await engine.close();
    expect(threads.size).toBe(0);
  });
});

describe('the CLI: Ctrl-C', () => {
  function skyql(server: MockServer, sql: string) {
    const child = spawn(`${ROOT}node_modules/.bin/node`, ['bin/skyql.js', 'exec', sql, '--auth', AUTH, '--endpoint', `azure=${server.origin}`], {
      cwd: ROOT,
      env: { ...process.env, AZURE_TOKEN: 'test-token', SKYQL_HISTORY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const out = { stdout: '', stderr: '' };
    child.stdout!.on('data', (chunk) => {
      out.stdout += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      out.stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, out, exited };
  }

  it('`skyql exec` stops an endless recursive CTE on SIGINT, exits non-zero with SQL_LOCAL_CANCELLED', async () => {
    const server = await fleetServer();
    const { child, out, exited } = skyql(server, ENDLESS_CTE);
    // The one list request is answered; a moment later the local query is running.
    await until(() => server.requests.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    expect(await exited).not.toBe(0);
    expect(out.stderr).toMatch(/^error\[SQL_LOCAL_CANCELLED\]/m);
  });

  it('`skyql exec` answers a recursive CTE that stops and exits by itself (no thread left)', async () => {
    const server = await fleetServer();
    const { out, exited } = skyql(server, COUNT_TO_10);
    expect(await exited).toBe(0);
    expect(out.stdout).toMatch(/factory-a1/);
    expect(out.stderr).toMatch(/^10 rows$/m);
  });
});

describe('the shell: Ctrl-C', () => {
  it('cancels the running statement, its thread exits, and the shell goes on', async () => {
    const server = await fleetServer();
    const engine = engineFor(server);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = { stdout: '', stderr: '' };
    stdout.on('data', (chunk) => {
      out.stdout += chunk;
    });
    const stderr = { write: (text: string) => (out.stderr += text) };
    const shell = runShell(
      engine,
      { stdin, stdout: guardStdout(stdout), terminal: stdout, stderr, interactive: true },
      { vars: {}, dryRun: false, settings: { output: 'json', expanded: false }, version: '0.0.0-test' },
    );
    stdin.write(`${ENDLESS_CTE.replace(/\n\s*/g, ' ')};\n`);
    await until(() => threads.size > 0 && server.requests.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    stdin.write('\x03');
    await until(() => out.stderr.includes('SQL_LOCAL_CANCELLED'));
    expect(threads.size).toBe(0);
    stdin.write('SHOW PROVIDERS;\n');
    await until(() => out.stdout.includes('"azure"'));
    stdin.end('.exit\n');
    expect(await shell).toBe(0);
    await engine.close();
    expect(out.stderr).toMatch(/^error\[SQL_LOCAL_CANCELLED\]/m);
  });
});
