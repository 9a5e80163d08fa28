// Statements written for StackQL's registries plan unchanged: both vintages' param spellings, the
// 2025 docs' `data__` prefix of body fields (also on skyql's own services), `{{ $filter }}`
// placeholders, and body fields a provider document leaves out.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { BUNDLED_REGISTRY } from '../../../src/registry/load.ts';
import { plannedRequests } from '../../../src/output/dry-run.ts';
import { errorOf } from '../../helpers/errors.ts';

const PULLED = fileURLToPath(new URL('../../fixtures/stackql-registry/', import.meta.url));
const engine = createEngine({ registryRoots: [BUNDLED_REGISTRY, PULLED], cacheDir: false });
const request = (sql: string, vars = {}) => plannedRequests(engine.plan(sql, { vars })[0].plan)[0];

describe('StackQL names', () => {
  it('snake_case and camelCase names of a param, and data__ names of body fields', () => {
    const sent = request(`INSERT INTO acme.widgets.widgets (subscriptionId, resource_group_name, widgetName, data__location, data__color_scheme, data__tags)
      SELECT 's', 'rg', 'w1', 'eastus', 'blue', '{"env":"dev"}'`);
    expect(sent.url).toBe('https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Acme.Widgets/widgets/w1?api-version=2024-01-01');
    expect(JSON.parse(sent.body!)).toEqual({ location: 'eastus', colorScheme: 'blue', tags: { env: 'dev' } });
  });

  it('a data__ field the document does not declare is sent as written: JSON when it is an object', () => {
    const sent = request(`INSERT INTO acme.widgets.widgets (subscription_id, resource_group_name, widget_name, location, data__sku, data__zones)
      SELECT 's', 'rg', 'w1', 'eastus', 'Standard', '["1","2"]'`);
    expect(JSON.parse(sent.body!)).toEqual({ location: 'eastus', sku: 'Standard', zones: ['1', '2'] });
  });

  it('a name that is not data__ is still an unknown param', () => {
    const error = errorOf(() =>
      request(`INSERT INTO acme.widgets.widgets (subscription_id, resource_group_name, widget_name, location, sku) SELECT 's', 'rg', 'w1', 'e', 'x'`),
    );
    expect(error.code).toBe('PLAN_UNKNOWN_PARAM');
  });

  it("data__ names work on skyql's own services too", () => {
    const sent = request(`INSERT INTO azure.resources.resource_groups (resourceGroupName, subscriptionId, data__location, data__tags)
      SELECT 'data-rg', 's', 'eastus', '{"env":"dev"}'`);
    expect(JSON.parse(sent.body!)).toEqual({ location: 'eastus', tags: { env: 'dev' } });
  });

  it("OData params as StackQL's docs write their placeholders: {{ $filter }}", () => {
    const sent = request(`SELECT name FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND $filter = '{{ $filter }}'`, {
      $filter: "tagName eq 'env'",
    });
    expect(new URL(sent.url).searchParams.get('$filter')).toBe("tagName eq 'env'");
  });

  it("a provider document's view (config.views) reads as a table: the statement's values take its 'replace-me' places", () => {
    const sent = request("SELECT name, size_cm FROM acme.widgets.vw_widgets WHERE subscription_id = 's' AND resource_group_name = 'rg' AND color = 'blue'");
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe('https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Acme.Widgets/widgets?api-version=2024-01-01');
    const error = errorOf(() => request("SELECT name FROM acme.widgets.vw_widgets WHERE subscription_id = 's'"));
    expect(error.code).toBe('PLAN_MISSING_PARAM');
    expect(error.message).toContain('resource_group_name');
  });
});
