import { describe, expect, it } from 'vitest';
import { lintService } from '../../../src/generator/lint.ts';
import type { MethodSpec, ParamSpec, ServiceSpec } from '../../../src/registry/types.ts';

const subscriptionId: ParamSpec = { name: 'subscriptionId', in: 'path', required: true, type: 'string' };
const apiVersion: ParamSpec = { name: 'api-version', in: 'query', required: false, type: 'string', default: '1' };

function method(name: string, extra: Partial<MethodSpec> = {}): MethodSpec {
  return {
    name,
    operationId: `Things_${name}`,
    sqlVerb: 'select',
    httpMethod: 'GET',
    path: '/subscriptions/{subscriptionId}/things',
    params: [subscriptionId, apiVersion],
    response: { statusCodes: [200], fields: [{ name: 'id', type: 'string' }] },
    ...extra,
  };
}

function serviceWith(...methods: MethodSpec[]): ServiceSpec {
  return {
    name: 'svc',
    provider: 'p',
    id: 'p.svc',
    server: { url: 'https://example.com' },
    audience: 'https://example.com/.default',
    resources: {
      things: { name: 'things', id: 'p.svc.things', methods: Object.fromEntries(methods.map((entry) => [entry.name, entry])) },
    },
  };
}

describe('lintService', () => {
  it('accepts a clean service', () => {
    expect(lintService(serviceWith(method('list')))).toEqual([]);
  });

  it('rejects two methods of one verb with the same required params (api-version aside)', () => {
    const problems = lintService(serviceWith(method('list'), method('list_all', { params: [subscriptionId] })));
    expect(problems).toEqual([expect.stringContaining('p.svc.things: select methods list and list_all have the same required params')]);
  });

  it('lets exec methods share required params: EXEC names its method', () => {
    const exec = { sqlVerb: 'exec' as const, httpMethod: 'POST' as const };
    expect(lintService(serviceWith(method('start', exec), method('stop', exec)))).toEqual([]);
  });

  it('rejects a select method without fields', () => {
    const problems = lintService(serviceWith(method('list', { response: { statusCodes: [200], fields: [] } })));
    expect(problems).toEqual(['p.svc.things.list: select method has no response fields']);
  });

  it('rejects a path placeholder without a path param', () => {
    const problems = lintService(serviceWith(method('get', { path: '/subscriptions/{subscriptionId}/things/{thingName}' })));
    expect(problems).toEqual(['p.svc.things.get: path placeholder {thingName} has no path param']);
  });
});
