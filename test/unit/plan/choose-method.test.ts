import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { Registry } from '../../../src/registry/load.ts';
import { resolveResource, type ResolvedResource } from '../../../src/registry/resolve.ts';
import { chooseMethod } from '../../../src/plan/choose-method.ts';
import type { SqlVerb } from '../../../src/registry/types.ts';
import { errorOf } from '../../helpers/errors.ts';

const SERVICE = `
name: shop
provider: test
server: { url: https://shop.example.com }
audience: https://shop.example.com/.default
resources:
  items:
    methods:
      list_all:
        operationId: Items_ListAll
        sqlVerb: select
        httpMethod: GET
        path: /items
        params:
          - { name: api-version, in: query, required: true, type: string, default: '1' }
        response: { statusCodes: [200], itemsPath: value, fields: [{ name: name, type: string }] }
      list:
        operationId: Items_List
        sqlVerb: select
        httpMethod: GET
        path: /stores/{storeId}/items
        params:
          - { name: storeId, in: path, required: true, type: string, aliases: [store_id] }
          - { name: top, in: query, required: false, type: integer }
        response: { statusCodes: [200], itemsPath: value, fields: [{ name: name, type: string }] }
      get:
        operationId: Items_Get
        sqlVerb: select
        httpMethod: GET
        path: /stores/{storeId}/items/{itemName}
        params:
          - { name: storeId, in: path, required: true, type: string, aliases: [store_id] }
          - { name: itemName, in: path, required: true, type: string }
        response: { statusCodes: [200], fields: [{ name: name, type: string }] }
      create:
        operationId: Items_Create
        sqlVerb: insert
        httpMethod: PUT
        path: /stores/{storeId}/items/{itemName}
        params:
          - { name: storeId, in: path, required: true, type: string }
          - { name: itemName, in: path, required: true, type: string }
          - { name: price, in: body, required: false, type: number }
        response: { statusCodes: [200], fields: [] }
      restock:
        operationId: Items_Restock
        sqlVerb: exec
        httpMethod: POST
        path: /stores/{storeId}/items/{itemName}/restock
        params:
          - { name: storeId, in: path, required: true, type: string }
          - { name: itemName, in: path, required: true, type: string }
        response: { statusCodes: [200], fields: [] }
  keys:
    methods:
      get:
        operationId: Keys_Get
        sqlVerb: select
        httpMethod: GET
        path: /keys/{keyName}
        params:
          - { name: keyName, in: path, required: true, type: string }
        response: { statusCodes: [200], fields: [{ name: name, type: string }] }
      get_secret:
        operationId: Keys_GetSecret
        sqlVerb: select
        httpMethod: POST
        path: /keys/{keyName}/secret
        params:
          - { name: keyName, in: path, required: true, type: string }
          - { name: accessCode, in: body, required: true, type: string }
        response: { statusCodes: [200], fields: [{ name: secretValue, type: string }] }
  orders:
    methods:
      by_store:
        operationId: Orders_ByStore
        sqlVerb: insert
        httpMethod: POST
        path: /stores/{storeId}/orders
        params:
          - { name: storeId, in: path, required: true, type: string }
        response: { statusCodes: [200], fields: [] }
      by_customer:
        operationId: Orders_ByCustomer
        sqlVerb: insert
        httpMethod: POST
        path: /customers/{customerId}/orders
        params:
          - { name: customerId, in: path, required: true, type: string }
        response: { statusCodes: [200], fields: [] }
`;

const PROVIDER = 'name: test\nservices:\n  shop:\n    file: shop.yaml\n';

let root: string;
let registry: Registry;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'skyql-choose-'));
  mkdirSync(join(root, 'test'));
  writeFileSync(join(root, 'test', 'provider.yaml'), PROVIDER);
  writeFileSync(join(root, 'test', 'shop.yaml'), SERVICE);
  registry = new Registry([root]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function resource(name: string): { resolved: ResolvedResource; script: string; span: { offset: number; length: number } } {
  const script = `SELECT * FROM test.shop.${name}`;
  const span = { offset: script.indexOf('test'), length: `test.shop.${name}`.length };
  return { resolved: resolveResource(registry, { parts: ['test', 'shop', name], span }, script), script, span };
}

function choose(name: string, verb: SqlVerb, given: string[], allowExtra = verb === 'select') {
  const { resolved, script, span } = resource(name);
  return chooseMethod(resolved, verb, given, script, span, allowExtra);
}

describe('chooseMethod', () => {
  it('picks the most specific select method whose required params are given', () => {
    expect(choose('items', 'select', ['storeId', 'itemName']).name).toBe('get');
    expect(choose('items', 'select', ['storeId']).name).toBe('list');
    expect(choose('items', 'select', ['storeId', 'top']).name).toBe('list');
  });

  it('a method whose only required params have defaults needs nothing', () => {
    expect(choose('items', 'select', []).name).toBe('list_all');
  });

  it('matches names case-insensitively and through aliases', () => {
    expect(choose('items', 'select', ['STOREID', 'itemname']).name).toBe('get');
    expect(choose('items', 'select', ['store_id']).name).toBe('list');
  });

  it('SELECT may give names that are not params (local filters)', () => {
    expect(choose('items', 'select', ['storeId', 'name']).name).toBe('list');
  });

  it('INSERT picks the method whose params cover exactly what is given', () => {
    expect(choose('orders', 'insert', ['storeId']).name).toBe('by_store');
    expect(choose('orders', 'insert', ['customerId']).name).toBe('by_customer');
  });

  it('PLAN_NO_MATCHING_METHOD lists each method and the params it needs', () => {
    const error = errorOf(() => choose('orders', 'insert', ['somethingElse']));
    expect(error.code).toBe('PLAN_NO_MATCHING_METHOD');
    expect(error.hint).toContain('by_store (storeId)');
    expect(error.hint).toContain('by_customer (customerId)');
  });

  it('PLAN_NO_MATCHING_METHOD when an INSERT gives names no method knows, with several methods', () => {
    expect(errorOf(() => choose('orders', 'insert', ['storeId', 'customerId'])).code).toBe('PLAN_NO_MATCHING_METHOD');
  });

  it('a single candidate with missing params is PLAN_MISSING_PARAM naming them', () => {
    const error = errorOf(() => choose('items', 'insert', ['storeId']));
    expect(error.code).toBe('PLAN_MISSING_PARAM');
    expect(error.details).toMatchObject({ missing: ['itemName'] });
    expect(error.message).toContain('itemName');
  });

  it('a single candidate given unknown names is still chosen (binding reports the unknown name)', () => {
    expect(choose('items', 'insert', ['storeId', 'itemName', 'colour']).name).toBe('create');
  });

  it('a verb with no method is PLAN_VERB_UNSUPPORTED pointing at the resource name', () => {
    const error = errorOf(() => choose('orders', 'select', []));
    expect(error.code).toBe('PLAN_VERB_UNSUPPORTED');
    expect(error.span).toMatchObject({ offset: 14, line: 1, column: 15 });
    expect(error.hint).toContain('INSERT');
    expect(errorOf(() => choose('items', 'delete', [])).code).toBe('PLAN_VERB_UNSUPPORTED');
  });

  it('exec methods are never chosen by SELECT or INSERT', () => {
    expect(choose('items', 'insert', ['storeId', 'itemName']).name).toBe('create');
  });
});

describe("a column of a SELECT method the statement's params do not pick", () => {
  const plan = (sql: string) => createEngine({ userRegistry: root, cacheDir: false, endpoints: { test: 'http://127.0.0.1:1' } }).plan(sql);

  it('is PLAN_MISSING_PARAM naming that method and what it needs, at the column', () => {
    const sql = "SELECT secretValue FROM test.shop.keys WHERE keyName = 'k1'";
    const error = errorOf(() => plan(sql));
    expect(error.code).toBe('PLAN_MISSING_PARAM');
    expect(error.message).toBe('secretValue is a column of test.shop.keys.get_secret, which needs "accessCode"');
    expect(error.details).toMatchObject({ missing: ['accessCode'], inBody: true });
    expect(error.span?.offset).toBe(sql.indexOf('secretValue'));
  });

  it('given what that method needs, the statement calls it', () => {
    const [planned] = plan("SELECT secretValue FROM test.shop.keys WHERE keyName = 'k1' AND accessCode = 'c'");
    expect(planned.plan.kind === 'select' && planned.plan.sources[0].operation).toBe('test.shop.keys.get_secret');
  });

  it('a column no method returns is still PLAN_UNKNOWN_COLUMN', () => {
    expect(errorOf(() => plan("SELECT nothing FROM test.shop.keys WHERE keyName = 'k1'")).code).toBe('PLAN_UNKNOWN_COLUMN');
  });
});
