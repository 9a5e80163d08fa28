import { expect, it } from 'vitest';
import { matchesLike } from '../../../src/plan/show-describe.ts';
it('SHOW … LIKE matches as SQL does, in linear time whatever the pattern', () => {
  const cases: [string, string, boolean][] = [
    ['pipeline_runs', 'pipeline%', true],
    ['pipelines', '%line_', true],
    ['abc', 'a_c', true],
    ['abc', 'A%C', true],
    ['abc', '%', true],
    ['', '%', true],
    ['', '_', false],
    ['abc', 'ab', false],
    ['aaaa', '%a%a%a%a%a%', false],
    ['factories', '%act%r%', true],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false],
  ];
  for (const [v, p, r] of cases) expect(matchesLike(v, p), `${v} LIKE ${p}`).toBe(r);
  expect(matchesLike('a'.repeat(5000), `${'%a'.repeat(60)}%b`)).toBe(false);
});
