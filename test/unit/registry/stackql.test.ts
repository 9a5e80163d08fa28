// StackQL provider documents as skyql services: the made-up provider in
// test/fixtures/stackql-registry (StackQL's layout, both registry vintages' naming habits).

import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { Registry } from '../../../src/registry/load.ts';
import { resolveResource, serviceResources } from '../../../src/registry/resolve.ts';
import { parseQualifiedName } from '../../../src/sql/parse.ts';
import { withSkyqlKnowledge } from '../../../src/registry/stackql/enrich.ts';
import { recogniseTransform, wrappedList } from '../../../src/registry/stackql/transform.ts';
import { callsMethod } from '../../../src/registry/types.ts';

const PULLED = fileURLToPath(new URL('../../fixtures/stackql-registry/', import.meta.url));
const SKYQL = fileURLToPath(new URL('../../fixtures/registry/', import.meta.url));

const registry = () => new Registry([PULLED], { cacheDir: false });
const widgets = () => registry().service('acme', 'widgets')!.resources.widgets;

describe('a StackQL provider.yaml', () => {
  it('lists the services of the latest version, leaving out a service whose document lies outside it', () => {
    const provider = registry().provider('acme')!;
    expect(Object.keys(provider.services).sort()).toEqual(['vaults', 'widgets']);
    expect(provider.services.widgets).toMatchObject({ title: 'Acme Widgets', description: 'Widgets, gadgets and their parts.' });
    expect(provider.stackql).toEqual({ version: 'v0.1.0', auth: { type: 'azure_default' } });
  });

  it('reads no service document to list the services', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'skyql-stackql-'));
    new Registry([PULLED], { cacheDir }).provider('acme');
    // One parsed document; besides it, at most the hash of provider.yaml remembered (known-hashes.ts).
    expect(readdirSync(join(cacheDir, 'registry')).filter((name) => !name.startsWith('known-'))).toHaveLength(1);
  });
});

describe('a StackQL service document', () => {
  it("gives each method its operation: the path, and the paths key's query as the default of its param", () => {
    const get = widgets().methods.get;
    expect(get).toMatchObject({ httpMethod: 'GET', operationId: 'Widgets_get', sqlVerb: 'select' });
    expect(get.path).toBe('/subscriptions/{subscription_id}/resourceGroups/{resource_group_name}/providers/Acme.Widgets/widgets/{widget_name}');
    expect(get.params.find((param) => param.name === 'api-version')).toMatchObject({ in: 'query', required: false, default: '2024-01-01' });
  });

  it('a method in several sqlVerbs lists answers each of them; one in none is EXEC only', () => {
    const { create_or_update: upsert, polish } = widgets().methods;
    expect(upsert.sqlVerbs).toEqual(['insert', 'replace']);
    expect(callsMethod(upsert, 'insert') && callsMethod(upsert, 'replace') && !callsMethod(upsert, 'update')).toBe(true);
    expect(polish.sqlVerb).toBe('exec');
  });

  it("params answer to the other vintage's spelling: camelCase for snake_case, snake_case for camelCase", () => {
    const params = widgets().methods.create_or_update.params;
    expect(params.find((param) => param.name === 'subscription_id')!.aliases).toContain('subscriptionId');
    expect(params.find((param) => param.name === 'colorScheme')).toMatchObject({ in: 'body', aliases: ['color_scheme'] });
    expect(params.find((param) => param.name === 'location')).toMatchObject({ in: 'body', required: true });
  });

  it('rows: objectKey $.value is the items; a list that declares nextLink pages by it; the hoist transform is data', () => {
    const { list_by_resource_group: list, get } = widgets().methods;
    expect(list.response).toMatchObject({
      itemsPath: 'value',
      fields: [{ name: 'id' }, { name: 'name' }, { name: 'color' }, { name: 'sizeInCm', type: 'integer' }],
    });
    expect(list.pagination).toEqual({ kind: 'nextLink', nextLinkName: 'nextLink' });
    expect(get.response.rowTransform).toEqual({ kind: 'hoist', property: 'properties' });
    // The hoisted object stays a column, as in StackQL's rows.
    expect(get.response.fields.map((field) => field.name)).toEqual(['id', 'name', 'color', 'sizeInCm', 'properties']);
    expect(get.pagination).toBeUndefined();
  });

  it("an ARM path's leading param is a resource path, inserted as one (as StackQL inserts it)", () => {
    const scope = registry()
      .service('acme', 'widgets')!
      .resources.tags.methods.get_at_scope.params.find((param) => param.name === 'scope');
    expect(scope).toMatchObject({ in: 'path', skipUrlEncoding: true });
    const engine = createEngine({ registryRoots: [PULLED], cacheDir: false });
    const [planned] = engine.plan("SELECT tags FROM acme.widgets.tags WHERE scope = '/subscriptions/s/resourceGroups/rg'");
    expect(planned.plan.kind === 'select' && planned.plan.sources[0].requests[0].request.url).toBe(
      'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Acme.Widgets/tags/default?api-version=2024-01-01',
    );
  });

  it('long-running operations, status codes and request bodies come from the operation', () => {
    expect(widgets().methods.create_or_update).toMatchObject({ longRunning: true, requestBody: 'required', response: { statusCodes: [200, 201] } });
    expect(widgets().methods.polish.response).toEqual({ statusCodes: [202], fields: [] });
  });

  it('a StackQL view (no methods) is not a resource: it is a view, its SQLite ddl kept', () => {
    const service = registry().service('acme', 'widgets')!;
    expect(Object.keys(service.resources)).toEqual(['widgets', 'tags']);
    expect(service.views?.vw_widgets).toMatch(/^SELECT\nname as name,[\s\S]*resource_group_name = 'replace-me'$/);
  });

  it("ARM servers get ARM's audience; a data-plane server its own, with its host variable a required host param", () => {
    expect(registry().service('acme', 'widgets')!.audience).toBe('https://management.azure.com/.default');
    const vaults = registry().service('acme', 'vaults')!;
    expect(vaults).toMatchObject({ audience: 'https://vault.azure.net/.default', server: { url: 'https://{vault_name}.vault.azure.net' } });
    const host = vaults.resources.secrets.methods.list.params.find((param) => param.in === 'host');
    expect(host).toMatchObject({ name: 'vault_name', required: true });
    expect(host!.default).toBeUndefined();
  });
});

describe('a pulled service over a skyql service of the same name', () => {
  it("answers for its resources; the skyql service's other resources keep answering", () => {
    const layered = new Registry([SKYQL, PULLED], { cacheDir: false });
    expect(serviceResources(layered, 'acme', 'widgets').map((resource) => resource.id)).toEqual([
      'acme.widgets.widgets',
      'acme.widgets.tags',
      'acme.widgets.things',
    ]);
    expect(layered.service('acme', 'widgets')!.title).toBe('Acme Widgets');
  });

  it('resolves each resource with its own document (server, audience)', () => {
    const layered = new Registry([SKYQL, PULLED], { cacheDir: false });
    expect(resolveResource(layered, parseQualifiedName('acme.widgets.things'), '').service.server.url).toBe('https://widgets.example.com');
    expect(resolveResource(layered, parseQualifiedName('acme.widgets.widgets'), '').service.server.url).toBe('https://management.azure.com/');
    const engine = createEngine({ registryRoots: [SKYQL, PULLED], cacheDir: false });
    const [planned] = engine.plan("SELECT name, color FROM acme.widgets.widgets WHERE subscriptionId = 's' AND resource_group_name = 'rg'");
    expect(planned.plan.kind === 'select' && planned.plan.sources[0].requests[0].request.url).toBe(
      'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Acme.Widgets/widgets?api-version=2024-01-01',
    );
  });
});

describe("what skyql's own document knows, carried to the pulled one (enrich.ts)", () => {
  it("the same operation gets continuation-token paging, its time window and the window's defaults", () => {
    const own = new Registry().service('azure', 'data_factory')!;
    const query = own.resources.pipeline_runs.methods.query_by_factory;
    const pulledMethod = {
      ...query,
      name: 'query_by_factory',
      operationId: 'PipelineRuns_query_by_factory',
      pagination: undefined,
      timeWindow: undefined,
      filterPushdown: undefined,
      params: query.params.map(({ defaultRelativeTime: _dropped, ...param }) => param),
      response: {
        statusCodes: [200],
        fields: [
          { name: 'value', type: 'array' as const },
          { name: 'continuationToken', type: 'string' as const },
        ],
      },
    };
    const pulled = {
      ...own,
      resources: { pipeline_runs: { name: 'pipeline_runs', id: 'azure.data_factory.pipeline_runs', methods: { query_by_factory: pulledMethod } } },
    };
    const enriched = withSkyqlKnowledge(pulled, own).resources.pipeline_runs.methods.query_by_factory;
    expect(enriched.pagination).toEqual({ kind: 'continuationToken', tokenField: 'continuationToken' });
    expect(enriched.timeWindow).toEqual({ after: 'lastUpdatedAfter', before: 'lastUpdatedBefore', columns: [] });
    expect(enriched.params.find((param) => param.name === 'lastUpdatedAfter')!.defaultRelativeTime).toBe('-P1D');
    // Row columns the pulled rows do not have are not pushed down.
    expect(enriched.filterPushdown).toBeUndefined();
  });
});

describe('skyql documents may use the shapes StackQL documents need', () => {
  const service = (method: object) => {
    const root = mkdtempSync(join(tmpdir(), 'skyql-shapes-'));
    mkdirSync(join(root, 'p'));
    writeFileSync(join(root, 'p', 'provider.yaml'), 'name: p\nservices:\n  s:\n    file: s.yaml\n');
    const base = { operationId: 'Op', sqlVerb: 'insert', httpMethod: 'PUT', path: '/x', params: [], response: { statusCodes: [200], fields: [] } };
    writeFileSync(
      join(root, 'p', 's.yaml'),
      JSON.stringify({ server: { url: 'https://example.com' }, resources: { r: { methods: { m: { ...base, ...method } } } } }),
    );
    return () => new Registry([root], { cacheDir: false }).service('p', 's')!.resources.r.methods.m;
  };

  it('sqlVerbs and rowTransform are read, and checked', () => {
    expect(
      service({ sqlVerbs: ['insert', 'replace'], response: { statusCodes: [200], fields: [], rowTransform: { kind: 'hoist', property: 'properties' } } })()
        .sqlVerbs,
    ).toEqual(['insert', 'replace']);
    expect(() => service({ sqlVerbs: ['replace', 'insert'] })()).toThrow(expect.objectContaining({ code: 'REG_INVALID' }));
    expect(() => service({ response: { statusCodes: [200], fields: [], rowTransform: { kind: 'template', body: '{{ . }}' } } })()).toThrow(
      expect.objectContaining({ code: 'REG_INVALID' }),
    );
  });
});

describe("StackQL's response transforms are recognised, never run", () => {
  const go = (body: string) => ({ type: 'golang_template_json_v0.3.0', body });

  it("the shapes StackQL's registries use", () => {
    expect(recogniseTransform(go('{"value": [{{- range $i, $v := . }}{{ if $i }},{{ end }}{"value": {{ toJson $v }}}{{- end }}]}'))).toEqual({
      transform: { kind: 'wrap', field: 'value', each: true },
    });
    expect(recogniseTransform(go('{"value": {{ toJson . }}}'))).toEqual({ transform: { kind: 'wrap', field: 'value', each: false } });
    const list =
      '{"value": [{{- range $i, $v := index . "items" }}{{ if $i }},{{ end }}{"name": {{ toJson $v }}}{{- end }}], "nextLink": {{ toJson (index . "nextLink") }}}';
    expect(recogniseTransform(go(list))).toEqual({ transform: { kind: 'wrap', field: 'name', each: true } });
    expect(wrappedList(go(list))).toBe('items');
  });

  it('any other template, or another engine, is reported as unknown', () => {
    expect(recogniseTransform(go('{{ exec "rm -rf /" }}'))).toEqual({ unknown: true });
    expect(recogniseTransform({ type: 'jsonnet', body: '{}' })).toEqual({ unknown: true });
    expect(recogniseTransform(undefined)).toEqual({});
  });
});
