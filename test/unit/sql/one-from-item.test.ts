// readsOneFromItem (src/sql/cancel-checks.ts) lets a SELECT skip its outline when its tokens
// plainly read one FROM item at most. It must never say so of a query the outline finds can run
// away: checked here against the outline on tricky statements and, with ../shared, on every
// SELECT of StackQL's corpus.

import { expect, it } from 'vitest';
import { cancelCheckEdits, readsOneFromItem } from '../../../src/sql/cancel-checks.ts';
import { isKeyword, tokenize } from '../../../src/sql/lexer.ts';
import { OutlineError, outlineSelect } from '../../../src/sql/select-outline.ts';
import { splitStatements } from '../../../src/sql/split.ts';
import { readCorpus } from '../../conformance/stackql/corpus.ts';
import { needsShared, sharedPath } from '../../helpers/shared.ts';

const shared = needsShared('readsOneFromItem against the outline on the StackQL corpus');

const F = 'azure.data_factory.factories';

/** What the outline says: true when the query can run away, undefined when it cannot be outlined. */
function outlineMayRunAway(sql: string): boolean | undefined {
  try {
    const edits = cancelCheckEdits(outlineSelect(tokenize(sql)), { tableOf: () => undefined, textOf: () => '' });
    return edits !== undefined;
  } catch (error) {
    if (error instanceof OutlineError) return undefined;
    throw error;
  }
}

const BOUNDED = [
  `SELECT name FROM ${F} WHERE x IN (1, 2) ORDER BY name`,
  `SELECT count(*), (SELECT 1) FROM ${F} GROUP BY name HAVING count(*) > 1`,
  `SELECT json_extract(properties, '$.a, b FROM c') AS "from" FROM ${F} LIMIT 5`,
  'SELECT 1',
  `SELECT (SELECT max(x) FROM ${F}) AS m`,
  `SELECT name FROM ${F} /* FROM a, b JOIN c */ WHERE name = 'x'`,
  `SELECT name FROM ${F} f WHERE f.x = 1 UNION ALL SELECT 2`,
];

const UNBOUNDED = [
  `SELECT 1 FROM ${F} a, ${F} b`,
  `SELECT 1 FROM ${F} a JOIN ${F} b ON a.x = b.x`,
  `SELECT 1 FROM ${F} a CROSS JOIN ${F} b`,
  // WINDOW is a name here (SQLite reads it as a keyword only in `WINDOW w AS (…)`): two items.
  `SELECT 1 FROM ${F} window, ${F} b`,
  `SELECT 1 FROM ${F} a NATURAL JOIN ${F} b`,
  `SELECT name FROM ${F} f, json_each(f.tags)`,
  `SELECT name FROM (${F} a JOIN ${F} b ON a.x = b.x)`,
  `SELECT name FROM (SELECT name FROM ${F} a, ${F} b)`,
  `SELECT name FROM ${F} WHERE EXISTS (SELECT 1 FROM ${F} g WHERE g.x = 1)`,
  `SELECT name FROM ${F} UNION SELECT name FROM ${F}`,
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
  `WITH c AS (SELECT name FROM ${F}) SELECT name FROM c`,
];

it('says so of queries that read one FROM item at most, and the outline agrees', () => {
  for (const sql of BOUNDED) {
    expect(readsOneFromItem(tokenize(sql)), sql).toBe(true);
    expect(outlineMayRunAway(sql), sql).toBe(false);
  }
});

it('leaves every query with a second FROM, a join, a comma, a parenthesis or a CTE to the outline', () => {
  for (const sql of UNBOUNDED) expect(readsOneFromItem(tokenize(sql)), sql).toBe(false);
  expect(UNBOUNDED.filter((sql) => outlineMayRunAway(sql) === true).length).toBeGreaterThan(8);
});

shared.it('never says so of a SELECT in StackQL corpus that the outline finds can run away', () => {
  const selects = readCorpus(sharedPath('conformance/stackql/corpus.jsonl')).flatMap((entry) => {
    const text = entry.sql;
    return splitStatements(tokenize(text))
      .filter((part) => isKeyword(part.tokens[0], 'SELECT', 'WITH'))
      .map((part) => text.slice(part.offset, part.end));
  });
  expect(selects.length).toBeGreaterThan(100);
  const plain = selects.filter((sql) => readsOneFromItem(tokenize(sql)));
  expect(plain.filter((sql) => outlineMayRunAway(sql) === true)).toEqual([]);
  // Most statements users write read one resource: the scan decides them.
  expect(plain.length).toBeGreaterThan(selects.length / 2);
});
