// A pulled StackQL Azure provider runs with the engine's guarantees: complete paging, StackQL's
// flattened rows, INSERT with AWAIT on a long-running operation, retries, values checked before
// sending, against a mock ARM (the made-up provider of test/fixtures/stackql-registry).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.ts';
import { fakeCredential, tokenFor } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const REGISTRY = fileURLToPath(new URL('../fixtures/stackql-registry/', import.meta.url));
const WIDGETS = '/subscriptions/s/resourceGroups/rg/providers/Acme.Widgets/widgets';
const widget = (name: string, color: string) => ({ id: `${WIDGETS}/${name}`, name, properties: { color, sizeInCm: 3 } });

let server: MockServer;
let engine: Engine;
let polls = 0;
beforeAll(async () => {
  server = await startMockServer([
    http.get(`*${WIDGETS}`, ({ request }) => {
      const page = new URL(request.url).searchParams.get('page');
      return page === '2'
        ? HttpResponse.json({ value: [{ id: `${WIDGETS}/c`, name: 'c', color: 'top-level' }] })
        : HttpResponse.json({
            value: [
              { id: `${WIDGETS}/a`, name: 'a' },
              { id: `${WIDGETS}/b`, name: 'b' },
            ],
            nextLink: `${new URL(request.url).origin}${WIDGETS}?api-version=2024-01-01&page=2`,
          });
    }),
    http.get(`*${WIDGETS}/w1`, () => HttpResponse.json(widget('w1', 'blue'))),
    http.get(`*${WIDGETS}/w2`, () => HttpResponse.json(widget('w2', 'green'))),
    http.put(
      `*${WIDGETS}/w2`,
      ({ request }) =>
        new HttpResponse(null, { status: 201, headers: { 'azure-asyncoperation': `${new URL(request.url).origin}/operations/w2`, 'retry-after': '0' } }),
    ),
    http.get('*/operations/w2', () => HttpResponse.json({ status: ++polls < 2 ? 'InProgress' : 'Succeeded' })),
  ]);
  const root = mkdtempSync(join(tmpdir(), 'skyql-stackql-azure-'));
  engine = createEngine({
    userRegistry: join(root, 'providers'),
    cacheDir: join(root, 'cache'),
    registry: { url: pathToFileURL(REGISTRY).href },
    credential: fakeCredential(),
    endpoints: { acme: server.origin },
    lroPollMs: 1,
    pacing: false,
  });
  await engine.query('REGISTRY PULL acme');
});
afterAll(async () => {
  await engine.close();
  await server.close();
});
beforeEach(() => server.reset());

describe('a pulled Azure service', () => {
  it('reads every page of a list, with the ARM token', async () => {
    const result = await engine.query("SELECT name FROM acme.widgets.widgets WHERE subscriptionId = 's' AND resource_group_name = 'rg'");
    expect(result.rows.map((row) => row.name)).toEqual(['a', 'b', 'c']);
    expect(server.requests.map((request) => request.path)).toEqual([`${WIDGETS}?api-version=2024-01-01`, `${WIDGETS}?api-version=2024-01-01&page=2`]);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${tokenFor('https://management.azure.com/.default')}`);
  });

  it("rows are StackQL's flattened rows, properties kept", async () => {
    const result = await engine.query(
      "SELECT name, color, sizeInCm, json_extract(properties, '$.color') AS inner_color FROM acme.widgets.widgets WHERE subscription_id = 's' AND resource_group_name = 'rg' AND widget_name = 'w1'",
    );
    expect(result.rows).toEqual([{ name: 'w1', color: 'blue', sizeInCm: 3, inner_color: 'blue' }]);
  });

  it('INSERT … with AWAIT follows the long-running operation to its end', async () => {
    const result = await engine.query(
      "/*+ AWAIT */ INSERT INTO acme.widgets.widgets (subscriptionId, resourceGroupName, widgetName, data__location, data__tags) SELECT 's', 'rg', 'w2', 'eastus', '{\"env\":\"dev\"}' RETURNING name, color",
    );
    // The PUT's response has no transform in the document: its rows are not flattened, as in StackQL.
    expect(result.rows).toEqual([{ name: 'w2', color: null }]);
    expect(result.pending ?? []).toEqual([]);
    expect(server.requests[0]).toMatchObject({ method: 'PUT', path: `${WIDGETS}/w2?api-version=2024-01-01` });
    expect(JSON.parse(server.requests[0].body)).toEqual({ location: 'eastus', tags: { env: 'dev' } });
    expect(server.requests.slice(1).map((request) => request.path)).toEqual(['/operations/w2', '/operations/w2', `${WIDGETS}/w2?api-version=2024-01-01`]);
  });

  it('values are checked before anything is sent', async () => {
    await expect(
      engine.query("SELECT name FROM acme.widgets.widgets WHERE subscription_id = 's' AND resource_group_name = 'rg' AND widget_name = 'Not Valid'"),
    ).rejects.toMatchObject({ code: 'PLAN_INVALID_VALUE' });
    await expect(
      engine.query("INSERT INTO acme.widgets.widgets (subscription_id, resource_group_name, widget_name) SELECT 's', 'rg', 'w3'"),
    ).rejects.toMatchObject({ code: 'PLAN_MISSING_PARAM' });
    expect(server.requests).toEqual([]);
  });
});
