// Every SQL example in README.md and providers/README.md parses and plans (no network): the docs
// stay true. (`skyql docs` pages: test/unit/output/docs-examples.test.ts.)

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';

/** Each document, and how many ```sql blocks it has at least. */
const DOCUMENTS = [['README.md', 8], ['providers/README.md', 1]] as const;
const VARS: Record<string, string> = {
  subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroupName: 'my-rg', factoryName: 'my-factory',
  pipelineName: 'my-pipeline', sub: '00000000-0000-0000-0000-000000000001',
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
      it(`SQL block ${index + 1} plans`, () => {
        const sql = block.replace(/'…'/g, "'00000000-0000-0000-0000-000000000001'").replace(/\[(EXTENDED)\] /g, '');
        const names = [...sql.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((match) => match[1]).filter((name) => !name.startsWith('.') && !name.includes('['));
        const vars = Object.fromEntries(names.map((name) => [name, VARS[name] ?? '']));
        const engine = createEngine({ userRegistry: '/nonexistent' });
        const runnable = sql.split(';').filter((statement) => !/REGISTRY ADD|petstore/i.test(statement)).join(';');
        if (runnable.trim()) expect(() => engine.plan(runnable, { vars })).not.toThrow();
      });
    }
  });
}
