// Every SQL example in README.md parses and plans (no network): the docs stay true.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const BLOCKS = [...README.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]);
const VARS: Record<string, string> = {
  subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroupName: 'my-rg', factoryName: 'my-factory',
  pipelineName: 'my-pipeline', sub: '00000000-0000-0000-0000-000000000001',
};

it('README has SQL examples', () => {
  expect(BLOCKS.length).toBeGreaterThanOrEqual(8);
});

for (const [index, block] of BLOCKS.entries()) {
  it(`README SQL block ${index + 1} plans`, () => {
    const sql = block.replace(/'…'/g, "'00000000-0000-0000-0000-000000000001'").replace(/\[(EXTENDED)\] /g, '');
    const names = [...sql.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((match) => match[1]);
    const vars = Object.fromEntries(names.map((name) => [name, VARS[name] ?? '']));
    const engine = createEngine({ userRegistry: '/nonexistent' });
    const runnable = sql.split(';').filter((statement) => !/REGISTRY ADD|petstore/i.test(statement)).join(';');
    if (runnable.trim()) expect(() => engine.plan(runnable, { vars })).not.toThrow();
  });
}
