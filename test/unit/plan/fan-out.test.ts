import { describe, expect, it } from 'vitest';
import { distinctValues, fanOut, mergeByParam } from '../../../src/plan/fan-out.ts';
import { paramsFromId } from '../../../src/plan/id-params.ts';
import type { Literal, SourceCondition } from '../../../src/sql/ast.ts';
import { errorOf } from '../../helpers/errors.ts';

const lit = (value: string | number): Literal => ({ kind: 'literal', value, quoted: typeof value === 'string' });
const cond = (column: string, ...values: (string | number)[]): SourceCondition => ({ sources: [0], column, values: values.map(lit) });

describe('fan-out', () => {
  it('one request per distinct value, compared after templates are filled in', () => {
    expect(distinctValues([lit('rg1'), lit('rg1'), lit('rg2')], {}).map((l) => l.value)).toEqual(['rg1', 'rg2']);
    expect(distinctValues([lit('{{a}}'), lit('{{b}}')], { a: 'x', b: 'x' })).toHaveLength(1);
    expect(fanOut([cond('a', 1, 2, 2), cond('b', 'x', 'y')], 'op', {})).toHaveLength(4);
  });

  it('counts the requests before building them', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `v${i}`);
    expect(errorOf(() => fanOut([cond('a', ...many.slice(0, 999)), cond('b', ...many)], 'op', {})).code).toBe('PLAN_FAN_OUT_LIMIT');
  });

  it('merges conditions on one param into the values they all allow', () => {
    const merged = mergeByParam([cond('rg', 'a', 'b'), cond('x', 1), cond('RG', 'b', 'c')], (column) => column.toLowerCase(), {});
    expect(merged.map((condition) => [condition.column, condition.values.map((l) => l.value)])).toEqual([
      ['rg', ['b']],
      ['x', [1]],
    ]);
    expect(mergeByParam([cond('rg', 'a'), cond('rg', 'b')], (column) => column, {})[0].values).toEqual([]);
  });
});

describe('paramsFromId', () => {
  const segments = [
    { text: 'subscriptions' },
    { param: 'subscriptionId' },
    { text: 'resourcegroups' },
    { param: 'resourceGroupName' },
    { text: 'providers' },
    { text: 'microsoft.datafactory' },
    { text: 'factories' },
    { param: 'factoryName' },
  ];

  it("reads the params of an id in the get path's shape, ignoring the case of literal segments", () => {
    expect(paramsFromId('/subscriptions/s/resourcegroups/rg%20b/providers/Microsoft.DataFactory/factories/f', segments)).toEqual({
      subscriptionId: 's',
      resourceGroupName: 'rg b',
      factoryName: 'f',
    });
  });

  it('gives nothing for an id of another shape, or no id', () => {
    expect(paramsFromId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Other/things/f', segments)).toBeUndefined();
    expect(paramsFromId('/subscriptions/s/resourceGroups/rg', segments)).toBeUndefined();
    expect(paramsFromId(undefined, segments)).toBeUndefined();
  });
});
