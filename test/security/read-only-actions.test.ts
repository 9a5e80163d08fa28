// Hostile: a read-only session (skyql serve --read-only, the MCP query tool) runs reads only. A
// SELECT cannot smuggle an action in through an (EXEC …) table, or through a view that holds one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.ts';
import { defaultFleet, FLEET_SUBSCRIPTION, fleetHandlers } from '../helpers/azure-fleet.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { errorOf, rejectionOf } from '../helpers/errors.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const SUB = FLEET_SUBSCRIPTION;
const CANCEL = `(EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId = '${SUB}', @resourceGroupName = 'rg-a', @factoryName = 'factory-a1', @runId = 'r1')`;
let server: MockServer;
let folder: string;
let engine: Engine;

beforeAll(async () => {
  server = await startMockServer(fleetHandlers(defaultFleet()));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  folder = mkdtempSync(join(tmpdir(), 'skyql-ro-'));
  engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, pacing: false, userRegistry: folder });
  return () => rmSync(folder, { recursive: true, force: true });
});

describe('a read-only session', () => {
  it('refuses a SELECT of an (EXEC …) whose method is an action, before anything is sent', async () => {
    const sql = `SELECT * FROM ${CANCEL} AS c`;
    expect(errorOf(() => engine.plan(sql, { readOnly: true })).code).toBe('SERVER_READ_ONLY');
    expect((await rejectionOf(engine.query(sql, { readOnly: true }))).code).toBe('SERVER_READ_ONLY');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses it through a view too', async () => {
    await engine.run(`CREATE VIEW vw_cancel AS SELECT * FROM ${CANCEL} AS c`);
    expect((await rejectionOf(engine.query('SELECT * FROM vw_cancel', { readOnly: true }))).code).toBe('SERVER_READ_ONLY');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses mutations, EXEC, views and REGISTRY ADD; runs reads, EXPLAIN and an (EXEC …) of a read method', async () => {
    for (const sql of [
      `EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId = '${SUB}', @resourceGroupName = 'rg-a', @factoryName = 'factory-a1', @runId = 'r1'`,
      `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`,
      `REPLACE azure.data_factory.factories SET location = 'x' WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`,
      `CREATE VIEW vw_x AS SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`,
      'DROP VIEW IF EXISTS vw_x',
    ])
      expect(errorOf(() => engine.plan(sql, { readOnly: true })).code, sql).toBe('SERVER_READ_ONLY');
    const { rows } = await engine.query(
      `SELECT name FROM (EXEC azure.data_factory.factories.get @subscriptionId = '${SUB}', @resourceGroupName = 'rg-a', @factoryName = 'factory-a1')`,
      { readOnly: true },
    );
    expect(rows).toEqual([{ name: 'factory-a1' }]);
    expect(engine.plan(`EXPLAIN SELECT * FROM ${CANCEL} AS c`, { readOnly: true })[0].plan.kind).toBe('explain');
  });
});
