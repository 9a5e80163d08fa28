// `skyql docs` and `skyql manifest` output, compared with committed files.
// UPDATE_GOLDEN=1 npm test rewrites the docs pages; manifests/ is written by npm run registry:generate.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const RESOURCES = [
  'azure.data_factory.pipelines_runs',
  'azure.data_factory.pipeline_runs',
  'azure.synapse_artifacts.pipelines_runs',
  'azure.data_factory.factories',
];

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: {},
    version: 'test',
  });
  return { code, ...out };
}

describe('skyql docs', () => {
  for (const id of RESOURCES) {
    it(id, async () => {
      const file = new URL(`./docs/${id}.md`, import.meta.url);
      const { code, stdout } = await cli('docs', id);
      expect(code).toBe(0);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, stdout);
      expect(stdout).toBe(readFileSync(file, 'utf8'));
    });
  }
});

describe('skyql manifest', () => {
  it('prints the committed manifest of a resource', async () => {
    const { code, stdout } = await cli('manifest', 'azure.data_factory.pipelines_runs');
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(new URL('../../manifests/azure.data_factory.pipelines_runs.yaml', import.meta.url), 'utf8'));
  });

  it('is an error for a resource without INSERT', async () => {
    const { code, stderr } = await cli('manifest', 'azure.data_factory.pipeline_runs');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error\[PLAN_VERB_UNSUPPORTED\]/);
  });
});
