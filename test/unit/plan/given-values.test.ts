import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.ts';
import { parseStatement } from '../../../src/sql/parse.ts';
import type { MutationStatement } from '../../../src/sql/ast.ts';
import type { HttpStatementPlan } from '../../../src/plan/types.ts';
import { errorOf } from '../../helpers/errors.ts';

const engine = createEngine({ endpoints: { azure: 'http://127.0.0.1:1' } });
const WHERE = "WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'fab'";
const requestsOf = (sql: string, vars = {}) =>
  (engine.plan(sql, { vars })[0].plan as HttpStatementPlan).requests.map((request) => ({
    method: request.method,
    url: request.url.replace(/^http:\/\/127\.0\.0\.1:1/, ''),
    body: typeof request.body === 'string' ? JSON.parse(request.body) : request.body,
  }));

describe("StackQL's REPLACE … SET … WHERE", () => {
  it('parses as a replace of the named resource, with its SET and WHERE', () => {
    const statement = parseStatement(`REPLACE /*+ AWAIT */ azure.data_factory.factories SET location = 'eastus' ${WHERE} RETURNING id`)
      .statement as MutationStatement;
    expect(statement.kind).toBe('replace');
    expect(statement.hints.await).toBe(true);
    expect(statement.set.map((item) => item.name)).toEqual(['location']);
    expect(statement.where.map((condition) => condition.column)).toEqual(['subscriptionId', 'resourceGroupName', 'factoryName']);
    expect(statement.returning).toEqual({ fields: [{ column: 'id' }] });
  });

  it('sends the PUT (the replace method), where UPDATE sends the PATCH', () => {
    const put = requestsOf(`REPLACE azure.data_factory.factories SET location = 'eastus', tags = '{"env":"dev"}' ${WHERE}`);
    expect(put).toEqual([
      {
        method: 'PUT',
        url: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/fab?api-version=2018-06-01',
        body: { location: 'eastus', tags: { env: 'dev' } },
      },
    ]);
    expect(requestsOf(`UPDATE azure.data_factory.factories SET tags = '{"env":"dev"}' ${WHERE}`)[0].method).toBe('PATCH');
  });

  it("a param in both SET and WHERE (as StackQL's docs write REPLACE) is one value; two different values are PLAN_DUPLICATE_PARAM", () => {
    const put = requestsOf(`REPLACE azure.data_factory.factories SET location = 'eastus' ${WHERE} AND location = 'eastus'`);
    expect(put[0].body).toEqual({ location: 'eastus' });
    expect(errorOf(() => engine.plan(`REPLACE azure.data_factory.factories SET location = 'eastus' ${WHERE} AND location = 'westus'`)).code).toBe(
      'PLAN_DUPLICATE_PARAM',
    );
  });

  it('REPLACE INTO … VALUES keeps its meaning', () => {
    const statement = parseStatement(
      "REPLACE INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location) VALUES ('s', 'rg', 'fab', 'x')",
    ).statement;
    expect(statement.kind).toBe('insert');
  });
});

describe('INSERT and SET values that are expressions of values', () => {
  it('are evaluated by SQLite before the request is built', () => {
    expect(requestsOf(`UPDATE azure.data_factory.factories SET tags = json_object('env', 'dev', 'n', 1 + 2) ${WHERE}`)[0].body).toEqual({
      tags: { env: 'dev', n: 3 },
    });
    const insert = requestsOf(
      "INSERT INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location, tags) SELECT 's', 'rg', 'f' || 'ab', lower('EASTUS'), json_set('{}', '$.owner', '{{ who }}')",
      { who: 'me' },
    );
    expect(insert).toEqual([
      {
        method: 'PUT',
        url: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/fab?api-version=2018-06-01',
        body: { location: 'eastus', tags: { owner: 'me' } },
      },
    ]);
  });

  it('each VALUES row has its own', () => {
    const rows = requestsOf(
      "INSERT INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location) VALUES ('s', 'rg', 'fab', upper('x')), ('s', 'rg', 'fac', 'y' || 'z')",
    );
    expect(rows.map((request) => request.body)).toEqual([{ location: 'X' }, { location: 'yz' }]);
  });

  it("the value is checked like a literal's: an expression that makes a bad name is refused", () => {
    expect(
      errorOf(() =>
        engine.plan(`UPDATE azure.data_factory.factories SET tags = '{}' WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'f' || ''`),
      ).code,
    ).toBe('SQL_UNSUPPORTED');
    expect(
      errorOf(() =>
        engine.plan(
          "INSERT INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location) SELECT 's', 'rg', substr('fabc', 1, 2), 'x'",
        ),
      ).code,
    ).toBe('PLAN_INVALID_VALUE');
  });

  it('an expression that reads a column or a query is SQL_UNSUPPORTED at its position', () => {
    const sql = `UPDATE azure.data_factory.factories SET tags = json_set(tags, '$.a', 1) ${WHERE}`;
    const error = errorOf(() => engine.plan(sql));
    expect(error.code).toBe('SQL_UNSUPPORTED');
    expect(error.span?.offset).toBe(sql.indexOf('json_set'));
    expect(errorOf(() => engine.plan(`UPDATE azure.data_factory.factories SET tags = (SELECT '{}') ${WHERE}`)).code).toBe('SQL_UNSUPPORTED');
  });

  it('an expression SQLite rejects is SQL_LOCAL at its position, before anything is sent', () => {
    const sql = `UPDATE azure.data_factory.factories SET tags = json('{bad') ${WHERE}`;
    const error = errorOf(() => engine.plan(sql));
    expect(error.code).toBe('SQL_LOCAL');
    expect(error.span?.offset).toBe(sql.indexOf("json('{bad')"));
    expect(errorOf(() => engine.plan(`UPDATE azure.data_factory.factories SET tags = no_such_fn(1) ${WHERE}`)).code).toBe('SQL_LOCAL');
  });

  it('a value that changes between runs is not kept from the last plan', () => {
    const sql = `UPDATE azure.data_factory.factories SET tags = json_object('r', random()) ${WHERE}`;
    const first = requestsOf(sql)[0].body;
    const second = requestsOf(sql)[0].body;
    expect(first).not.toEqual(second);
  });
});
