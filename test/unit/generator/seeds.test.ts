// The behaviours the hand-written seed registry showed, checked on the generated one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MethodSpec, ParamSpec, ServiceSpec } from '../../../src/registry/types.ts';
import { providerDir } from './paths.ts';

type ServiceYaml = Omit<ServiceSpec, 'resources'> & {
  resources: Record<string, { methods: Record<string, MethodSpec> }>;
};

function service(name: string): ServiceYaml {
  return parse(readFileSync(join(providerDir, `${name}.yaml`), 'utf8')) as ServiceYaml;
}

function param(method: MethodSpec, name: string): ParamSpec | undefined {
  return method.params.find((entry) => entry.name === name);
}

describe('data_factory', () => {
  const adf = service('data_factory');

  it('is an ARM service', () => {
    expect(adf.server).toEqual({ url: 'https://management.azure.com' });
    expect(adf.audience).toBe('https://management.azure.com/.default');
  });

  it('creates pipeline runs with INSERT and a whole-body payload', () => {
    const create = adf.resources.pipelines_runs.methods.create;
    expect(create).toMatchObject({ operationId: 'Pipelines_CreateRun', sqlVerb: 'insert', httpMethod: 'POST' });
    expect(param(create, 'parameters')).toEqual({
      name: 'parameters',
      in: 'payload',
      required: false,
      type: 'object',
      description: 'Parameters of the pipeline run. These parameters will be used only if the runId is not specified.',
    });
    expect(param(create, 'api-version')).toMatchObject({ required: false, default: '2018-06-01', aliases: ['api_version'] });
    expect(param(create, 'subscriptionId')).toMatchObject({ in: 'path', required: true, aliases: ['subscription_id'] });
    expect(create.response).toEqual({
      statusCodes: [200],
      fields: [{ name: 'runId', type: 'string', description: 'Identifier of a run.' }],
    });
  });

  it('gets, cancels and queries pipeline runs', () => {
    const runs = adf.resources.pipeline_runs.methods;
    expect(Object.keys(runs).sort()).toEqual(['cancel', 'get', 'query_by_factory']);
    expect(runs.get.sqlVerb).toBe('select');
    expect(runs.cancel).toMatchObject({ sqlVerb: 'exec', response: { statusCodes: [200], fields: [] } });
    expect(runs.get.response.fields.find((field) => field.name === 'runStart')).toMatchObject({ format: 'date-time' });
  });

  it('pages query_by_factory by continuation token over a default time window', () => {
    const query = adf.resources.pipeline_runs.methods.query_by_factory;
    expect(query).toMatchObject({ sqlVerb: 'select', pagination: { kind: 'continuationToken', tokenField: 'continuationToken' } });
    expect(query.response.itemsPath).toBe('value');
    expect(param(query, 'lastUpdatedAfter')).toMatchObject({ in: 'body', required: false, defaultRelativeTime: '-P1D' });
    expect(param(query, 'lastUpdatedBefore')).toMatchObject({ in: 'body', required: false, defaultRelativeTime: 'PT0S' });
  });

  it('pushes query_by_factory column filters into the body array filters', () => {
    const query = adf.resources.pipeline_runs.methods.query_by_factory;
    expect(query.filterPushdown?.bodyField).toBe('filters');
    expect(query.filterPushdown?.columns).toMatchObject({ status: 'Status', pipelineName: 'PipelineName' });
    expect(param(query, 'filters')).toMatchObject({ in: 'body', type: 'array' });
    for (const column of Object.keys(query.filterPushdown?.columns ?? {})) {
      expect(
        query.response.fields.map((field) => field.name),
        column,
      ).toContain(column);
    }
  });

  it('has the factory CRUD methods, PUT as insert and replace', () => {
    const factories = adf.resources.factories.methods;
    for (const name of ['list', 'list_by_resource_group', 'get', 'create_or_update', 'replace', 'update', 'delete']) {
      expect(factories[name], name).toBeDefined();
    }
    expect(factories.create_or_update.sqlVerb).toBe('insert');
    expect(factories.replace).toMatchObject({ sqlVerb: 'replace', httpMethod: 'PUT', operationId: 'Factories_CreateOrUpdate' });
    expect(factories.list.pagination).toEqual({ kind: 'nextLink', nextLinkName: 'nextLink' });
  });
});

describe('synapse_artifacts', () => {
  const synapse = service('synapse_artifacts');

  it('addresses the workspace endpoint through a host param', () => {
    expect(synapse.server).toEqual({ url: '{endpoint}', defaultScheme: 'https' });
    expect(synapse.audience).toBe('https://dev.azuresynapse.net/.default');
    const create = synapse.resources.pipelines_runs.methods.create;
    expect(create.params[0]).toMatchObject({ name: 'endpoint', in: 'host', required: true, skipUrlEncoding: true });
    expect(create).toMatchObject({ operationId: 'Pipeline_CreatePipelineRun', sqlVerb: 'insert' });
    expect(create.response.statusCodes).toEqual([202]);
  });

  it('gets, cancels and queries pipeline runs', () => {
    const runs = synapse.resources.pipeline_runs.methods;
    expect(runs.get.operationId).toBe('PipelineRun_GetPipelineRun');
    expect(runs.cancel.operationId).toBe('PipelineRun_CancelPipelineRun');
    expect(runs.query_by_workspace.pagination).toEqual({ kind: 'continuationToken', tokenField: 'continuationToken' });
  });
});

describe('ARM services', () => {
  it('exposes resource groups and subscriptions', () => {
    const groups = service('resources').resources.resource_groups.methods;
    expect(groups.delete).toMatchObject({ longRunning: true });
    expect(groups.check_existence).toMatchObject({ httpMethod: 'HEAD', sqlVerb: 'exec', response: { statusCodes: [204] } });
    const subscriptions = service('subscriptions').resources.subscriptions.methods;
    expect(subscriptions.list.sqlVerb).toBe('select');
    expect(service('subscriptions').resources.subscriptions_locations.methods.list.pagination).toBeUndefined();
  });
});
