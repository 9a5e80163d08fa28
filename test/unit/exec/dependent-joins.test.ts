// Dependent joins that bind several params, from columns or from expressions over the other
// source's columns (`split_part(f.id, '/', 5)`): one request per distinct combination.

import { describe, expect, it } from 'vitest';
import { allFactories, FLEET_SUBSCRIPTION } from '../../helpers/azure-fleet.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';

const SUB = FLEET_SUBSCRIPTION;
const suite = fleetSuite();

const pipelineLists = () =>
  [...new Set(suite.server.requests.map((request) => request.path.replace(/\?.*$/, '')).filter((path) => path.endsWith('/pipelines')))].sort();
const expectedPairs = () =>
  allFactories(suite.fleet)
    .flatMap((entry) => entry.pipelines.map((pipeline) => `${entry.factory.name}/${pipeline.name}`))
    .sort();

describe('a join that binds several params', () => {
  const SQL = `SELECT f.name AS factory, p.name AS pipeline
    FROM azure.data_factory.factories f
    JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = split_part(f.id, '/', 5)
    WHERE f.subscriptionId = '${SUB}' AND p.subscriptionId = '${SUB}'`;

  it('sends one list per distinct (factory, resource group) of the first source, and joins every pipeline', async () => {
    const { rows } = await suite.engine.query(SQL);
    expect(rows.map((row) => `${row.factory}/${row.pipeline}`).sort()).toEqual(expectedPairs());
    const factories = allFactories(suite.fleet).map((entry) => entry.factory.id);
    expect(pipelineLists()).toEqual(factories.map((id) => `${id}/pipelines`).sort());
  });

  it('EXPLAIN names each joined param and the SQL that gives it', async () => {
    const { rows } = await suite.engine.query(`EXPLAIN ${SQL}`);
    const line = rows.map((row) => String(row.plan)).find((text) => text.includes('After source 0'));
    expect(line).toContain('"name" as factoryName');
    expect(line).toMatch(/split_part\("f"\.id, \?, 5\) as resourceGroupName/);
    expect(suite.server.requests).toHaveLength(0);
  });

  it('a string in the expression is bound, so it can hold any text', async () => {
    const { rows } = await suite.engine.query(`SELECT count(*) AS n FROM azure.data_factory.factories f JOIN azure.data_factory.pipelines p
      ON p.factoryName = f.name AND p.resourceGroupName = replace(split_part(f.id, '/', 5), 'x''y', 'z')
      WHERE f.subscriptionId = '${SUB}' AND p.subscriptionId = '${SUB}'`);
    expect(rows).toEqual([{ n: expectedPairs().length }]);
  });

  it('EXPLAIN of params from the rows of two resources shows how their rows go together', async () => {
    const { rows } = await suite.engine.query(`EXPLAIN SELECT r.runId FROM azure.data_factory.factories f
      JOIN azure.resources.resource_groups g ON g.name = split_part(f.id, '/', 5)
      JOIN azure.data_factory.pipeline_runs r ON r.factoryName = f.name AND r.resourceGroupName = g.name
      WHERE f.subscriptionId = '${SUB}' AND g.subscriptionId = '${SUB}' AND r.subscriptionId = '${SUB}'
        AND r.lastUpdatedAfter = '2026-01-01T00:00:00Z' AND r.lastUpdatedBefore = '2026-02-01T00:00:00Z'`);
    const line = rows.map((row) => String(row.plan)).find((text) => text.includes('After sources'));
    expect(line).toContain('After sources 0 (azure.data_factory.factories.list), 1 (azure.resources.resource_groups.list)');
    expect(line).toContain('"f"."name" as factoryName, "g"."name" as resourceGroupName');
    expect(line).toMatch(/where "g"\."name" = \(split_part\("f"\.id, \?, 5\)\)/);
    expect(suite.server.requests).toHaveLength(0);
  });
});

describe('a join whose params come from the rows of two resources, one listed per row of the other', () => {
  // Each pipeline by name (d) needs its factory (from f) and its name (from p, listed per factory).
  const SQL = `SELECT f.name AS factory, p.name AS pipeline, d.name AS fetched
    FROM azure.data_factory.factories f
    JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = split_part(f.id, '/', 5)
    JOIN azure.data_factory.pipelines d ON d.factoryName = f.name AND d.resourceGroupName = split_part(f.id, '/', 5) AND d.pipelineName = p.name
    WHERE f.subscriptionId = '${SUB}' AND p.subscriptionId = '${SUB}' AND d.subscriptionId = '${SUB}'`;
  const pipelineGets = () =>
    suite.server.requests
      .filter((request) => request.method === 'GET' && /\/pipelines\/[^/?]+(\?|$)/.test(request.path))
      .map((request) => request.path.replace(/\?.*$/, ''))
      .sort();

  it("gets each pipeline once, with its own factory's values: the pairs the rows put together, not every combination", async () => {
    const { rows } = await suite.engine.query(SQL);
    expect(rows.map((row) => `${row.factory}/${row.fetched}`).sort()).toEqual(expectedPairs());
    expect(rows.every((row) => row.fetched === row.pipeline)).toBe(true);
    const expectedGets = allFactories(suite.fleet)
      .flatMap((entry) => entry.pipelines.map((pipeline) => `${entry.factory.id}/pipelines/${pipeline.name}`))
      .sort();
    expect(pipelineGets()).toEqual(expectedGets);
  });

  it("the statement's conditions on either source narrow the requests", async () => {
    const first = allFactories(suite.fleet).find((entry) => entry.pipelines.length > 1)!;
    const pipeline = first.pipelines[0].name;
    const { rows } = await suite.engine.query(`${SQL} AND f.name = '${first.factory.name}' AND p.name = '${pipeline}'`);
    expect(rows).toEqual([{ factory: first.factory.name, pipeline, fetched: pipeline }]);
    expect(pipelineGets()).toEqual([`${first.factory.id}/pipelines/${pipeline}`]);
  });
});

describe("the statement's conditions on the other source", () => {
  it('ask nothing for its rows they exclude: pipelines of the West Europe factories only, every one of them joined', async () => {
    const { rows } = await suite.engine.query(`SELECT f.name AS factory, p.name AS pipeline
      FROM azure.data_factory.factories f
      JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = split_part(f.id, '/', 5)
      WHERE f.subscriptionId = '${SUB}' AND p.subscriptionId = '${SUB}' AND f.location = 'West Europe'`);
    const westEurope = allFactories(suite.fleet).filter((entry) => entry.factory.location === 'West Europe');
    expect(pipelineLists()).toEqual(westEurope.map((entry) => `${entry.factory.id}/pipelines`).sort());
    expect(rows.map((row) => `${row.factory}/${row.pipeline}`).sort()).toEqual(
      westEurope.flatMap((entry) => entry.pipelines.map((pipeline) => `${entry.factory.name}/${pipeline.name}`)).sort(),
    );
  });

  it('a qualified condition on a column both sources have (f.name) narrows that source only', async () => {
    const { rows } = await suite.engine.query(`SELECT f.name AS factory, p.name AS pipeline
      FROM azure.data_factory.factories f
      JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = split_part(f.id, '/', 5)
      WHERE f.subscriptionId = '${SUB}' AND p.subscriptionId = '${SUB}' AND f.name = 'factory-b1'`);
    expect(rows.map((row) => row.factory)).toEqual(expect.arrayContaining(['factory-b1']));
    expect(new Set(rows.map((row) => row.factory))).toEqual(new Set(['factory-b1']));
    expect(pipelineLists()).toEqual([`${allFactories(suite.fleet).find((entry) => entry.factory.name === 'factory-b1')!.factory.id}/pipelines`]);
  });
});
