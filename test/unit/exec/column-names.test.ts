// A column may be named anything a statement or a spec names it, `__proto__` and the names of
// Object.prototype's members included: every row has it as its own property, with its value,
// whichever way the rows were made (read straight from pages, by SQLite, by the aggregate path,
// or reordered for output).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { formatResult } from '../../../src/output/format.ts';
import { BUNDLED_REGISTRY } from '../../../src/registry/load.ts';
import { FLEET_SUBSCRIPTION } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const suite = fleetSuite();
const FROM = `FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}'`;
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__defineGetter__'];

const ownValues = (rows: readonly object[], name: string) =>
  rows.map((row) => (Object.hasOwn(row, name) ? (Object.getOwnPropertyDescriptor(row, name)!.value as unknown) : 'missing'));

describe('a column named like a member of Object.prototype', () => {
  const cases: Record<string, (name: string) => string> = {
    'read straight from the pages': (name) => `SELECT name AS "${name}", location ${FROM} ORDER BY name`,
    'computed by SQLite': (name) => `SELECT upper(name) AS "${name}", location ${FROM} ORDER BY name`,
    'grouped (the aggregate path)': (name) => `SELECT location AS "${name}", count(*) AS n ${FROM} GROUP BY location ORDER BY location`,
  };
  for (const [path, sql] of Object.entries(cases)) {
    for (const name of NAMES) {
      it(`${name}: ${path}`, async () => {
        const plain = await suite.engine.query(sql('label'));
        const named = await suite.engine.query(sql(name));
        expect(named.columns[0]).toBe(name);
        expect(ownValues(named.rows, name)).toEqual(plain.rows.map((row) => row.label));
        expect(named.rows.every((row) => Object.getPrototypeOf(row) === Object.prototype)).toBe(true);
      });
    }
  }

  it('is written out by every output format', async () => {
    const result = await suite.engine.query(`SELECT name AS "__proto__" ${FROM} ORDER BY name LIMIT 1`);
    const name = String(ownValues(result.rows, '__proto__')[0]);
    for (const format of ['json', 'jsonl', 'csv', 'table'] as const) {
      expect(formatResult(result, format, { terminal: false }), format).toContain(name);
    }
  });
});

describe('a field of a spec named like a member of Object.prototype', () => {
  const ODD = ['constructor', 'toString', '__proto__', 'valueOf'];
  let server: MockServer;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'skyql-odd-'));
    mkdirSync(join(root, 'odd'));
    writeFileSync(join(root, 'odd', 'provider.yaml'), 'name: odd\nservices:\n  things:\n    file: things.yaml\n');
    const fields = ['name', ...ODD].map((name) => `            - { name: '${name}', type: ${name === 'name' ? 'string' : 'object'} }`).join('\n');
    writeFileSync(
      join(root, 'odd', 'things.yaml'),
      `name: things\nprovider: odd\nserver:\n  url: https://odd.example.com\naudience: https://odd.example.com/.default\nresources:\n  things:\n    methods:\n      list:\n        operationId: Things_List\n        sqlVerb: select\n        httpMethod: GET\n        path: /groups/{groupName}/things\n        params:\n          - { name: groupName, in: path, required: true, type: string }\n        response:\n          statusCodes: [200]\n          itemsPath: value\n          fields:\n${fields}\n`,
    );
    // JSON text, so that "__proto__" is a key of the item (JSON.parse makes it an own property).
    const body = `{"value":[{"name":"bare"},{"name":"full","constructor":{"a":1},"toString":[2],"__proto__":{"b":3},"valueOf":{}}]}`;
    server = await startMockServer([http.get('*/groups/g/things', () => new HttpResponse(body, { headers: { 'content-type': 'application/json' } }))]);
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const engine = () => createEngine({ registryRoots: [BUNDLED_REGISTRY, root], endpoints: { odd: server.origin }, credential: fakeCredential() });
  // JSON.parse, so that "__proto__" is an own key here too (a literal would set the prototype).
  const expected = JSON.parse(
    '[{"name":"bare","constructor":null,"toString":null,"__proto__":null,"valueOf":null},' +
      '{"name":"full","constructor":"{\\"a\\":1}","toString":"[2]","__proto__":"{\\"b\\":3}","valueOf":"{}"}]',
  ) as Record<string, unknown>[];
  const own = (rows: readonly object[]) => rows.map((row) => Object.fromEntries(['name', ...ODD].map((name) => [name, ownValues([row], name)[0]])));

  for (const [path, order] of [
    ['read straight from the pages', ''],
    ['through SQLite', ' ORDER BY name'],
  ] as const) {
    it(`is null where the item lacks it and its JSON where it has it: ${path}`, async () => {
      const skyql = engine();
      try {
        const { rows } = await skyql.query(
          `SELECT name, "constructor", "toString", "__proto__", "valueOf" FROM odd.things.things WHERE groupName = 'g'${order}`,
        );
        expect(own(rows)).toEqual(own(expected));
      } finally {
        await skyql.close();
      }
    });
  }
});

describe('two result columns of one name (`SELECT f.name, p.name`)', () => {
  const JOIN = `FROM azure.data_factory.factories f
    JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = split_part(f.id, '/', 5)
    WHERE f.subscriptionId = '${FLEET_SUBSCRIPTION}' AND p.subscriptionId = '${FLEET_SUBSCRIPTION}'`;
  const values = (rows: readonly Record<string, unknown>[], columns: readonly string[]) => rows.map((row) => columns.map((column) => row[column]));

  it('keep both values: the later column is named as SQLite names it (name:1), in every path', async () => {
    const cases = [
      // SQLite runs a join.
      [`SELECT f.name, p.name ${JOIN} ORDER BY 1, 2`, `SELECT f.name AS a, p.name AS b ${JOIN} ORDER BY 1, 2`],
      // Read straight from the pages.
      [`SELECT name, location AS name ${FROM}`, `SELECT name AS a, location AS b ${FROM}`],
      // The aggregate path; names compared ignoring case, as SQLite compares them.
      [
        `SELECT location AS n, count(*) AS N ${FROM} GROUP BY location ORDER BY location`,
        `SELECT location AS a, count(*) AS b ${FROM} GROUP BY location ORDER BY location`,
      ],
    ];
    for (const [twice, distinct] of cases) {
      const named = await suite.engine.query(twice);
      const plain = await suite.engine.query(distinct);
      expect(named.columns.map((column) => column.toLowerCase())).toEqual([named.columns[0].toLowerCase(), `${named.columns[0].toLowerCase()}:1`]);
      expect(values(named.rows, named.columns), twice).toEqual(values(plain.rows, plain.columns));
      expect(new Set(values(plain.rows, plain.columns).map(([a, b]) => a === b)).has(false), 'the two columns differ somewhere').toBe(true);
    }
  });

  it('the table and CSV show each column its own value', async () => {
    const result = await suite.engine.query(`SELECT f.name, p.name ${JOIN} ORDER BY 1, 2 LIMIT 1`);
    const [[factory, pipeline]] = values(result.rows, result.columns) as string[][];
    expect(factory).not.toBe(pipeline);
    expect(formatResult(result, 'csv', {}).split(/\r?\n/)[1]).toBe(`${factory},${pipeline}`);
    expect(formatResult(result, 'table', {})).toMatch(new RegExp(`${factory}\\s*\\|\\s*${pipeline}`));
  });
});
