// Every SQL example `skyql docs <resource>` prints, for every resource of the bundled registry,
// plans (no network) once its placeholders have values its params accept: the docs show only
// statements that run. (README.md's and providers/README.md's examples: test/unit/readme.test.ts.)

import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { createEngine, Registry } from '../../../src/index.ts';
import type { ParamSpec, ResourceSpec } from '../../../src/registry/types.ts';

const NO_USER_REGISTRY = '/nonexistent/skyql-registry';

function bundledResources(): ResourceSpec[] {
  const registry = new Registry();
  return registry
    .providerNames()
    .flatMap((provider) =>
      Object.keys(registry.provider(provider)!.services).flatMap((service) => Object.values(registry.service(provider, service)!.resources)),
    );
}

async function docs(id: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['docs', id], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { SKYQL_REGISTRY_DIR: NO_USER_REGISTRY },
    version: 'test',
  });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

/** A value the param's rules accept, as a '{{ placeholder }}' takes it. */
function valueFor(param: ParamSpec): string {
  if (param.enum?.length) return param.enum[0];
  if (param.type === 'integer' || param.type === 'number') return String(param.minimum ?? 1);
  if (param.type === 'boolean') return 'true';
  if (param.type === 'object') return '{}';
  if (param.type === 'array') return '[]';
  if (param.format === 'date-time') return '2026-11-22T12:00:00Z';
  if (param.in === 'host') return 'myworkspace.dev.azuresynapse.net';
  if (param.format === 'uri') return 'https://example.com/item';
  if (param.name === 'subscriptionId') return '00000000-0000-0000-0000-000000000001';
  return 'example1';
}

function varsFor(resource: ResourceSpec, sql: string): Record<string, string> {
  const params = new Map(
    Object.values(resource.methods)
      .flatMap((method) => method.params)
      .map((param) => [param.name, param]),
  );
  const names = [...sql.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((match) => match[1]);
  return Object.fromEntries(
    names.map((name) => {
      const param = params.get(name);
      if (!param) throw new Error(`placeholder {{ ${name} }} is no param of ${resource.id}`);
      return [name, valueFor(param)];
    }),
  );
}

const RESOURCES = bundledResources();
const engine = createEngine({ userRegistry: NO_USER_REGISTRY });

describe('skyql docs: every SQL example plans', () => {
  it('covers the bundled registry', () => {
    expect(RESOURCES.length).toBeGreaterThan(50);
  });

  for (const resource of RESOURCES) {
    it(resource.id, async () => {
      const blocks = [...(await docs(resource.id)).matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]);
      expect(blocks.length, 'SQL examples').toBeGreaterThan(0);
      for (const sql of blocks) {
        try {
          engine.plan(sql, { vars: varsFor(resource, sql) });
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${sql}`, { cause: error });
        }
      }
    });
  }
});
