import { afterEach, expect, it } from 'vitest';
import { SqliteChecker } from '../../../src/exec/local-checker.ts';

const runs = [{ table: '__skyql_0', columns: ['runId', 'status', 'durationInMs'] }];
const checkers: SqliteChecker[] = [];
const newChecker = () => {
  const checker = new SqliteChecker();
  checkers.push(checker);
  return checker;
};
afterEach(() => {
  for (const checker of checkers.splice(0)) checker.close();
});

it('says whether a query prepares, and names its columns only when asked', () => {
  const checker = newChecker();
  const text = 'SELECT runId AS id, durationInMs / 1000 FROM "__skyql_0" WHERE status = ?';
  // Checked twice without its columns (kept from its second check), then with them, then without.
  expect(checker.prepare(text, runs)).toEqual({});
  expect(checker.prepare(text, runs)).toEqual({});
  expect(checker.prepare(text, runs, { columns: true })).toEqual({ columns: ['id', 'durationInMs / 1000'] });
  expect(checker.prepare(text, runs).error).toBeUndefined();
  expect(checker.prepare(text, runs, { columns: true }).columns).toEqual(['id', 'durationInMs / 1000']);
});

it("gives SQLite's error, naming the statement's tables, whether or not the columns are asked for", () => {
  const checker = newChecker();
  const text = 'SELECT nope FROM "__skyql_0"';
  for (const options of [{}, { columns: true }, {}]) {
    const { error, columns } = checker.prepare(text, runs, options);
    expect(columns).toBeUndefined();
    expect((error as Error).message).toMatch(/no such column: nope/);
  }
  expect((checker.prepare('SELECT * FROM "__skyql_0" JOIN "__skyql_0" USING (x)', runs).error as Error).message).not.toMatch(/check/);
});

it('keeps what SQLite said of a query from its second check (most new statements come once)', () => {
  const checker = newChecker();
  const text = 'SELECT runId FROM "__skyql_0"';
  const misses = () => checker.stats().find((stats) => stats.name === 'check.local-queries')!;
  checker.prepare(text, runs);
  checker.prepare(text, runs);
  expect(misses()).toMatchObject({ size: 1, hits: 0, misses: 2 });
  checker.prepare(text, runs);
  expect(misses()).toMatchObject({ size: 1, hits: 1, misses: 2 });
  // Another table for the same text is another check.
  expect(checker.prepare(text, [{ table: '__skyql_0', columns: ['status'] }]).error).toBeDefined();
});
