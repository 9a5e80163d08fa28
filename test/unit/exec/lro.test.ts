// ARM long-running operations: AWAIT polls Azure-AsyncOperation or Location (honouring
// Retry-After), reads a PUT's resource back, surfaces failures; without AWAIT the statement
// returns at once with the status URL.

import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type EngineError, type EngineOptions } from '../../../src/index.ts';
import { pollDelayMs } from '../../../src/exec/lro.ts';
import type { Clock } from '../../../src/exec/rate-limit.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      now += ms;
    },
  };
}

/** An operation that answers `states` one poll after another. */
function operation(states: readonly string[], extra: Record<string, unknown> = {}) {
  let poll = 0;
  return http.get('*/operations/op1', () =>
    HttpResponse.json({ status: states[Math.min(poll++, states.length - 1)], ...extra }, { headers: { 'retry-after': '3' } }),
  );
}

async function setup(handlers: Parameters<typeof startMockServer>[0], options: EngineOptions = {}) {
  const server = await startMockServer(handlers);
  servers.push(server);
  const clock = fakeClock();
  const progress: string[] = [];
  const engine = createEngine({
    credential: fakeCredential(),
    endpoints: { azure: server.origin },
    clock,
    lroPollMs: 1000,
    onProgress: (message) => progress.push(message),
    ...options,
  });
  return { server, clock, progress, engine };
}

const PUT_RG =
  "/*+ AWAIT */ INSERT INTO azure.resources.resource_groups (subscriptionId, resourceGroupName, location) VALUES ('s', 'rg1', 'westeurope') RETURNING name, properties";

describe('AWAIT with Azure-AsyncOperation', () => {
  it('polls until Succeeded, honouring Retry-After, then reads the resource back', async () => {
    const { server, clock, progress, engine } = await setup([
      http.put('*/subscriptions/s/resourcegroups/rg1', ({ request }) =>
        HttpResponse.json(
          { name: 'rg1', properties: { provisioningState: 'Accepted' } },
          {
            status: 201,
            headers: { 'azure-asyncoperation': `${new URL(request.url).origin}/operations/op1`, 'retry-after': '2' },
          },
        ),
      ),
      operation(['InProgress', 'InProgress', 'Succeeded']),
      http.get('*/subscriptions/s/resourcegroups/rg1', () => HttpResponse.json({ name: 'rg1', properties: { provisioningState: 'Succeeded' } })),
    ]);
    const result = await engine.query(PUT_RG);
    expect(result.rows).toEqual([{ name: 'rg1', properties: '{"provisioningState":"Succeeded"}' }]);
    expect(server.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual([
      'PUT /subscriptions/s/resourcegroups/rg1',
      'GET /operations/op1',
      'GET /operations/op1',
      'GET /operations/op1',
      'GET /subscriptions/s/resourcegroups/rg1',
    ]);
    expect(clock.slept).toEqual([2000, 3000, 3000]);
    expect(progress.at(-1)).toMatch(/resource_groups\.create_or_update: succeeded after 8 s/);
    expect(server.requests.every((request) => request.headers.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it("a Failed operation is LRO_FAILED with Azure's code and message", async () => {
    const { engine } = await setup([
      http.put(
        '*/subscriptions/s/resourcegroups/rg1',
        ({ request }) => new HttpResponse(null, { status: 201, headers: { 'azure-asyncoperation': `${new URL(request.url).origin}/operations/op1` } }),
      ),
      operation(['InProgress', 'Failed'], { error: { code: 'QuotaExceeded', message: 'too many resource groups' } }),
    ]);
    const error = (await engine.query(PUT_RG).catch((caught: unknown) => caught)) as EngineError;
    expect(error.code).toBe('LRO_FAILED');
    expect(error.message).toMatch(/ended Failed QuotaExceeded: too many resource groups/);
  });

  it('refuses to poll a status URL on another origin', async () => {
    const { server, engine } = await setup([
      http.put(
        '*/subscriptions/s/resourcegroups/rg1',
        () => new HttpResponse(null, { status: 201, headers: { 'azure-asyncoperation': 'https://elsewhere.example.net/operations/op1' } }),
      ),
    ]);
    const error = (await engine.query(PUT_RG).catch((caught: unknown) => caught)) as EngineError;
    expect(error.code).toBe('HTTP_UNTRUSTED_NEXT_LINK');
    expect(server.requests).toHaveLength(1);
  });

  it('stopping the wait says the operation continues in Azure', async () => {
    const controller = new AbortController();
    const { engine } = await setup([
      http.put(
        '*/subscriptions/s/resourcegroups/rg1',
        ({ request }) => new HttpResponse(null, { status: 201, headers: { 'azure-asyncoperation': `${new URL(request.url).origin}/operations/op1` } }),
      ),
      http.get('*/operations/op1', () => {
        controller.abort();
        return HttpResponse.json({ status: 'InProgress' });
      }),
    ]);
    const error = (await engine.query(PUT_RG, { signal: controller.signal }).catch((caught: unknown) => caught)) as EngineError;
    expect(error.code).toBe('LRO_STOPPED');
    expect(error.hint).toMatch(/operations\/op1/);
  });
});

describe('AWAIT with Location', () => {
  it('polls while the Location answers 202, then is done', async () => {
    let polls = 0;
    const { server, engine } = await setup([
      http.delete(
        '*/subscriptions/s/resourcegroups/rg1',
        ({ request }) => new HttpResponse(null, { status: 202, headers: { location: `${new URL(request.url).origin}/operations/op1` } }),
      ),
      http.get('*/operations/op1', () => new HttpResponse(null, { status: ++polls < 3 ? 202 : 200 })),
    ]);
    await engine.query("/*+ AWAIT */ DELETE FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND resourceGroupName = 'rg1'");
    expect(server.requests.map((request) => request.method)).toEqual(['DELETE', 'GET', 'GET', 'GET']);
  });
});

describe('without AWAIT', () => {
  it("returns at once with the operation's status URL", async () => {
    const { server, engine } = await setup([
      http.delete(
        '*/subscriptions/s/resourcegroups/rg1',
        ({ request }) => new HttpResponse(null, { status: 202, headers: { location: `${new URL(request.url).origin}/operations/op1` } }),
      ),
    ]);
    const result = await engine.query("DELETE FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND resourceGroupName = 'rg1'");
    expect(result.pending).toEqual([{ operation: 'azure.resources.resource_groups.delete', statusUrl: `${server.origin}/operations/op1` }]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the wait between polls', () => {
  it('is what Azure asked for, else lroPollMs, between min(lroPollMs, 1 s) and 60 s', () => {
    expect(pollDelayMs(undefined, 2000)).toBe(2000);
    expect(pollDelayMs(5000, 2000)).toBe(5000);
    expect(pollDelayMs(0, 2000)).toBe(1000);
    expect(pollDelayMs(0, 10)).toBe(10);
    expect(pollDelayMs(99_999_999_999_000, 2000)).toBe(60_000);
    expect(pollDelayMs(Infinity, 2000)).toBe(60_000);
    expect(pollDelayMs(undefined, 120_000)).toBe(60_000);
  });

  it('garbage, negative and huge Retry-After values never make the loop spin or stall', async () => {
    const answers = ['-5', 'abc', '99999999999', '-1', 'Thu, 01 Jan 1970 00:00:00 GMT', 'Succeeded'];
    let poll = 0;
    const { clock, engine } = await setup(
      [
        http.delete(
          '*/subscriptions/s/resourcegroups/rg1',
          ({ request }) =>
            new HttpResponse(null, {
              status: 202,
              headers: { 'azure-asyncoperation': `${new URL(request.url).origin}/operations/op1`, 'retry-after': '-5' },
            }),
        ),
        http.get('*/operations/op1', () => {
          const answer = answers[poll++];
          return answer === 'Succeeded'
            ? HttpResponse.json({ status: 'Succeeded' })
            : HttpResponse.json({ status: 'InProgress' }, { headers: { 'retry-after': answer } });
        }),
      ],
      { lroPollMs: 2000 },
    );
    await engine.query("/*+ AWAIT */ DELETE FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND resourceGroupName = 'rg1'");
    expect(clock.slept).toEqual([2000, 2000, 2000, 60_000, 2000, 1000]);
  });
});
