import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { sqlName } from '../../../src/sql/identifiers.ts';

const SUB = '00000000-0000-0000-0000-000000000001';

describe('sqlName', () => {
  it('leaves plain and hyphenated names bare', () => {
    expect(['runId', 'subscription_id', 'api-version', 'If-Match', 'type', 'count'].map(sqlName)).toEqual([
      'runId',
      'subscription_id',
      'api-version',
      'If-Match',
      'type',
      'count',
    ]);
  });

  it('quotes keywords of the parser or of SQLite, in any case, and names with other characters', () => {
    expect(['values', 'Select', 'plan', 'key', '$top', 'odd name', 'say"hi'].map(sqlName)).toEqual([
      '"values"',
      '"Select"',
      '"plan"',
      '"key"',
      '"$top"',
      '"odd name"',
      '"say""hi"',
    ]);
  });

  it('a quoted keyword reads as the column: SELECT id, "values" FROM azure.resources.tags plans', () => {
    const engine = createEngine({ userRegistry: '/nonexistent' });
    expect(() => engine.plan(`SELECT id, ${sqlName('values')} FROM azure.resources.tags WHERE subscriptionId = '${SUB}'`)).not.toThrow();
  });
});
