import { expect, it } from 'vitest';
import { sameName } from '../../../src/util/same-name.ts';

it('names are the same whatever their case, and only then', () => {
  expect(sameName('runId', 'runId')).toBe(true);
  expect(sameName('runId', 'RUNID')).toBe(true);
  expect(sameName('resourceGroupName', 'resourcegroupname')).toBe(true);
  expect(sameName('runId', 'run_id')).toBe(false);
  expect(sameName('runId', 'runIds')).toBe(false);
  expect(sameName('', '')).toBe(true);
});
