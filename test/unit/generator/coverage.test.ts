import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProviderSpec } from '../../../src/registry/types.ts';
import { createEngine } from '../../../src/index.ts';
import { needsShared } from '../../helpers/shared.ts';
import { providerDir, SHIPPED_SPECS, specsRoot } from './paths.ts';

const shared = needsShared('spec coverage');

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head'];

function specOperationIds(spec: string): string[] {
  const doc = JSON.parse(readFileSync(join(specsRoot, spec), 'utf8'));
  return Object.values<Record<string, { operationId?: string }>>(doc.paths).flatMap((item) =>
    HTTP_METHODS.flatMap((method) => (item[method]?.operationId ? [item[method].operationId] : [])),
  );
}

function registryOperationIds(): Set<string> {
  const provider = parse(readFileSync(join(providerDir, 'provider.yaml'), 'utf8')) as ProviderSpec;
  const ids = new Set<string>();
  for (const entry of Object.values(provider.services)) {
    const service = parse(readFileSync(join(providerDir, entry.file), 'utf8'));
    for (const resource of Object.values<{ methods: Record<string, { operationId: string }> }>(service.resources)) {
      for (const method of Object.values(resource.methods)) ids.add(`${service.name}:${method.operationId}`);
    }
  }
  return ids;
}

const SERVICE_OF_SPEC = ['data_factory', 'synapse_artifacts', 'resources', 'subscriptions'];

shared.describe('registry coverage', () => {
  it('has a resource.method for every operationId of the shipped specs', () => {
    const registry = registryOperationIds();
    const missing = SHIPPED_SPECS.flatMap((spec, i) =>
      specOperationIds(spec)
        .map((operationId) => `${SERVICE_OF_SPEC[i]}:${operationId}`)
        .filter((id) => !registry.has(id)),
    );
    expect(missing).toEqual([]);
    expect(registry.size).toBeGreaterThan(140);
  });

  it('SHOW EXTENDED METHODS lists every operationId of the shipped specs', async () => {
    const engine = createEngine({});
    const listed = new Set<string>();
    for (const service of SERVICE_OF_SPEC) {
      const resources = await engine.query(`SHOW RESOURCES IN azure.${service}`);
      for (const resource of resources.rows) {
        const methods = await engine.query(`SHOW EXTENDED METHODS IN ${resource.id}`);
        for (const method of methods.rows) listed.add(`${service}:${method.operation_id}`);
      }
    }
    const missing = SHIPPED_SPECS.flatMap((spec, i) => specOperationIds(spec).map((id) => `${SERVICE_OF_SPEC[i]}:${id}`)).filter((id) => !listed.has(id));
    expect(missing).toEqual([]);
  });
});
