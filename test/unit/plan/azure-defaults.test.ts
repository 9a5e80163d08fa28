// Everyday Azure: a default subscription (only where a statement needs one and does not give it,
// said once), resource groups in all my subscriptions (a join that once failed as a "cycle"),
// and subscriptionId IN (SELECT subscriptionId FROM …) fanning out over the subquery's values.

import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../../src/index.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const SUBSCRIPTIONS = ['sub-a', 'sub-b'];
const GROUPS: Record<string, string[]> = { 'sub-a': ['rg-1', 'rg-2'], 'sub-b': ['rg-3'] };

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer([
    http.get('*/subscriptions', () =>
      HttpResponse.json({
        value: SUBSCRIPTIONS.map((id) => ({
          id: `/subscriptions/${id}`,
          subscriptionId: id,
          displayName: id.toUpperCase(),
          state: 'Enabled',
          tags: { owner: id },
        })),
      }),
    ),
    http.get('*/subscriptions/:sub/resourcegroups', ({ params }) =>
      HttpResponse.json({
        value: (GROUPS[params.sub as string] ?? []).map((name) => ({
          id: `/subscriptions/${params.sub}/resourceGroups/${name}`,
          name,
          location: 'westeurope',
          tags: { env: 'dev' },
        })),
      }),
    ),
  ]);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function engine(options: EngineOptions = {}) {
  const notices: string[] = [];
  const made = createEngine({
    credential: fakeCredential(),
    endpoints: { azure: server.origin },
    env: {},
    onNotice: (message) => notices.push(message),
    ...options,
  });
  return { engine: made, notices };
}

const DEFAULT_SUB: EngineOptions = { paramDefaults: { subscriptionId: { value: 'sub-a', from: 'AZURE_SUBSCRIPTION_ID' } } };
const paths = () => server.requests.map((request) => request.path.replace(/\?.*/, ''));

describe('a default subscription', () => {
  it('fills subscriptionId when the statement needs it and does not give it, and says so once', async () => {
    const { engine: e, notices } = engine(DEFAULT_SUB);
    const first = await e.query('SELECT name FROM azure.resources.resource_groups ORDER BY name');
    await e.query('SELECT name FROM azure.resources.resource_groups');
    await e.close();
    expect(first.rows).toEqual([{ name: 'rg-1' }, { name: 'rg-2' }]);
    expect(paths()).toEqual(['/subscriptions/sub-a/resourcegroups', '/subscriptions/sub-a/resourcegroups']);
    expect(notices).toEqual(['subscriptionId not given: using sub-a (from AZURE_SUBSCRIPTION_ID); give subscriptionId in the statement for another']);
  });

  it('is not used when the statement gives subscriptionId (also as subscription_id), or calls a method without one', async () => {
    const { engine: e, notices } = engine(DEFAULT_SUB);
    await e.query("SELECT name FROM azure.resources.resource_groups WHERE subscription_id = 'sub-b'");
    await e.query('SELECT subscriptionId FROM azure.subscriptions.subscriptions');
    await e.close();
    expect(paths()).toEqual(['/subscriptions/sub-b/resourcegroups', '/subscriptions']);
    expect(notices).toEqual([]);
  });

  it('fills mutations and EXEC too (planned: --dry-run shows it)', () => {
    const { engine: e, notices } = engine(DEFAULT_SUB);
    const plans = e.plan(`DELETE FROM azure.data_factory.factories WHERE resourceGroupName = 'rg' AND factoryName = 'fff';
      EXEC azure.data_factory.pipeline_runs.cancel @resourceGroupName = 'rg', @factoryName = 'fff', @runId = 'r1';
      INSERT INTO azure.data_factory.factories (resourceGroupName, factoryName, location) VALUES ('rg', 'fff', 'westeurope')`);
    expect(plans.map((plan) => plan.plan.kind === 'http' && plan.plan.requests[0].url.replace(/\?.*/, ''))).toEqual([
      `${server.origin}/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.DataFactory/factories/fff`,
      `${server.origin}/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.DataFactory/factories/fff/pipelineruns/r1/cancel`,
      `${server.origin}/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.DataFactory/factories/fff`,
    ]);
    expect(notices).toHaveLength(1);
  });

  it('without one, a statement that needs subscriptionId says which params its methods need', async () => {
    const { engine: e } = engine();
    await expect(e.query('SELECT name FROM azure.resources.resource_groups')).rejects.toMatchObject({ code: 'PLAN_NO_MATCHING_METHOD' });
    await e.close();
  });
});

describe('resource groups in all my subscriptions', () => {
  it('a join of subscriptions to resource_groups lists the subscriptions once, then the groups of each', async () => {
    const { engine: e } = engine(DEFAULT_SUB);
    const result = await e.query(`SELECT s.displayName AS subscription, g.name AS grp
      FROM azure.subscriptions.subscriptions s JOIN azure.resources.resource_groups g ON g.subscriptionId = s.subscriptionId
      ORDER BY grp`);
    await e.close();
    expect(result.rows).toEqual([
      { subscription: 'SUB-A', grp: 'rg-1' },
      { subscription: 'SUB-A', grp: 'rg-2' },
      { subscription: 'SUB-B', grp: 'rg-3' },
    ]);
    expect(paths().sort()).toEqual(['/subscriptions', '/subscriptions/sub-a/resourcegroups', '/subscriptions/sub-b/resourcegroups']);
  });

  it('subscriptionId IN (SELECT subscriptionId FROM …) runs the subquery first and asks for each of its values', async () => {
    const { engine: e, notices } = engine(DEFAULT_SUB);
    const result = await e.query(`SELECT name, subscriptionId FROM azure.resources.resource_groups
      WHERE subscriptionId IN (SELECT subscriptionId FROM azure.subscriptions.subscriptions WHERE state = 'Enabled') ORDER BY name`);
    await e.close();
    expect(result.rows.map((row) => row.name)).toEqual(['rg-1', 'rg-2', 'rg-3']);
    expect(paths().sort()).toEqual(['/subscriptions', '/subscriptions/sub-a/resourcegroups', '/subscriptions/sub-b/resourcegroups']);
    expect(notices).toEqual([]);
  });
});

describe('column types', () => {
  it('a result says which columns come straight from object fields, for json output', async () => {
    const { engine: e } = engine(DEFAULT_SUB);
    const result = await e.query("SELECT name, tags, json_extract(tags, '$.env') AS env FROM azure.resources.resource_groups");
    await e.close();
    expect(result.columnTypes).toEqual(['string', 'object', undefined]);
  });
});
