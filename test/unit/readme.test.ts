// Every SQL example in README.md and providers/README.md parses and plans (no network): the docs
// stay true. (`skyql docs` pages: test/unit/output/docs-examples.test.ts.)

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.ts';
import { needsShared, sharedDocumentCache, sharedPath } from '../helpers/shared.ts';

const shared = needsShared("README examples on a provider pulled from StackQL's registry");

/** Each document, and how many ```sql blocks it has at least. */
const DOCUMENTS = [
  ['README.md', 8],
  ['providers/README.md', 1],
] as const;
const VARS: Record<string, string> = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroupName: 'my-rg',
  factoryName: 'my-factory',
  pipelineName: 'my-pipeline',
  sub: '00000000-0000-0000-0000-000000000001',
};

function sqlBlocks(file: string): string[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  return [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]);
}

for (const [file, atLeast] of DOCUMENTS) {
  describe(file, () => {
    const blocks = sqlBlocks(file);

    it('has SQL examples', () => {
      expect(blocks.length).toBeGreaterThanOrEqual(atLeast);
    });

    for (const [index, block] of blocks.entries()) {
      // A block that starts `-- needs: REGISTRY PULL azure` plans against StackQL's provider from ../shared.
      const pull = /^-- needs: (REGISTRY PULL \w+)/.exec(block)?.[1];
      (pull ? shared.it : it)(`SQL block ${index + 1} plans${pull ? ` (${pull}, from ../shared)` : ''}`, async () => {
        const sql = block.replace(/'…'/g, "'00000000-0000-0000-0000-000000000001'").replace(/\[(EXTENDED)\] /g, '');
        const names = [...sql.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((match) => match[1]).filter((name) => !name.startsWith('.') && !name.includes('['));
        const vars = Object.fromEntries(names.map((name) => [name, VARS[name] ?? '']));
        const engine = pull ? await pulled(pull) : createEngine({ userRegistry: '/nonexistent' });
        const runnable = sql
          .split(';')
          .filter((statement) => !/REGISTRY ADD|petstore/i.test(statement))
          .join(';');
        if (runnable.trim()) expect(() => engine.plan(runnable, { vars })).not.toThrow();
      });
    }
  });
}

/** An engine with a provider pulled from ../shared's StackQL registry into a fresh folder. */
async function pulled(statement: string): Promise<Engine> {
  const root = mkdtempSync(join(tmpdir(), 'skyql-readme-'));
  const engine = createEngine({
    userRegistry: join(root, 'providers'),
    cacheDir: sharedDocumentCache(),
    registry: { url: pathToFileURL(sharedPath('stackql-registry', '2026-08')).href },
  });
  await engine.query(statement);
  return engine;
}
