// Rows from response bodies: the items under itemsPath (a dotted path walks nested objects), and
// StackQL's response transforms applied as data.

import { describe, expect, it } from 'vitest';
import { responseItems, toSqlValue } from '../../../src/exec/responses.ts';

describe('responseItems', () => {
  it('takes the list under itemsPath, or the body itself', () => {
    expect(responseItems({ value: [{ a: 1 }] }, { itemsPath: 'value' })).toEqual([{ a: 1 }]);
    expect(responseItems([{ a: 1 }, { a: 2 }], {})).toEqual([{ a: 1 }, { a: 2 }]);
    expect(responseItems({ a: 1 }, {})).toEqual([{ a: 1 }]);
    expect(responseItems(undefined, { itemsPath: 'value' })).toEqual([]);
  });

  it('walks a dotted path (GraphQL-shaped bodies), but a property named with a dot wins', () => {
    const body = { data: { repository: { stargazers: { edges: [{ n: 1 }] } } } };
    expect(responseItems(body, { itemsPath: 'data.repository.stargazers.edges' })).toEqual([{ n: 1 }]);
    expect(responseItems({ 'a.b': [1], a: { b: [2] } }, { itemsPath: 'a.b' })).toEqual([1]);
    expect(responseItems({ data: 'text' }, { itemsPath: 'data.nodes' })).toEqual([]);
  });

  it("hoists an object into its row; the row's own keys win and the object stays", () => {
    const item = { id: 'i', name: 'n', properties: { provisioningState: 'Succeeded', name: 'inner' } };
    expect(responseItems({ value: [item] }, { itemsPath: 'value', rowTransform: { kind: 'hoist', property: 'properties' } })).toEqual([
      { provisioningState: 'Succeeded', name: 'n', id: 'i', properties: item.properties },
    ]);
    expect(responseItems({ id: 'x' }, { rowTransform: { kind: 'hoist', property: 'properties' } })).toEqual([{ id: 'x' }]);
  });

  it('wraps each item, or the whole body, in a one-field row', () => {
    expect(responseItems(['a', 'b'], { rowTransform: { kind: 'wrap', field: 'value', each: true } })).toEqual([{ value: 'a' }, { value: 'b' }]);
    expect(responseItems({ list: [1, 2] }, { itemsPath: 'list', rowTransform: { kind: 'wrap', field: 'v', each: true } })).toEqual([{ v: 1 }, { v: 2 }]);
    expect(responseItems(['a', 'b'], { rowTransform: { kind: 'wrap', field: 'value', each: false } })).toEqual([{ value: ['a', 'b'] }]);
  });
});

describe('toSqlValue', () => {
  it('writes objects and arrays as JSON.stringify does, empty ones included', () => {
    const bodies = ['{}', '[]', '{"a":{}}', '[[]]', '{"__proto__":{}}', '{"toJSON":1}', '{"a":[1,{"b":null}],"c":"é\\u2028"}', '[null]'];
    for (const body of bodies) {
      const value = JSON.parse(body);
      expect(toSqlValue(value), body).toBe(JSON.stringify(value));
    }
    expect([toSqlValue(null), toSqlValue(undefined), toSqlValue(1), toSqlValue('x'), toSqlValue(true)]).toEqual([null, null, 1, 'x', true]);
  });
});
