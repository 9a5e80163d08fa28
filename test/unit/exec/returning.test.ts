// RETURNING: response fields by name (with AS names), `*`, and items SQLite computes over the
// response's rows (functions, json_extract, placeholders), as StackQL allows. Until 2026-12-03 an
// item that was not a bare field silently returned every field, and an alias was dropped.

import { describe, expect, it } from 'vitest';
import { FLEET_SUBSCRIPTION as SUB } from '../../helpers/azure-fleet.ts';
import { rejectionOf } from '../../helpers/errors.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';

const suite = fleetSuite();
const UPDATE = `UPDATE azure.data_factory.factories SET tags = '{"env":"prod","team":"data"}' WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-b'`;

describe('RETURNING', () => {
  it('names a field with AS', async () => {
    const { columns, rows } = await suite.engine.query(`${UPDATE} AND factoryName = 'factory-b1' RETURNING name AS factory, location`);
    expect(columns).toEqual(['factory', 'location']);
    expect(rows).toEqual([{ factory: 'factory-b1', location: expect.any(String) }]);
  });

  it('computes expressions over the response, one row per request, placeholders bound', async () => {
    const { columns, rows } = await suite.engine.query(
      `${UPDATE} AND factoryName IN ('factory-b1', 'factory-b2')
       RETURNING upper(name) AS factory, json_extract(tags, '$.team') AS team, '{{ who }}' AS requester, length(name)`,
      { vars: { who: "o'neil" } },
    );
    expect(columns).toEqual(['factory', 'team', 'requester', 'length(name)']);
    expect(rows).toEqual([
      { factory: 'FACTORY-B1', team: 'data', requester: "o'neil", 'length(name)': 10 },
      { factory: 'FACTORY-B2', team: 'data', requester: "o'neil", 'length(name)': 10 },
    ]);
  });

  it('expands * in place beside other items', async () => {
    const { columns, rows } = await suite.engine.query(`${UPDATE} AND factoryName = 'factory-b1' RETURNING *, name AS again`);
    expect(columns).toContain('name');
    expect(columns.at(-1)).toBe('again');
    expect(rows[0].again).toBe(rows[0].name);
  });

  it('an unknown column or bad SQL in RETURNING is a coded error before anything is sent', async () => {
    suite.server.reset();
    const unknown = await rejectionOf(suite.engine.query(`${UPDATE} AND factoryName = 'factory-b1' RETURNING nosuch || 'x'`));
    expect(unknown).toMatchObject({ code: 'PLAN_UNKNOWN_COLUMN' });
    const function_ = await rejectionOf(suite.engine.query(`${UPDATE} AND factoryName = 'factory-b1' RETURNING no_such_function(name)`));
    expect(function_).toMatchObject({ code: 'SQL_LOCAL' });
    expect(suite.server.requests).toEqual([]);
  });

  it('createRun RETURNING an expression of runId', async () => {
    const { rows } = await suite.engine.query(
      `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
       SELECT '${SUB}', 'rg-a', 'factory-a1', 'ingest-orders' RETURNING runId AS id, length(runId) AS n`,
    );
    expect(rows).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), n: 36 }]);
  });

  it('EXPLAIN prints the query SQLite runs over the response', async () => {
    const { rows } = await suite.engine.query(`EXPLAIN ${UPDATE} AND factoryName = 'factory-b1' RETURNING upper(name) AS factory`);
    expect(rows.map((row) => Object.values(row).join(' ')).join('\n')).toContain(
      `Return factory, computed by SQLite over the response's rows (every field): SELECT upper(name) AS factory FROM "__skyql_0"`,
    );
  });
});

describe('RETURNING placeholders', () => {
  it('a statement run again with other vars returns the new values', async () => {
    const sql = `${UPDATE} AND factoryName = 'factory-b1' RETURNING '{{ who }}' || '/' || name AS tagged`;
    expect((await suite.engine.query(sql, { vars: { who: 'a' } })).rows).toEqual([{ tagged: 'a/factory-b1' }]);
    expect((await suite.engine.query(sql, { vars: { who: 'b' } })).rows).toEqual([{ tagged: 'b/factory-b1' }]);
  });
});
