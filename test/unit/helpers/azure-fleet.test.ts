import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allFactories,
  allRuns,
  defaultFleet,
  factoriesIn,
  fleetHandlers,
  FLEET_SUBSCRIPTION,
  type Fleet,
  type PipelineRun,
} from '../../helpers/azure-fleet.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const V = 'api-version=2018-06-01';
const SUB = `/subscriptions/${FLEET_SUBSCRIPTION}`;
const FACTORY = (rg: string, name: string) => `${SUB}/resourceGroups/${rg}/providers/Microsoft.DataFactory/factories/${name}`;
const WINDOW = { lastUpdatedAfter: '2026-11-19T00:00:00Z', lastUpdatedBefore: '2026-11-23T00:00:00Z' };

let fleet: Fleet;
let server: MockServer;
beforeAll(async () => {
  fleet = defaultFleet();
  server = await startMockServer(fleetHandlers(fleet));
});
afterAll(() => server.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await request(path.startsWith('http') ? path : `${server.origin}${path}`, {
    method: method as 'GET',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text === '' ? undefined : JSON.parse(text) };
}

/** Follows nextLinks, checking each stays on the server's origin. */
async function listAll(path: string): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let next: string | undefined = `${server.origin}${path}`;
  let pages = 0;
  while (next) {
    expect(new URL(next).origin).toBe(server.origin);
    const page = await call('GET', next);
    expect(page.status).toBe(200);
    items.push(...page.body.value);
    next = page.body.nextLink;
    pages++;
  }
  return { items, pages };
}

async function queryAll(path: string, filter: Record<string, unknown>): Promise<{ runs: PipelineRun[]; pages: number }> {
  const runs: PipelineRun[] = [];
  let continuationToken: string | undefined;
  let pages = 0;
  do {
    const page = await call('POST', `${path}/queryPipelineRuns?${V}`, { ...filter, continuationToken });
    expect(page.status).toBe(200);
    runs.push(...page.body.value);
    continuationToken = page.body.continuationToken;
    pages++;
  } while (continuationToken);
  return { runs, pages };
}

describe('the default fleet', () => {
  it('is deterministic', () => {
    expect(defaultFleet()).toEqual(defaultFleet());
    expect(allRuns(defaultFleet({ runsPerFactory: 5 }))).toHaveLength(5 * allFactories(fleet).length);
  });
});

describe('fleetHandlers', () => {
  it('pages factories with nextLink, each exactly once, on the same origin', async () => {
    const { items, pages } = await listAll(`${SUB}/providers/Microsoft.DataFactory/factories?${V}`);
    expect(items.map((f) => f.id)).toEqual(allFactories(fleet).map((f) => f.factory.id));
    expect(new Set(items.map((f) => f.id)).size).toBe(items.length);
    expect(pages).toBe(Math.ceil(items.length / fleet.pageSize));
    const byGroup = await listAll(`${SUB}/resourcegroups/RG-A/providers/microsoft.datafactory/factories?${V}`);
    expect(byGroup.items.map((f) => f.name)).toEqual(factoriesIn(fleet, 'rg-a').map((f) => f.name));
    expect(server.requests.some((r) => r.path.includes('$skiptoken=') && r.path.includes(V))).toBe(true);
  });

  it('answers CloudErrors for a wrong api-version, unknown groups and factories', async () => {
    const wrong = await call('GET', `${SUB}/providers/Microsoft.DataFactory/factories?api-version=2017-09-01-preview`);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'InvalidApiVersionParameter']);
    expect((await call('GET', `${SUB}/resourceGroups/nope/providers/Microsoft.DataFactory/factories?${V}`)).body.error.code).toBe('ResourceGroupNotFound');
    const missing = await call('GET', `${FACTORY('rg-a', 'nope')}?${V}`);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'ResourceNotFound']);
  });

  it('gets factories, pipelines and runs', async () => {
    const [entry] = allFactories(fleet);
    expect((await call('GET', `${FACTORY('rg-a', 'FACTORY-A1')}?${V}`)).body).toEqual(entry.factory);
    expect((await listAll(`${FACTORY('rg-a', 'factory-a1')}/pipelines?${V}`)).items).toEqual(entry.pipelines);
    expect((await call('GET', `${FACTORY('rg-a', 'factory-a1')}/pipelines/${entry.pipelines[1].name}?${V}`)).body).toEqual(entry.pipelines[1]);
    expect((await call('GET', `${FACTORY('rg-a', 'factory-a1')}/pipelineruns/${entry.runs[2].runId}?${V}`)).body).toEqual(entry.runs[2]);
  });

  it('queryPipelineRuns requires the lastUpdated window', async () => {
    const answer = await call('POST', `${FACTORY('rg-a', 'factory-a1')}/queryPipelineRuns?${V}`, { lastUpdatedAfter: WINDOW.lastUpdatedAfter });
    expect([answer.status, answer.body.error.code]).toEqual([400, 'InvalidRequest']);
  });

  it('queryPipelineRuns filters and pages with continuationToken, each run exactly once', async () => {
    const entry = allFactories(fleet)[1];
    const path = FACTORY('rg-a', entry.factory.name);
    const all = await queryAll(path, WINDOW);
    expect(all.runs.map((r) => r.runId).sort()).toEqual(entry.runs.map((r) => r.runId).sort());
    expect(all.pages).toBe(Math.ceil(entry.runs.length / fleet.runPageSize));
    const expected = entry.runs.filter((r) => r.status === 'Succeeded' || r.status === 'Failed');
    const filtered = await queryAll(path, { ...WINDOW, filters: [{ operand: 'Status', operator: 'In', values: ['Succeeded', 'Failed'] }] });
    expect(filtered.runs.map((r) => r.runId).sort()).toEqual(expected.map((r) => r.runId).sort());
    expect(new Set(filtered.runs.map((r) => r.runId)).size).toBe(filtered.runs.length);
    const notFailed = await queryAll(path, { ...WINDOW, filters: [{ operand: 'Status', operator: 'NotEquals', values: ['Failed'] }] });
    expect(notFailed.runs.every((r) => r.status !== 'Failed')).toBe(true);
    const narrow = await queryAll(path, { lastUpdatedAfter: '2026-11-21T00:00:00Z', lastUpdatedBefore: '2026-11-21T23:59:59Z' });
    expect(narrow.runs.length).toBe(entry.runs.filter((r) => r.lastUpdated.startsWith('2026-11-21')).length);
  });

  it('createRun appends an InProgress run with a new id', async () => {
    const before = allRuns(fleet).length;
    const first = await call('POST', `${FACTORY('rg-b', 'factory-b1')}/pipelines/ingest-orders/createRun?${V}`, { batchSize: 5 });
    const second = await call('POST', `${FACTORY('rg-b', 'factory-b1')}/pipelines/ingest-orders/createRun?${V}`);
    expect(first.body.runId).not.toBe(second.body.runId);
    expect(allRuns(fleet).length).toBe(before + 2);
    const run = (await call('GET', `${FACTORY('rg-b', 'factory-b1')}/pipelineruns/${first.body.runId}?${V}`)).body;
    expect(run).toMatchObject({
      status: 'InProgress',
      pipelineName: 'ingest-orders',
      parameters: { batchSize: '5' },
      lastUpdated: '2026-11-22T12:00:00.0000000Z',
    });
  });

  it('PUT creates, PATCH merges tags, DELETE removes', async () => {
    const path = `${FACTORY('rg-c', 'factory-new')}?${V}`;
    const created = await call('PUT', path, { location: 'North Europe', tags: { a: '1' }, identity: { type: 'SystemAssigned' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'factory-new', location: 'North Europe', tags: { a: '1' }, properties: { provisioningState: 'Succeeded' } });
    expect(created.body.identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(factoriesIn(fleet, 'rg-c').map((f) => f.name)).toContain('factory-new');
    const patched = await call('PATCH', path, { tags: { b: '2' } });
    expect(patched.body.tags).toEqual({ a: '1', b: '2' });
    expect(patched.body.eTag).not.toBe(created.body.eTag);
    expect((await call('DELETE', path)).status).toBe(200);
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(404);
  });

  it('left no request unhandled', () => {
    expect(server.unhandled).toEqual([]);
  });
});
