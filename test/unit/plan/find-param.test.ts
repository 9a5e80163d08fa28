import { describe, expect, it } from 'vitest';
import { findParam } from '../../../src/plan/params.ts';
import type { MethodSpec, ParamSpec } from '../../../src/registry/types.ts';

const param = (name: string, aliases?: string[]): ParamSpec => ({ name, in: 'path', required: true, type: 'string', ...(aliases && { aliases }) });
const method = (params: ParamSpec[]) => ({ params }) as unknown as MethodSpec;

describe('findParam', () => {
  const factoryName = param('factoryName', ['factory_name']);
  const apiVersion = param('api-version');
  const spec = method([param('subscriptionId'), factoryName, apiVersion]);

  it('finds a param by its name as written, ignoring case, or by an alias ignoring case', () => {
    expect(findParam(spec, 'factoryName')).toBe(factoryName);
    expect(findParam(spec, 'FACTORYNAME')).toBe(factoryName);
    expect(findParam(spec, 'Factory_Name')).toBe(factoryName);
    expect(findParam(spec, 'API-VERSION')).toBe(apiVersion);
  });

  it('finds no param for a name that only shares a prefix or differs in length', () => {
    for (const name of ['factory', 'factoryNames', 'factory_nam', 'subscription', '']) expect(findParam(spec, name), name).toBeUndefined();
  });

  it('matches names whose lower case has another length as toLowerCase compares them', () => {
    // 'İ' lower-cases to two code units: a length check alone would miss the match.
    const dotted = param('İd');
    expect(findParam(method([dotted]), 'i̇d')).toBe(dotted);
    expect(findParam(method([dotted]), 'İD')).toBe(dotted);
    expect(findParam(method([dotted]), 'id')).toBeUndefined();
  });
});
