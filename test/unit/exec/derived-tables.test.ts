// A subquery in FROM is a query of its own: its DISTINCT, ORDER BY … LIMIT and column list hold
// for the rows the outer SELECT reads. (Rows streamed page by page past the subquery once made
// every one of these a silent wrong answer: all columns, every row, duplicates.)

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/index.ts';
import { defaultFleet, FLEET_SUBSCRIPTION as SUB, fleetHandlers } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

let server: MockServer;
let engine: Engine;

beforeAll(async () => {
  // Two factories a page: the subquery's rows arrive over several pages.
  server = await startMockServer(fleetHandlers(defaultFleet()));
  engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, pacing: false });
});
afterAll(async () => {
  await engine.close();
  await server.close();
});

const FACTORIES = `azure.data_factory.factories WHERE subscriptionId = '${SUB}'`;

it("returns the subquery's columns, not the resource's", async () => {
  const result = await engine.query(`SELECT * FROM (SELECT name FROM ${FACTORIES}) AS d LIMIT 3`);
  expect(result.columns).toEqual(['name']);
  expect(result.rows).toEqual([{ name: 'factory-a1' }, { name: 'factory-a2' }, { name: 'factory-a3' }]);
});

it("keeps the subquery's DISTINCT across pages", async () => {
  const { rows } = await engine.query(`SELECT * FROM (SELECT DISTINCT location FROM ${FACTORIES}) AS d`);
  expect(rows.map((row) => row.location).sort()).toEqual(['East US', 'East US 2', 'West Europe']);
});

it("keeps the subquery's ORDER BY … LIMIT", async () => {
  const { rows } = await engine.query(`SELECT name FROM (SELECT name FROM ${FACTORIES} ORDER BY name DESC LIMIT 2) AS d`);
  expect(rows).toEqual([{ name: 'factory-c3' }, { name: 'factory-c2' }]);
});

it('a view is such a subquery: SELECT * of it has its columns, and EXPLAIN of it plans', async () => {
  await engine.run(`CREATE VIEW vw_names AS SELECT name, location FROM ${FACTORIES}`);
  try {
    const result = await engine.query('SELECT * FROM vw_names LIMIT 1');
    expect(result.columns).toEqual(['name', 'location']);
    const explained = await engine.query('EXPLAIN SELECT * FROM vw_names');
    expect(explained.rows.map((row) => row.plan).join('\n')).toMatch(/Run in SQLite: SELECT \* FROM \(SELECT name, location FROM "__skyql_0"/);
  } finally {
    await engine.run('DROP VIEW vw_names');
  }
});

it('groups and counts the rows of the subquery, not the pages of the resource', async () => {
  const counted = await engine.query(`SELECT count(*) AS n FROM (SELECT DISTINCT location FROM ${FACTORIES}) AS d`);
  expect(counted.rows).toEqual([{ n: 3 }]);
  const grouped = await engine.query(
    `SELECT location, count(*) AS n FROM (SELECT location FROM ${FACTORIES} ORDER BY name LIMIT 4) AS d GROUP BY location ORDER BY location`,
  );
  expect(grouped.rows).toEqual([
    { location: 'East US', n: 3 },
    { location: 'West Europe', n: 1 },
  ]);
});
