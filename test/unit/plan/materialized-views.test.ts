// Materialized views, as StackQL has them: CREATE [OR REPLACE] MATERIALIZED VIEW runs its SELECT
// once and the engine keeps the rows; statements read them with no request; REFRESH runs the
// SELECT again; DROP forgets them. They live as long as the engine, and never in a file.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseStatement } from '../../../src/sql/parse.ts';
import { FLEET_SUBSCRIPTION as SUB } from '../../helpers/azure-fleet.ts';
import { errorOf, rejectionOf } from '../../helpers/errors.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';

let folder = '';
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'skyql-mviews-'));
  return () => rmSync(folder, { recursive: true, force: true });
});
const suite = fleetSuite({}, () => ({ userRegistry: folder }));
const FACTORIES_MV = `CREATE MATERIALIZED VIEW mv_factories AS
  SELECT name, resourceGroupName AS rg, location, tags FROM azure.data_factory.factories WHERE subscriptionId = '{{ sub }}'`;

describe('CREATE MATERIALIZED VIEW', () => {
  it('runs the SELECT once and keeps its rows: reading them sends nothing', async () => {
    const [created] = await suite.engine.run(FACTORIES_MV, { vars: { sub: SUB } });
    expect(created.rows).toEqual([{ view: 'mv_factories', action: 'create', rows: 8 }]);
    const sent = suite.server.requests.length;
    expect(sent).toBeGreaterThan(0);
    const { rows } = await suite.engine.query('SELECT rg, count(*) AS n FROM mv_factories GROUP BY rg ORDER BY rg');
    expect(rows).toEqual([
      { rg: 'rg-a', n: 3 },
      { rg: 'rg-b', n: 2 },
      { rg: 'rg-c', n: 3 },
    ]);
    const filtered = await suite.engine.query("SELECT name, json_extract(tags, '$.env') AS env FROM mv_factories WHERE rg = 'rg-b' ORDER BY name");
    expect(filtered.rows).toEqual([
      { name: 'factory-b1', env: 'dev' },
      { name: 'factory-b2', env: 'dev' },
    ]);
    expect(suite.server.requests.length).toBe(sent);
  });

  it('joins a resource: its params come from the kept rows, one request per distinct value', async () => {
    await suite.engine.run(FACTORIES_MV, { vars: { sub: SUB } });
    suite.server.reset();
    const { rows } = await suite.engine.query(
      `SELECT f.name, p.name AS pipeline FROM mv_factories f
       JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = f.rg
       WHERE p.subscriptionId = '${SUB}' AND f.rg = 'rg-b' ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { name: 'factory-b1', pipeline: 'ingest-orders' },
      { name: 'factory-b1', pipeline: 'transform-sales' },
      { name: 'factory-b2', pipeline: 'export-report' },
      { name: 'factory-b2', pipeline: 'ingest-orders' },
      { name: 'factory-b2', pipeline: 'transform-sales' },
    ]);
    expect(new Set(suite.server.requests.map((request) => request.path.replace(/\?.*$/, '').split('/')[8]))).toEqual(new Set(['factory-b1', 'factory-b2']));
  });

  it("a SELECT of constants, as in StackQL's tests; two columns of one name are refused", async () => {
    expect((await suite.engine.run('create materialized view mv_one as select 1 as one'))[0].rows).toEqual([{ view: 'mv_one', action: 'create', rows: 1 }]);
    expect((await suite.engine.query('SELECT * FROM mv_one')).rows).toEqual([{ one: 1 }]);
    expect(errorOf(() => suite.engine.plan('CREATE MATERIALIZED VIEW mv_two AS SELECT 1 AS a, 2 AS A')).code).toBe('PLAN_DUPLICATE_COLUMN');
  });

  it('an existing name is REG_CONFLICT unless OR REPLACE, whichever kind of view holds it', async () => {
    await suite.engine.run('CREATE MATERIALIZED VIEW mv_one AS SELECT 1 AS one');
    expect(errorOf(() => suite.engine.plan('CREATE MATERIALIZED VIEW mv_one AS SELECT 2 AS two')).code).toBe('REG_CONFLICT');
    expect(errorOf(() => suite.engine.plan('CREATE VIEW mv_one AS SELECT 2 AS two')).code).toBe('REG_CONFLICT');
    await suite.engine.run('CREATE VIEW vw_plain AS SELECT 1 AS one');
    expect(errorOf(() => suite.engine.plan('CREATE MATERIALIZED VIEW vw_plain AS SELECT 1 AS one')).code).toBe('REG_CONFLICT');
    const [replaced] = await suite.engine.run("CREATE OR REPLACE MATERIALIZED VIEW mv_one AS SELECT 2 AS two, 'x' AS three");
    expect(replaced.rows).toEqual([{ view: 'mv_one', action: 'replace', rows: 1 }]);
    expect((await suite.engine.query('SELECT * FROM mv_one')).rows).toEqual([{ two: 2, three: 'x' }]);
  });

  it('a failing SELECT keeps nothing', async () => {
    suite.server.use(
      http.get('*/subscriptions/:sub/providers/Microsoft.DataFactory/factories', () =>
        HttpResponse.json({ error: { code: 'AuthorizationFailed', message: 'no access' } }, { status: 403 }),
      ),
    );
    const error = await rejectionOf(
      suite.engine.run(`CREATE MATERIALIZED VIEW mv_bad AS SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`),
    );
    expect(error.code).toBe('HTTP_STATUS');
    expect(errorOf(() => suite.engine.plan('SELECT * FROM mv_bad')).code).toBe('SQL_LOCAL');
  });

  it("a script creates one and reads it; a dry run plans both, with the SELECT's requests, and runs nothing", async () => {
    const script = `${FACTORIES_MV}; SELECT count(*) AS n FROM mv_factories WHERE rg = 'rg-a'`;
    const planned = suite.engine.plan(script, { vars: { sub: SUB } });
    expect(planned.map((entry) => entry.plan.kind)).toEqual(['materialize', 'select']);
    expect(suite.server.requests).toHaveLength(0);
    const results = await suite.engine.run(script, { vars: { sub: SUB } });
    expect(results[1].rows).toEqual([{ n: 3 }]);
  });

  it('EXPLAIN says where the rows come from', async () => {
    await suite.engine.run('CREATE MATERIALIZED VIEW mv_one AS SELECT 1 AS one');
    const lines = (await suite.engine.query('EXPLAIN SELECT one FROM mv_one')).rows.map((row) => row.plan);
    expect(lines).toContain('  Source 0: materialized view mv_one → table __skyql_0 (one)');
    expect(lines).toContain('    Rows kept by the engine: no request');
  });

  it('belongs to its engine: another engine does not see it, and nothing is written to the user folder', async () => {
    await suite.engine.run(FACTORIES_MV, { vars: { sub: SUB } });
    const other = suite.newEngine();
    expect(errorOf(() => other.plan('SELECT * FROM mv_factories')).code).toBe('SQL_LOCAL');
    await other.close();
    expect(existsSync(join(folder, 'views')) ? readdirSync(join(folder, 'views')) : []).toEqual([]);
  });
});

describe('REFRESH and DROP MATERIALIZED VIEW', () => {
  it('REFRESH runs the kept SELECT again: the rows are those of now', async () => {
    await suite.engine.run(FACTORIES_MV, { vars: { sub: SUB } });
    const group = suite.fleet.subscriptions[0].resourceGroups[1];
    const removed = group.factories.pop()!;
    try {
      expect((await suite.engine.query('SELECT count(*) AS n FROM mv_factories')).rows).toEqual([{ n: 8 }]);
      const [refreshed] = await suite.engine.run('REFRESH MATERIALIZED VIEW mv_factories');
      expect(refreshed.rows).toEqual([{ view: 'mv_factories', action: 'refresh', rows: 7 }]);
      expect((await suite.engine.query('SELECT count(*) AS n FROM mv_factories')).rows).toEqual([{ n: 7 }]);
    } finally {
      group.factories.push(removed);
    }
  });

  it('DROP forgets it; each DROP names its own kind of view; IF EXISTS does not mind', async () => {
    await suite.engine.run('CREATE MATERIALIZED VIEW mv_one AS SELECT 1 AS one');
    const plain = errorOf(() => suite.engine.plan('DROP VIEW mv_one'));
    expect(plain.code).toBe('REG_UNKNOWN_RESOURCE');
    expect(plain.hint).toContain('DROP MATERIALIZED VIEW mv_one');
    expect((await suite.engine.run('DROP MATERIALIZED VIEW mv_one'))[0].rows).toEqual([{ view: 'mv_one', action: 'drop' }]);
    expect(errorOf(() => suite.engine.plan('SELECT * FROM mv_one')).code).toBe('SQL_LOCAL');
    expect(errorOf(() => suite.engine.plan('REFRESH MATERIALIZED VIEW mv_one')).code).toBe('REG_UNKNOWN_RESOURCE');
    expect((await suite.engine.run('DROP MATERIALIZED VIEW IF EXISTS mv_one'))[0].rows).toEqual([{ view: 'mv_one', action: 'none' }]);
  });

  it('a read-only session reads materialized views but does not make, refresh or drop them', async () => {
    await suite.engine.run('CREATE MATERIALIZED VIEW mv_one AS SELECT 1 AS one');
    expect((await suite.engine.query('SELECT one FROM mv_one', { readOnly: true })).rows).toEqual([{ one: 1 }]);
    for (const sql of ['CREATE MATERIALIZED VIEW mv_two AS SELECT 2 AS two', 'REFRESH MATERIALIZED VIEW mv_one', 'DROP MATERIALIZED VIEW mv_one']) {
      expect((await rejectionOf(suite.engine.query(sql, { readOnly: true }))).code).toBe('SERVER_READ_ONLY');
    }
  });

  it('a name beginning with __skyql_ is not a view name', () => {
    expect(errorOf(() => suite.engine.plan('CREATE MATERIALIZED VIEW __skyql_stored AS SELECT 1 AS one')).code).toBe('SQL_UNSUPPORTED');
  });
});

describe('parsing', () => {
  it('reads the three statements; REFRESH takes only MATERIALIZED VIEW', () => {
    expect(parseStatement('create or replace materialized view r.mv as select 1 as one').statement).toMatchObject({
      kind: 'create_view',
      orReplace: true,
      materialized: true,
      name: { parts: ['r', 'mv'] },
    });
    expect(parseStatement('DROP MATERIALIZED VIEW IF EXISTS mv').statement).toMatchObject({ kind: 'drop_view', ifExists: true, materialized: true });
    expect(parseStatement('REFRESH MATERIALIZED VIEW mv').statement).toMatchObject({ kind: 'refresh_view', name: { parts: ['mv'] } });
    expect(errorOf(() => parseStatement('REFRESH VIEW mv')).code).toBe('SQL_SYNTAX');
  });
});
