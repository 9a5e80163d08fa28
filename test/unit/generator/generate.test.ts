import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateRegistry } from '../../../src/tools/generate-registry.ts';
import type { GenerateResult } from '../../../src/tools/generate-registry.ts';
import { needsShared } from '../../helpers/shared.ts';
import { manifestsDir, overridesFile, providerDir, specsRoot } from './paths.ts';

const shared = needsShared('spec regeneration');

async function yamlFiles(dir: string, keep: (file: string) => boolean): Promise<string[]> {
  return (await readdir(dir)).filter((file) => file.endsWith('.yaml') && keep(file)).sort();
}

shared.describe('generateRegistry', () => {
  let tmp: string;
  let result: GenerateResult;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'skyql-registry-'));
    result = await generateRegistry({
      specsRoot,
      outDir: join(tmp, 'providers/azure'),
      manifestsDir: join(tmp, 'manifests'),
      overridesFile,
    });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reproduces the committed providers/azure byte for byte', async () => {
    const committed = await yamlFiles(providerDir, (file) => file !== 'overrides.yaml');
    expect(await yamlFiles(join(tmp, 'providers/azure'), () => true)).toEqual(committed);
    for (const file of committed) {
      const fresh = await readFile(join(tmp, 'providers/azure', file), 'utf8');
      expect(fresh, `providers/azure/${file} is stale: run npm run registry:generate`).toBe(await readFile(join(providerDir, file), 'utf8'));
    }
  });

  it('reproduces the committed manifests byte for byte', async () => {
    const committed = await yamlFiles(manifestsDir, (file) => file.startsWith('azure.'));
    expect(await yamlFiles(join(tmp, 'manifests'), () => true)).toEqual(committed);
    for (const file of committed) {
      const fresh = await readFile(join(tmp, 'manifests', file), 'utf8');
      expect(fresh, `manifests/${file} is stale: run npm run registry:generate`).toBe(await readFile(join(manifestsDir, file), 'utf8'));
    }
  });

  it('warns about refs into files that are not among the specs, naming file and pointer', () => {
    expect(result.warnings).toContainEqual(expect.stringMatching(/entityTypes\/Dataset\.json#\/definitions\/Dataset \(file not found\)/));
    expect(result.warnings).toContainEqual(expect.stringMatching(/synapse.*entityTypes\/Pipeline\.json#\/definitions\/Pipeline \(file not found\)/));
  });

  it('has no warning for the redirected Synapse CloudError', () => {
    expect(result.warnings.filter((warning) => warning.includes('CloudError'))).toEqual([]);
  });

  it('reports the name collisions it resolved', () => {
    expect(result.notes).toContainEqual(expect.stringContaining("'factoryName' collides"));
  });
});
