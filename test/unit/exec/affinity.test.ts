// Local tables declare their fields' types (exec/affinity.ts). What JavaScript computes a column
// holds (SqliteAnswers.stored) must be what SQLite stores in a column so declared, value by value.

import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { affinityOf, inAffinity, storedAffinities, type Affinity } from '../../../src/exec/affinity.ts';
import { SqliteAnswers } from '../../../src/exec/sql-values.ts';
import { sqliteValue } from '../../../src/exec/sqlite.ts';
import { createEngine } from '../../../src/index.ts';
import { storedSource } from '../../../src/plan/stored-views.ts';

const answers = new SqliteAnswers();
afterAll(() => answers.close());

const VALUES: (string | number)[] = [
  '5',
  ' 7 ',
  '5.0',
  '5e0',
  '1e3',
  '0x10',
  '007',
  '-3',
  '+4',
  '1.5',
  '.5',
  '5.',
  'abc',
  '12abc',
  '',
  ' ',
  '1e400',
  '-1e400',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '9007199254740993',
  'é',
  0,
  -0,
  1,
  -5,
  1.5,
  0.1,
  0.1 + 0.2,
  1 / 3,
  1e16,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 62,
  2 ** 63,
  -(2 ** 63),
  9.2e18,
  1e21,
  1e300,
  -1e-7,
  123456.789,
];

/** What SQLite stores in a column of each affinity for each value (bound as skyql binds it), read exactly. */
function sqliteStores(affinity: Affinity): unknown[] {
  const db = new DatabaseSync(':memory:');
  try {
    db.exec(`CREATE TABLE t (v ${affinity})`);
    const insert = db.prepare('INSERT INTO t (rowid, v) VALUES (?, ?)');
    VALUES.forEach((value, i) => insert.run(i + 1, sqliteValue(value)));
    const select = db.prepare('SELECT v FROM t ORDER BY rowid');
    select.setReadBigInts(true);
    return select.all().map((row) => (row as { v: unknown }).v);
  } finally {
    db.close();
  }
}

/** What JavaScript says the column holds, as the same exact value (an INTEGER as bigint). */
function javascriptStores(affinity: Affinity): unknown[] {
  return VALUES.map((value) => {
    const stored = inAffinity(value, affinity, answers);
    const exact = answers.stored(value, affinity);
    expect(stored).toBe(typeof exact === 'bigint' ? Number(exact) : exact);
    if (typeof exact === 'string') return exact;
    return typeof exact === 'bigint' || Number.isSafeInteger(exact) ? BigInt(exact) : exact;
  });
}

describe('values in a column of a declared type', () => {
  for (const affinity of ['TEXT', 'INTEGER', 'NUMERIC'] as const) {
    it(`${affinity}: JavaScript holds what SQLite stores`, () => {
      expect(javascriptStores(affinity)).toEqual(sqliteStores(affinity));
    });
  }

  it('maps the spec types as StackQL does, numbers and booleans to NUMERIC', () => {
    expect(['string', 'object', 'array', 'integer', 'number', 'boolean', undefined].map((type) => affinityOf(type as never))).toEqual([
      'TEXT',
      'TEXT',
      'TEXT',
      'INTEGER',
      'NUMERIC',
      'NUMERIC',
      undefined,
    ]);
    expect(affinityOf('constructor' as never)).toBeUndefined();
  });

  it("declares a source's stored fields, not its params; a materialized view's columns by the field they came from", () => {
    const [planned] = createEngine().plan(
      `SELECT runId, durationInMs, isLatest, invokedBy, factoryName FROM azure.data_factory.pipeline_runs
       WHERE subscriptionId = '00000000-0000-0000-0000-000000000000' AND resourceGroupName = 'rg' AND factoryName = 'factory-1' AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`,
    );
    if (planned.plan.kind !== 'select') throw new Error('not a SELECT');
    const [source] = planned.plan.sources;
    const affinities = Object.fromEntries(source.storedColumns.map((column, i) => [column, storedAffinities(source)[i]]));
    expect(affinities).toMatchObject({ runId: 'TEXT', durationInMs: 'INTEGER', isLatest: 'NUMERIC', invokedBy: 'TEXT', factoryName: undefined });
    const view = storedSource(0, { name: 'v', query: '', columns: ['n', 'total', 'label'], types: ['integer', undefined, 'string'] });
    expect(storedAffinities(view)).toEqual(['INTEGER', undefined, 'TEXT']);
  });
});
