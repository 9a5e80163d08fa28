import { describe, expect, it } from 'vitest';
import type { MethodSpec, ParamSpec, ServiceSpec } from '../../../src/registry/types.ts';
import { buildRequest } from '../../../src/plan/request.ts';
import type { PlanOptions } from '../../../src/plan/types.ts';
import { PlanSession } from '../../../src/plan/session.ts';
import type { ParamValue } from '../../../src/plan/values.ts';
import { errorOf } from '../../helpers/errors.ts';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const options = (extra: Partial<PlanOptions> = {}): PlanOptions => ({
  vars: {},
  endpoints: {},
  now: () => NOW,
  session: new PlanSession(),
  checker: NO_CHECKS,
  ...extra,
});
/** buildRequest prepares no local query. */
const NO_CHECKS = {
  prepare: () => ({ error: new Error('not expected') }),
  evaluate: () => {
    throw new Error('not expected');
  },
  filterRows: () => {
    throw new Error('not expected');
  },
};

const p = (name: string, location: ParamSpec['in'], extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  in: location,
  required: false,
  type: 'string',
  ...extra,
});

const ARM: ServiceSpec = {
  name: 'svc',
  provider: 'azure',
  id: 'azure.svc',
  server: { url: 'https://management.azure.com/' },
  audience: 'https://management.azure.com/.default',
  resources: {},
};

const SYNAPSE: ServiceSpec = {
  name: 'syn',
  provider: 'azure',
  id: 'azure.syn',
  server: { url: '{endpoint}', defaultScheme: 'https' },
  audience: 'https://dev.azuresynapse.net/.default',
  resources: {},
};

function method(path: string, params: ParamSpec[], extra: Partial<MethodSpec> = {}): MethodSpec {
  return {
    name: 'm',
    operationId: 'Op',
    sqlVerb: 'select',
    httpMethod: 'GET',
    path,
    params,
    response: { statusCodes: [200], fields: [] },
    ...extra,
  };
}

function build(service: ServiceSpec, spec: MethodSpec, given: Record<string, ParamValue>, opts = options(), jsonBody?: object) {
  const params = new Map<ParamSpec, ParamValue>();
  for (const [name, value] of Object.entries(given)) params.set(spec.params.find((param) => param.name === name)!, value);
  return buildRequest({ service, method: spec, operation: 'azure.svc.r.m', params, jsonBody }, opts);
}

describe('URL', () => {
  const get = method('/subscriptions/{subscriptionId}/things/{name}', [
    p('subscriptionId', 'path', { required: true }),
    p('name', 'path', { required: true }),
    p('$filter', 'query'),
    p('top', 'query', { type: 'integer' }),
    p('recursive', 'query', { type: 'boolean' }),
    p('api-version', 'query', { default: '2018-06-01' }),
  ]);

  it('fills the path, strips the server trailing slash and adds the default api-version', () => {
    expect(build(ARM, get, { subscriptionId: 's1', name: 'n' }).url).toBe('https://management.azure.com/subscriptions/s1/things/n?api-version=2018-06-01');
  });

  it('URL-encodes path values: spaces, slashes, unicode, ? and #', () => {
    const url = build(ARM, get, { subscriptionId: 'a b', name: 'x/y?z#w é' }).url;
    expect(url).toBe('https://management.azure.com/subscriptions/a%20b/things/x%2Fy%3Fz%23w%20%C3%A9?api-version=2018-06-01');
  });

  it('puts query params in the order the method declares them, encoded, booleans as true/false', () => {
    const url = build(ARM, get, { recursive: false, top: 5, $filter: "name eq 'a&b'", subscriptionId: 's', name: 'n', 'api-version': '2020-01-01' }).url;
    expect(url).toBe("https://management.azure.com/subscriptions/s/things/n?%24filter=name%20eq%20'a%26b'&top=5&recursive=false&api-version=2020-01-01");
  });

  it('an overridden api-version replaces the default', () => {
    expect(build(ARM, get, { subscriptionId: 's', name: 'n', 'api-version': '2099-01-01' }).url).toMatch(/\?api-version=2099-01-01$/);
  });

  it('no query string without query values', () => {
    const bare = method('/x/{id}', [p('id', 'path', { required: true }), p('q', 'query')]);
    expect(build(ARM, bare, { id: '1' }).url).toBe('https://management.azure.com/x/1');
  });

  it('skipUrlEncoding path values are inserted as paths, without a doubled slash', () => {
    const scoped = method('/{scope}/providers/X/things', [p('scope', 'path', { required: true, skipUrlEncoding: true })]);
    expect(build(ARM, scoped, { scope: '/subscriptions/s/resourceGroups/rg' }).url).toBe(
      'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/X/things',
    );
  });

  it('a path inserted as a path keeps its slashes only: a ? or # cannot start a query or fragment', () => {
    const scoped = method('/{scope}/providers/X/things', [p('scope', 'path', { required: true, skipUrlEncoding: true })]);
    expect(build(ARM, scoped, { scope: '/subscriptions/s/resourceGroups/rg?api-version=1#x y' }).url).toBe(
      'https://management.azure.com/subscriptions/s/resourceGroups/rg%3Fapi-version=1%23x%20y/providers/X/things',
    );
  });

  it('a defaultRelativeTime param gets now plus the duration', () => {
    const windowed = method('/runs', [p('from', 'query', { defaultRelativeTime: '-P1D' }), p('to', 'query', { defaultRelativeTime: 'PT0S' })]);
    expect(build(ARM, windowed, {}).url).toBe(
      `https://management.azure.com/runs?from=${encodeURIComponent('2024-04-30T12:00:00.000Z')}&to=${encodeURIComponent('2024-05-01T12:00:00.000Z')}`,
    );
  });
});

describe('host params and endpoints', () => {
  const run = method('/pipelines/{pipelineName}/createRun', [p('endpoint', 'host', { required: true }), p('pipelineName', 'path', { required: true })], {
    httpMethod: 'POST',
  });

  it('adds the default scheme to a host value that has none', () => {
    expect(build(SYNAPSE, run, { endpoint: 'ws.dev.azuresynapse.net', pipelineName: 'p' }).url).toBe('https://ws.dev.azuresynapse.net/pipelines/p/createRun');
  });

  it('keeps a scheme the value already has, and strips its trailing slash', () => {
    expect(build(SYNAPSE, run, { endpoint: 'https://ws.dev.azuresynapse.net/', pipelineName: 'p' }).url).toBe(
      'https://ws.dev.azuresynapse.net/pipelines/p/createRun',
    );
    const mine = options({ endpoints: { azure: 'http://127.0.0.1:8080' } });
    expect(build(SYNAPSE, run, { endpoint: 'http://127.0.0.1:8080', pipelineName: 'p' }, mine).url).toBe('http://127.0.0.1:8080/pipelines/p/createRun');
  });

  it('a host value names a host and nothing else', () => {
    for (const endpoint of [
      'ws.dev.azuresynapse.net/x',
      'ws.dev.azuresynapse.net?a=1',
      'user@ws.dev.azuresynapse.net',
      'ws.dev.azuresynapse.net@127.0.0.2',
      'https://a:b@ws.dev.azuresynapse.net',
      'ws.dev.azuresynapse.net#x',
      'ws dev',
      '',
    ]) {
      const error = errorOf(() => build(SYNAPSE, run, { endpoint, pipelineName: 'p' }));
      expect(error.code, endpoint).toBe(endpoint === '' ? 'PLAN_MISSING_PARAM' : 'PLAN_INVALID_VALUE');
    }
  });

  it('http:// to a non-loopback host is PLAN_INSECURE_URL', () => {
    expect(errorOf(() => build(SYNAPSE, run, { endpoint: 'http://ws.dev.azuresynapse.net', pipelineName: 'p' })).code).toBe('PLAN_INSECURE_URL');
  });

  it('a token goes to http:// on this machine only where the user configured that origin', () => {
    for (const host of ['http://localhost:1', 'http://127.0.0.1', 'http://127.1.2.3:99']) {
      expect(errorOf(() => build(SYNAPSE, run, { endpoint: host, pipelineName: 'p' })).code, host).toBe('AUTH_UNTRUSTED_HOST');
      expect(() => build(SYNAPSE, run, { endpoint: host, pipelineName: 'p' }, options({ endpoints: { azure: host } })), host).not.toThrow();
    }
  });

  it('a Synapse token goes only to Synapse workspace hosts', () => {
    for (const endpoint of [
      'evil.example',
      'dev.azuresynapse.net.evil.example',
      'evildev.azuresynapse.net',
      'management.azure.com',
      'ws.dev.azuresynapse.net:8443',
    ]) {
      expect(errorOf(() => build(SYNAPSE, run, { endpoint, pipelineName: 'p' })).code, endpoint).toBe('AUTH_UNTRUSTED_HOST');
    }
    for (const endpoint of ['ws.dev.azuresynapse.net', 'WS.Dev.AzureSynapse.NET', 'ws.dev.azuresynapse.azure.cn']) {
      expect(() => build(SYNAPSE, run, { endpoint, pipelineName: 'p' }), endpoint).not.toThrow();
    }
  });

  it('an ARM token goes only to ARM hosts, decided on the parsed URL', () => {
    const get = method('/x', []);
    for (const url of [
      'https://management.azure.com.evil.example',
      'https://management.azure.com@evil.example',
      'https://evil.example#@management.azure.com',
      'https://evil.example\\@management.azure.com',
    ]) {
      const service = { ...ARM, server: { url } };
      const code = errorOf(() => build(service, get, {})).code;
      expect(['AUTH_UNTRUSTED_HOST', 'PLAN_INVALID_VALUE'], url).toContain(code);
    }
    expect(build({ ...ARM, server: { url: 'https://westus.management.azure.com' } }, get, {}).url).toBe('https://westus.management.azure.com/x');
  });

  it('a path that does not start with "/" is not glued onto the host', () => {
    const service = { ...ARM, server: { url: 'https://management.azure.com' } };
    expect(build(service, method('.evil.example/x', []), {}).url).toBe('https://management.azure.com/.evil.example/x');
  });

  it('other schemes are refused', () => {
    expect(errorOf(() => build(SYNAPSE, run, { endpoint: 'ftp://ws.example.com', pipelineName: 'p' })).code).toBe('PLAN_INSECURE_URL');
  });

  it('a provider-level endpoint overrides fixed-URL servers only', () => {
    const get = method('/x', []);
    const opts = options({ endpoints: { azure: 'http://127.0.0.1:9999/' } });
    expect(build(ARM, get, {}, opts).url).toBe('http://127.0.0.1:9999/x');
    expect(build(SYNAPSE, run, { endpoint: 'ws.dev.azuresynapse.net', pipelineName: 'p' }, opts).url).toBe(
      'https://ws.dev.azuresynapse.net/pipelines/p/createRun',
    );
  });

  it('a service-level endpoint always wins, even over a host template', () => {
    const opts = options({ endpoints: { azure: 'http://127.0.0.1:1', 'azure.syn': 'http://127.0.0.1:2', 'azure.svc': 'https://other.example.com' } });
    expect(build(SYNAPSE, run, { endpoint: 'ignored', pipelineName: 'p' }, opts).url).toBe('http://127.0.0.1:2/pipelines/p/createRun');
    expect(build(ARM, method('/x', []), {}, opts).url).toBe('https://other.example.com/x');
  });

  it('an http endpoint override to a non-loopback host is PLAN_INSECURE_URL', () => {
    expect(errorOf(() => build(ARM, method('/x', []), {}, options({ endpoints: { azure: 'http://example.com' } }))).code).toBe('PLAN_INSECURE_URL');
  });
});

describe('headers and body', () => {
  it('sends accept, header params (lower-cased name) and no content-type without a body', () => {
    const get = method('/x', [p('If-Match', 'header'), p('x-ms-flag', 'header', { type: 'boolean' })]);
    const request = build(ARM, get, { 'If-Match': '*', 'x-ms-flag': true });
    expect(request.headers).toEqual({ accept: 'application/json', 'if-match': '*', 'x-ms-flag': 'true' });
    expect(request.body).toBeUndefined();
  });

  it('never puts an Authorization header in the plan', () => {
    const request = build(ARM, method('/x', []), {});
    expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('authorization');
  });

  it('a payload param is the whole body', () => {
    const run = method('/run', [p('parameters', 'payload', { type: 'object' })], { httpMethod: 'POST' });
    const request = build(ARM, run, { parameters: { a: [1] } });
    expect(request.body).toBe('{"a":[1]}');
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('no payload value means no body', () => {
    const run = method('/run', [p('parameters', 'payload', { type: 'object' })], { httpMethod: 'POST' });
    expect(build(ARM, run, {}).body).toBeUndefined();
  });

  it('body params become top-level properties, using wireName when set', () => {
    const put = method(
      '/t/{name}',
      [
        p('name', 'path', { required: true }),
        p('size', 'body', { type: 'integer' }),
        p('bodyName', 'body', { wireName: 'name' }),
        p('tags', 'body', { type: 'object' }),
      ],
      { httpMethod: 'PUT' },
    );
    const request = build(ARM, put, { name: 'n', size: 3, bodyName: 'wire', tags: { k: 'v' } });
    expect(JSON.parse(request.body!)).toEqual({ size: 3, name: 'wire', tags: { k: 'v' } });
    expect(request.url).toBe('https://management.azure.com/t/n');
  });

  it('@@json is the body, and explicit body params override its keys', () => {
    const post = method('/cancel', [p('reason', 'body'), p('isRecursive', 'body', { type: 'boolean' })], { httpMethod: 'POST' });
    expect(JSON.parse(build(ARM, post, {}, options(), { reason: 'json', extra: 1 }).body!)).toEqual({ reason: 'json', extra: 1 });
    expect(JSON.parse(build(ARM, post, { reason: 'param' }, options(), { reason: 'json', extra: 1 }).body!)).toEqual({ reason: 'param', extra: 1 });
  });

  it('@@json alone, with no body params at all, is sent', () => {
    const post = method('/cancel', [], { httpMethod: 'POST' });
    expect(build(ARM, post, {}, options(), {}).body).toBe('{}');
  });
});

describe('a body the spec declares (requestBody), as the SDK sends it', () => {
  const params = [p('sessionId', 'body'), p('timeToLive', 'body', { type: 'integer' })];

  it('a required body is at least {}: none of its params given', () => {
    const request = build(ARM, method('/createSession', params, { httpMethod: 'POST', requestBody: 'required' }), {});
    expect(request.body).toBe('{}');
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('a required body with values is just those values', () => {
    const request = build(ARM, method('/createSession', params, { httpMethod: 'POST', requestBody: 'required' }), { timeToLive: 60 });
    expect(request.body).toBe('{"timeToLive":60}');
  });

  it('a required payload body is never {} in its place (a missing required payload is PLAN_MISSING_PARAM before this)', () => {
    const run = method('/run', [p('parameters', 'payload', { type: 'object', required: true })], { httpMethod: 'POST', requestBody: 'required' });
    expect(build(ARM, run, { parameters: { a: 1 } }).body).toBe('{"a":1}');
  });

  it('an optional body given no values is no body, but still says content-type: application/json', () => {
    const run = method('/run', [p('parameters', 'payload', { type: 'object' })], { httpMethod: 'POST', requestBody: 'optional' });
    const request = build(ARM, run, {});
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  });

  it('a method that declares no body sends neither body nor content-type', () => {
    const request = build(ARM, method('/start', [], { httpMethod: 'POST' }), {});
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ accept: 'application/json' });
  });
});

describe('plan fields', () => {
  it('copies method, audience, provider, status codes, items path, pagination and long-running', () => {
    const list = method('/x', [], {
      httpMethod: 'GET',
      response: { statusCodes: [200, 202], itemsPath: 'value', fields: [] },
      pagination: { kind: 'nextLink', nextLinkName: 'nextLink' },
      longRunning: true,
    });
    expect(build(ARM, list, {})).toMatchObject({
      method: 'GET',
      provider: 'azure',
      audience: 'https://management.azure.com/.default',
      operation: 'azure.svc.r.m',
      expectedStatus: [200, 202],
      itemsPath: 'value',
      pagination: { kind: 'nextLink', nextLinkName: 'nextLink' },
      longRunning: true,
    });
    expect(build(ARM, method('/x', []), {}).longRunning).toBe(false);
  });
});
