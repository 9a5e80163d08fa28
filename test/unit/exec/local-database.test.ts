// A SELECT that SQLite has nothing to do for (one source, a plain projection, equality filters)
// opens no local database: its pages are projected as they come. Others still get one per query.

import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { defaultFleet, FLEET_SUBSCRIPTION as SUB, fleetHandlers } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

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

const RUNS = `SELECT runId, status FROM azure.data_factory.pipeline_runs
  WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'
    AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`;

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function databasesOpenedBy(sql: string): Promise<{ opened: number; rows: number }> {
  const server = await startMockServer(fleetHandlers(defaultFleet({ runsPerFactory: 12, runPageSize: 5 })));
  servers.push(server);
  const engine = createEngine({ credential: fakeCredential(), now: () => new Date('2026-11-22T12:00:00Z'), endpoints: { azure: server.origin } });
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

describe('local databases per query', () => {
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
