import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderErrorReference } from '../../src/error-reference.ts';
import { ERROR_CODES } from '../../src/errors.ts';

it('docs/errors.md is generated from ERROR_CODES (npm run docs:errors)', () => {
  expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(renderErrorReference());
});

it('every code belongs to a documented stage', () => {
  for (const code of Object.keys(ERROR_CODES)) expect(renderErrorReference()).toContain(`\`${code}\``);
});
