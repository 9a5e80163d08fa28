// Views: CREATE [OR REPLACE] VIEW / DROP VIEW, kept in the user's folder; a statement that reads a
// view runs the view's query, and its conditions on the view's pass-through columns pick the
// method as they would on the resource.

import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { allFactories, FLEET_SUBSCRIPTION } from '../../helpers/azure-fleet.ts';
import { errorOf, rejectionOf } from '../../helpers/errors.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';

const SUB = FLEET_SUBSCRIPTION;
let folder = '';
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'skyql-views-'));
  return () => rmSync(folder, { recursive: true, force: true });
});
const suite = fleetSuite({}, () => ({ userRegistry: folder }));
const paths = () => [...new Set(suite.server.requests.map((request) => decodeURIComponent(request.path.replace(/\?.*$/, ''))))];

const FACTORIES_VIEW = `CREATE VIEW vw_factories AS SELECT name, location, subscriptionId, resourceGroupName FROM azure.data_factory.factories WHERE subscriptionId = '{{ sub }}'`;

describe('CREATE VIEW', () => {
  it('keeps the query in the user folder, its placeholders fixed to their values, for the next suite.engine too', async () => {
    const [created] = await suite.engine.run(FACTORIES_VIEW, { vars: { sub: SUB } });
    expect(created.rows).toEqual([{ view: 'vw_factories', action: 'create' }]);
    expect(readFileSync(join(folder, 'views', 'vw_factories.sql'), 'utf8')).toContain(`WHERE subscriptionId = '${SUB}'`);
    const { rows } = await suite.newEngine().query("SELECT name FROM vw_factories WHERE resourceGroupName = 'rg-b' ORDER BY name");
    expect(rows).toEqual([{ name: 'factory-b1' }, { name: 'factory-b2' }]);
  });

  it('a placeholder value cannot change the view: it is fixed as a quoted value', async () => {
    await suite.engine.run(FACTORIES_VIEW, { vars: { sub: "x' OR '1'='1" } });
    expect(readFileSync(join(folder, 'views', 'vw_factories.sql'), 'utf8')).toContain("subscriptionId = 'x'' OR ''1''=''1'");
  });

  it('an existing view is REG_CONFLICT unless OR REPLACE; an unknown resource in its query is refused before it is kept', async () => {
    await suite.engine.run(FACTORIES_VIEW, { vars: { sub: SUB } });
    expect((await rejectionOf(suite.engine.run(FACTORIES_VIEW, { vars: { sub: SUB } }))).code).toBe('REG_CONFLICT');
    const [replaced] = await suite.engine.run(FACTORIES_VIEW.replace('CREATE VIEW', 'CREATE OR REPLACE VIEW'), { vars: { sub: 'other' } });
    expect(replaced.rows).toEqual([{ view: 'vw_factories', action: 'replace' }]);
    expect(errorOf(() => suite.engine.plan('CREATE VIEW vw_x AS SELECT name FROM azure.data_factory.no_such')).code).toBe('REG_UNKNOWN_RESOURCE');
    expect(errorOf(() => suite.engine.plan('CREATE VIEW vw_x AS DELETE FROM azure.data_factory.factories')).code).toBe('SQL_UNSUPPORTED');
    expect(errorOf(() => suite.engine.plan('CREATE VIEW a.b.c AS SELECT 1')).code).toBe('SQL_UNSUPPORTED');
  });

  it('a script may create a view and read it; a dry run plans both and writes nothing', async () => {
    const script = `${FACTORIES_VIEW}; SELECT count(*) AS n FROM vw_factories WHERE resourceGroupName = 'rg-a'`;
    const planned = suite.engine.plan(script, { vars: { sub: SUB } });
    expect(planned.map((entry) => entry.plan.kind)).toEqual(['view_change', 'select']);
    expect(() => readFileSync(join(folder, 'views', 'vw_factories.sql'))).toThrow();
    const results = await suite.engine.run(script, { vars: { sub: SUB } });
    expect(results[1].rows).toEqual([{ n: 3 }]);
  });

  it('DROP VIEW forgets it; DROP VIEW of no view is REG_UNKNOWN_RESOURCE unless IF EXISTS', async () => {
    await suite.engine.run(FACTORIES_VIEW, { vars: { sub: SUB } });
    expect((await suite.engine.run('DROP VIEW vw_factories'))[0].rows).toEqual([{ view: 'vw_factories', action: 'drop' }]);
    expect(errorOf(() => suite.engine.plan('SELECT * FROM vw_factories')).code).toBe('SQL_LOCAL');
    expect(errorOf(() => suite.engine.plan('DROP VIEW vw_factories')).code).toBe('REG_UNKNOWN_RESOURCE');
    expect((await suite.engine.run('DROP VIEW IF EXISTS vw_factories'))[0].rows).toEqual([{ view: 'vw_factories', action: 'none' }]);
  });

  it('a view cannot read itself, directly or through another view', async () => {
    expect(errorOf(() => suite.engine.plan('CREATE VIEW vw_a AS SELECT * FROM vw_a')).code).toBe('SQL_UNSUPPORTED');
    await suite.engine.run(`CREATE VIEW vw_b AS SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`);
    await suite.engine.run('CREATE VIEW vw_c AS SELECT name FROM vw_b');
    expect(errorOf(() => suite.engine.plan('CREATE OR REPLACE VIEW vw_b AS SELECT name FROM vw_c')).code).toBe('SQL_UNSUPPORTED');
  });
});

describe('reading a view', () => {
  beforeEach(async () => {
    await suite.engine.run(FACTORIES_VIEW, { vars: { sub: SUB } });
  });

  it('conditions on a pass-through column pick the method and fill its params: one list per resource group', async () => {
    const { rows } = await suite.engine.query("SELECT v.name FROM vw_factories AS v WHERE v.resourceGroupName IN ('rg-a', 'rg-c') AND v.name LIKE '%1'");
    expect(rows).toEqual([{ name: 'factory-a1' }, { name: 'factory-c1' }]);
    expect(paths().sort()).toEqual([
      `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.DataFactory/factories`,
      `/subscriptions/${SUB}/resourceGroups/rg-c/providers/Microsoft.DataFactory/factories`,
    ]);
  });

  it("with no such condition, the view's own query decides: every factory of the subscription", async () => {
    const { rows } = await suite.engine.query('SELECT count(*) AS n FROM vw_factories');
    expect(rows).toEqual([{ n: allFactories(suite.fleet).length }]);
    expect(paths()).toEqual([`/subscriptions/${SUB}/providers/Microsoft.DataFactory/factories`]);
  });

  it("the view's own conditions still hold: another subscription gives no rows, not that subscription's", async () => {
    const { rows } = await suite.engine.query("SELECT name FROM vw_factories WHERE subscriptionId = 'other-subscription'");
    expect(rows).toEqual([]);
    expect(suite.server.requests).toHaveLength(0);
  });

  it('an OR at the top of the WHERE pushes nothing down; the rows are still right', async () => {
    const { rows } = await suite.engine.query("SELECT name FROM vw_factories WHERE resourceGroupName = 'rg-b' OR name = 'factory-a1' ORDER BY name");
    expect(rows).toEqual([{ name: 'factory-a1' }, { name: 'factory-b1' }, { name: 'factory-b2' }]);
    expect(paths()).toEqual([`/subscriptions/${SUB}/providers/Microsoft.DataFactory/factories`]);
  });

  it('a view joins like a table, and a view of a view reads through', async () => {
    await suite.engine.run('CREATE VIEW vw_names AS SELECT name, resourceGroupName FROM vw_factories');
    const { rows } = await suite.engine.query("SELECT n.name FROM vw_names n WHERE n.resourceGroupName = 'rg-b' ORDER BY 1");
    expect(rows).toEqual([{ name: 'factory-b1' }, { name: 'factory-b2' }]);
    expect(paths()).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.DataFactory/factories`]);
  });

  it('a CTE of the same name is the CTE, not the view', async () => {
    const { rows } = await suite.engine.query('WITH vw_factories AS (SELECT 1 AS name) SELECT name FROM vw_factories');
    expect(rows).toEqual([{ name: 1 }]);
    expect(suite.server.requests).toHaveLength(0);
  });

  it('a view file edited by hand is read as it is', async () => {
    mkdirSync(join(folder, 'views'), { recursive: true });
    writeFileSync(
      join(folder, 'views', 'vw_hand.sql'),
      `-- kept by hand\nSELECT name, resourceGroupName AS rg FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}';\n`,
    );
    const { rows } = await suite.newEngine().query("SELECT name FROM vw_hand WHERE rg = 'rg-c' AND name = 'factory-c2'");
    expect(rows).toEqual([{ name: 'factory-c2' }]);
  });

  it("a provider-style view's 'replace-me' value takes the statement's value; without one it is PLAN_MISSING_PARAM", async () => {
    mkdirSync(join(folder, 'views'), { recursive: true });
    writeFileSync(
      join(folder, 'views', 'vw_rg_factories.sql'),
      `SELECT name, resourceGroupName FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'replace-me'`,
    );
    const fresh = suite.newEngine();
    const { rows } = await fresh.query("SELECT name FROM vw_rg_factories WHERE resourceGroupName = 'rg-b' ORDER BY name");
    expect(rows).toEqual([{ name: 'factory-b1' }, { name: 'factory-b2' }]);
    expect(paths()).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.DataFactory/factories`]);
    const error = errorOf(() => fresh.plan('SELECT name FROM vw_rg_factories'));
    expect(error.code).toBe('PLAN_MISSING_PARAM');
    expect(error.message).toContain('resourceGroupName');
  });
});
