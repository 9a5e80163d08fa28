// `(EXEC … )` read as a table, as StackQL users write it: the method named, its response's rows.

import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../src/sql/parse.ts';
import type { SelectStatement } from '../../../src/sql/ast.ts';
import { allFactories, FLEET_SUBSCRIPTION } from '../../helpers/azure-fleet.ts';
import { errorOf } from '../../helpers/errors.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';

const SUB = FLEET_SUBSCRIPTION;
const suite = fleetSuite();

describe('(EXEC …) as a table', () => {
  it('parses as a source that calls the named method, with its args as conditions', () => {
    const statement = parseStatement(
      `SELECT name FROM (EXEC /*+ SHOWRESULTS */ azure.data_factory.factories.get @subscriptionId = '${SUB}', @resourceGroupName = 'rg-a', @factoryName = 'factory-a1') t`,
    ).statement as SelectStatement;
    expect(statement.sources).toHaveLength(1);
    expect(statement.sources[0]).toMatchObject({ name: { parts: ['azure', 'data_factory', 'factories'] }, method: 'get' });
    expect(statement.conditions.map((condition) => condition.column)).toEqual(['subscriptionId', 'resourceGroupName', 'factoryName']);
  });

  it("a list method's rows can be grouped and filtered like a table's", async () => {
    const factory = allFactories(suite.fleet)[0];
    const { rows } = await suite.engine.query(`SELECT count(*) AS n FROM (EXEC azure.data_factory.pipelines.list_by_factory
      @subscriptionId = '${SUB}' @resourceGroupName = 'rg-a' @factoryName = '${factory.factory.name}') WHERE name LIKE '%'`);
    expect(rows).toEqual([{ n: factory.pipelines.length }]);
  });

  it('a method that returns one object is one row, and joins', async () => {
    const { rows } = await suite.engine.query(
      `SELECT f.name, f.location FROM (EXEC azure.data_factory.factories.get @subscriptionId = '${SUB}', @resourceGroupName = 'rg-b', @factoryName = 'factory-b2') f`,
    );
    expect(rows).toEqual([{ name: 'factory-b2', location: allFactories(suite.fleet).find((entry) => entry.factory.name === 'factory-b2')!.factory.location }]);
  });

  it('the method is the one named, not one chosen by params; a missing required arg is PLAN_MISSING_PARAM before sending', () => {
    expect(
      errorOf(() => suite.engine.plan(`SELECT * FROM (EXEC azure.data_factory.factories.get @subscriptionId = '${SUB}', @resourceGroupName = 'rg-a')`)).code,
    ).toBe('PLAN_MISSING_PARAM');
    expect(errorOf(() => suite.engine.plan(`SELECT * FROM (EXEC azure.data_factory.factories.nope @subscriptionId = '${SUB}')`)).code).toBe(
      'REG_UNKNOWN_METHOD',
    );
    expect(errorOf(() => suite.engine.plan(`SELECT * FROM (EXEC azure.data_factory.factories.get @@json = '{}')`)).code).toBe('SQL_UNSUPPORTED');
    expect(suite.server.requests).toHaveLength(0);
  });

  it('an ( EXEC that is never closed is SQL_SYNTAX at its parenthesis (it recursed without end: found by npm run fuzz)', () => {
    for (const sql of ['( EXEC ', 'WITH f AS (\n  EXEC n', `SELECT * FROM (EXEC azure.data_factory.factories.get @subscriptionId = '${SUB}'`]) {
      const error = errorOf(() => suite.engine.plan(sql));
      expect(error.code, sql).toBe('SQL_SYNTAX');
      expect(error.span?.offset, sql).toBe(sql.indexOf('('));
    }
  });
});
