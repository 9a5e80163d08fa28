import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderManifest } from '../../../src/output/manifest.ts';
import type { ResourceSpec } from '../../../src/registry/types.ts';

const resource: ResourceSpec = {
  name: 'pipelines_runs',
  id: 'azure.data_factory.pipelines_runs',
  methods: {
    create: {
      name: 'create',
      operationId: 'Pipelines_CreateRun',
      sqlVerb: 'insert',
      httpMethod: 'POST',
      path: '/subscriptions/{subscriptionId}/pipelines/{pipelineName}/createRun',
      params: [
        { name: 'pipelineName', in: 'path', required: true, type: 'string', description: 'The pipeline name.' },
        { name: 'isRecovery', in: 'query', required: false, type: 'boolean', description: 'Recovery mode flag.' },
        { name: 'api-version', in: 'query', required: false, type: 'string', description: 'The API version.' },
        { name: 'subscriptionId', in: 'path', required: true, type: 'string' },
      ],
      response: { statusCodes: [200], fields: [] },
    },
  },
};

describe('renderManifest', () => {
  it('renders the seed style: required params in path order, then api-version, then spec order', () => {
    expect(renderManifest(resource)).toBe(`# Description fields are for documentation purposes
- name: pipelines_runs
  props:
    - name: subscriptionId
      value: string
      description: Required parameter for the pipelines_runs resource.
    - name: pipelineName
      value: string
      description: Required parameter for the pipelines_runs resource.
    - name: api-version
      value: string
      description: The API version.
    - name: isRecovery
      value: boolean
      description: Recovery mode flag.
`);
  });

  it('fails for a verb the resource does not have', () => {
    expect(() => renderManifest(resource, 'delete')).toThrow(/DELETE not supported for this resource/);
  });

  it('matches the committed ADF createRun manifest head', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../../manifests/azure.data_factory.pipelines_runs.yaml'), 'utf8');
    expect(committed.split('\n').slice(0, 4)).toEqual([
      '# Description fields are for documentation purposes',
      '- name: pipelines_runs',
      '  props:',
      '    - name: subscriptionId',
    ]);
  });
});
