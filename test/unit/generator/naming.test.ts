import { describe, expect, it } from 'vitest';
import { deriveName, replaceMethodName } from '../../../src/generator/naming.ts';
import { pluralize, snakeCase } from '../../../src/generator/words.ts';

describe('deriveName', () => {
  it.each([
    ['Pipelines_CreateRun', 'pipelines_runs', 'create'],
    ['Pipeline_CreatePipelineRun', 'pipelines_runs', 'create'],
    ['PipelineRuns_Get', 'pipeline_runs', 'get'],
    ['PipelineRuns_Cancel', 'pipeline_runs', 'cancel'],
    ['PipelineRuns_QueryByFactory', 'pipeline_runs', 'query_by_factory'],
    ['PipelineRun_GetPipelineRun', 'pipeline_runs', 'get'],
    ['PipelineRun_CancelPipelineRun', 'pipeline_runs', 'cancel'],
    ['PipelineRun_QueryPipelineRunsByWorkspace', 'pipeline_runs', 'query_by_workspace'],
    ['Factories_List', 'factories', 'list'],
    ['Factories_ListByResourceGroup', 'factories', 'list_by_resource_group'],
    ['Factories_CreateOrUpdate', 'factories', 'create_or_update'],
    ['ResourceGroups_CheckExistence', 'resource_groups', 'check_existence'],
    ['Subscriptions_Get', 'subscriptions', 'get'],
    ['Tags_CreateOrUpdateAtScope', 'tags', 'create_or_update_at_scope'],
    ['Triggers_SubscribeToEvents', 'triggers', 'subscribe_to_events'],
    ['IntegrationRuntimes_ListAuthKeys', 'integration_runtimes_auth_keys', 'list'],
    ['IntegrationRuntimeObjectMetadata_Get', 'integration_runtime_object_metadata', 'get'],
    ['managedPrivateEndpoints_CreateOrUpdate', 'managed_private_endpoints', 'create_or_update'],
    ['checkResourceName', 'resource_names', 'check'],
    ['listPets', 'pets', 'list'],
  ])('%s → %s.%s', (operationId, resource, method) => {
    expect(deriveName(operationId)).toMatchObject({ resource, method });
  });

  it('names the replace twin of a PUT method', () => {
    expect(replaceMethodName('create_or_update')).toBe('replace');
    expect(replaceMethodName('create_or_update_at_scope')).toBe('replace_at_scope');
    expect(replaceMethodName('put')).toBe('replace_put');
  });
});

describe('words', () => {
  it('snake_cases wire names', () => {
    expect(snakeCase('subscriptionId')).toBe('subscription_id');
    expect(snakeCase('api-version')).toBe('api_version');
    expect(snakeCase('If-None-Match')).toBe('if_none_match');
    expect(snakeCase('$filter')).toBe('filter');
  });

  it('pluralises the last word only as needed', () => {
    expect(['factory', 'run', 'runs', 'status', 'address', 'data'].map(pluralize)).toEqual(['factories', 'runs', 'runs', 'status', 'addresses', 'data']);
  });
});
