// `skyql serve` as a user runs it: the built CLI in a process of its own, a client, then SIGTERM.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultFleet, type Fleet, FLEET_SUBSCRIPTION as SUB, fleetHandlers } from '../helpers/azure-fleet.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const BIN = fileURLToPath(new URL('../../bin/skyql.js', import.meta.url));

let azure: MockServer;
/** A factory with thousands of runs, 100 a page: batches of rows large enough that the server hands its buffers to the socket. */
const longFleet: Fleet = defaultFleet({ runsPerFactory: 4_000, runPageSize: 100 });
let longLists: MockServer;
beforeAll(async () => {
  azure = await startMockServer(fleetHandlers(defaultFleet()));
  longLists = await startMockServer(fleetHandlers(longFleet));
});
afterAll(async () => {
  await azure.close();
  await longLists.close();
});

function serve(args: readonly string[], env: Record<string, string> = {}, origin = azure.origin) {
  const home = mkdtempSync(join(tmpdir(), 'skyql-serve-'));
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--auth', '{"azure":{"type":"bearer","credentialsenvvar":"AZ_TOKEN"}}', '--endpoint', `azure=${origin}`, ...args],
    {
      env: { PATH: process.env.PATH ?? '', HOME: home, AZ_TOKEN: 'serve-test-token-123', XDG_CACHE_HOME: join(home, 'cache'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  const port = new Promise<number>((resolve) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      const match = / -p (\d+) /.exec(stderr);
      if (match) resolve(Number(match[1]));
    }),
  );
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, port, exit, stderr: () => stderr };
}

it('serves until SIGTERM, then shuts down cleanly with exit status 0', async () => {
  const server = serve([]);
  const client = new pg.Client({ host: '127.0.0.1', port: await server.port, user: 'skyql' });
  client.on('error', () => {});
  await client.connect();
  const { rows } = await client.query(
    `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-b' ORDER BY name`,
  );
  expect(rows).toEqual([{ name: 'factory-b1' }, { name: 'factory-b2' }]);
  server.child.kill('SIGTERM');
  expect(await server.exit).toBe(0);
  expect(server.stderr()).toMatch(/shutting down \(1 connection open\)/);
  expect(server.stderr()).not.toContain('serve-test-token-123');
});

it('refuses to listen beyond loopback without authentication (exit status 2, nothing listens)', async () => {
  const server = serve(['--host', '0.0.0.0']);
  expect(await server.exit).toBe(2);
  expect(server.stderr()).toMatch(/^error\[CFG_INVALID\]: listening on 0\.0\.0\.0 \(beyond loopback\) needs authentication/);
});

it('sends every row of a long paged list exactly once, batch after batch as the pages arrive', async () => {
  const server = serve([], {}, longLists.origin);
  const client = new pg.Client({ host: '127.0.0.1', port: await server.port, user: 'skyql' });
  client.on('error', () => {});
  await client.connect();
  const expected = longFleet.subscriptions[0].resourceGroups[0].factories[0].runs.map((run) => run.runId).sort();
  for (let round = 0; round < 3; round++) {
    const { rows } = await client.query(
      `SELECT * FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a'
         AND factoryName = 'factory-a1' AND lastUpdatedAfter = '2000-01-01T00:00:00Z' AND lastUpdatedBefore = '2100-01-01T00:00:00Z'`,
    );
    expect(rows.map((row) => row.runId).sort()).toEqual(expected);
  }
  await client.end();
  server.child.kill('SIGTERM');
  expect(await server.exit).toBe(0);
}, 60_000);
