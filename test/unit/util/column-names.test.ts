import { describe, expect, it } from 'vitest';
import { projectFields } from '../../../src/plan/projection.ts';
import { uniqueColumnNames } from '../../../src/util/column-names.ts';

describe('uniqueColumnNames', () => {
  it('keeps names that do not repeat, the same array', () => {
    const names = ['name', 'location', 'Name2'];
    expect(uniqueColumnNames(names)).toBe(names);
  });

  it("names a repeat as SQLite names CREATE TABLE … AS SELECT's columns, ignoring case", () => {
    expect(uniqueColumnNames(['name', 'name', 'NAME', 'id'])).toEqual(['name', 'name:1', 'NAME:2', 'id']);
    // A suffixed name already written is skipped.
    expect(uniqueColumnNames(['a', 'a:1', 'a'])).toEqual(['a', 'a:1', 'a:2']);
    expect(uniqueColumnNames(['a', 'a', 'a:1'])).toEqual(['a', 'a:1', 'a:1:1']);
  });
});

it('RETURNING a field twice gives two columns', () => {
  const fields = [{ name: 'runId', type: 'string' as const }];
  expect(projectFields(fields, [{ column: 'runId' }, { column: 'runid' }]).map((column) => column.name)).toEqual(['runId', 'runId:1']);
});
