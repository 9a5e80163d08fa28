// Column names that are SQLite keywords (`values`, `default`, `index`, `primary`, …): StackQL reads
// `SELECT tagName, values FROM azure.resources.tags` as written, and so must skyql. Wherever the
// parser takes such a word as a name, the SQL SQLite runs must too (normalize.ts,
// sqliteNameEdits): checked for every SQLite keyword, then end to end against a mock.

import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, EngineError, type Engine } from '../../../src/index.ts';
import { parseStatement } from '../../../src/sql/parse.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const SUB = '00000000-0000-0000-0000-000000000000';
const TAGS = 'azure.resources.tags';

/** SQLite's keywords (https://sqlite.org/lang_keywords.html). */
const SQLITE_KEYWORDS = `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN
  BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
  CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT
  EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF
  IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT
  MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN
  PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING
  RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION
  UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`
  .split(/\s+/)
  .map((word) => word.toLowerCase());
/** Keywords a SELECT uses after an operand, which stay keywords to SQLite (sqliteNameEdits leaves them). */
const LEFT_AS_KEYWORDS = ['collate', 'escape', 'isnull', 'notnull', 'raise'];

function planError(engine: Engine, sql: string): EngineError | undefined {
  try {
    engine.plan(sql);
    return undefined;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
}

describe('a keyword the parser reads as a column name', () => {
  const engine = createEngine({ cacheDir: false });
  afterAll(() => engine.close());

  it('is a column name to SQLite too, in the select list, WHERE and ORDER BY', () => {
    const named: string[] = [];
    for (const word of SQLITE_KEYWORDS.filter((keyword) => !LEFT_AS_KEYWORDS.includes(keyword))) {
      const sql = `SELECT tagName, ${word} FROM ${TAGS} WHERE subscriptionId = '${SUB}' AND ${word} IS NOT NULL ORDER BY ${word}`;
      try {
        parseStatement(sql);
      } catch {
        continue; // Not a name to the parser: refused before SQLite sees it.
      }
      named.push(word);
      // The resource has no such column (but `values`): SQLite says so, rather than a syntax error;
      // or the word is a value to SQLite (`current_date`).
      const error = planError(engine, sql);
      expect([undefined, 'PLAN_UNKNOWN_COLUMN'], `${sql}: ${error?.message}`).toContain(error?.code);
    }
    // The words this is about: before, each was a SQLite syntax error (SQL_LOCAL).
    expect(named).toEqual(expect.arrayContaining(['values', 'default', 'index', 'primary', 'unique', 'references', 'to']));
    expect(planError(engine, `SELECT tagName, values FROM ${TAGS} WHERE subscriptionId = '${SUB}'`)).toBeUndefined();
  });

  it('after a table alias too (t.limit, t.order, t.values): a name to the parser is a name to SQLite', () => {
    const named: string[] = [];
    for (const word of SQLITE_KEYWORDS) {
      const sql = `SELECT t.tagName, t.${word} FROM ${TAGS} t WHERE t.subscriptionId = '${SUB}' AND t.${word} IS NOT NULL ORDER BY t.${word}`;
      try {
        parseStatement(sql);
      } catch {
        continue;
      }
      named.push(word);
      const error = planError(engine, sql);
      expect([undefined, 'PLAN_UNKNOWN_COLUMN'], `${sql}: ${error?.message}`).toContain(error?.code);
    }
    expect(named).toEqual(expect.arrayContaining(['limit', 'order', 'values', 'key']));
  });

  it('keeps CAST(…) and a VALUES list as SQLite reads them', () => {
    const [planned] = engine.plan(
      `SELECT CAST(count AS TEXT) AS n, values FROM ${TAGS} WHERE subscriptionId = '${SUB}' AND tagName IN (SELECT column1 FROM (VALUES ('env'), ('team')))`,
    );
    const text = (planned.plan as { query: { text: string } }).query.text;
    expect(text).toContain('CAST(count AS TEXT)');
    expect(text).toContain('(VALUES (?), (?))');
    expect(text).toContain(', "values" FROM');
  });
});

describe('SELECT of a field named values, run', () => {
  let server: MockServer;
  let engine: Engine;
  beforeAll(async () => {
    server = await startMockServer([
      http.get('*/subscriptions/:subscriptionId/tagNames', () =>
        HttpResponse.json({
          value: [
            {
              id: `/subscriptions/${SUB}/tagNames/env`,
              tagName: 'env',
              count: { type: 'Total', value: 2 },
              values: [{ tagValue: 'prod' }, { tagValue: 'dev' }],
            },
            { id: `/subscriptions/${SUB}/tagNames/team`, tagName: 'team', count: { type: 'Total', value: 1 }, values: [{ tagValue: 'data' }] },
          ],
        }),
      ),
    ]);
    engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, cacheDir: false, pacing: false });
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
  });

  it('answers with the field, as StackQL does', async () => {
    const result = await engine.query(
      `SELECT tagName, values, json_array_length(values) AS n FROM ${TAGS} WHERE subscriptionId = '${SUB}' ORDER BY json_array_length(values) DESC`,
    );
    expect(result.columns).toEqual(['tagName', 'values', 'n']);
    expect(result.rows).toEqual([
      { tagName: 'env', values: '[{"tagValue":"prod"},{"tagValue":"dev"}]', n: 2 },
      { tagName: 'team', values: '[{"tagValue":"data"}]', n: 1 },
    ]);
  });
});
