// Cancellation checks in local queries that can run away (src/sql/cancel-checks.ts): where the
// calls go, that they never change a query's rows, and which queries get none.

import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { SelectStatement } from '../../../src/sql/ast.ts';
import { tokenize } from '../../../src/sql/lexer.ts';
import { parseStatement } from '../../../src/sql/parse.ts';
import { createEngine } from '../../../src/index.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { outlineSelect, OutlineError } from '../../../src/sql/select-outline.ts';

const F = 'azure.data_factory.factories';
const P = 'azure.data_factory.pipelines';
const local = (sql: string) => (parseStatement(sql).statement as SelectStatement).local;
/** The texts with checks, best first. */
const textsOf = (sql: string) => {
  const { cancellable } = local(sql);
  if (!cancellable || 'error' in cancellable) throw new Error(`no checks: ${sql}`);
  return cancellable.texts;
};
const cancellableText = (sql: string) => textsOf(sql)[0];

describe('where the checks go', () => {
  it('a recursive CTE: its recursive member, and each SELECT that reads a FROM', () => {
    expect(cancellableText('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c')).toBe(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE skyql_continue("c"."x")) SELECT count(*) FROM c WHERE skyql_continue("c"."x")',
    );
  });

  it('a WHERE keeps its meaning (parenthesised), before a LIMIT of the CTE', () => {
    expect(cancellableText('WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10 OR x > 100 LIMIT 5) SELECT x FROM c')).toBe(
      'WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE ( x < 10 OR x > 100) AND skyql_continue("c"."x") LIMIT 5) SELECT x FROM c WHERE skyql_continue("c"."x")',
    );
  });

  it('a join names the rowid of each fetched table (alias or local table), so the check runs in its innermost loop', () => {
    expect(cancellableText(`SELECT f.name FROM ${F} AS f CROSS JOIN ${P} AS "p q", json_each(f.tags) j WHERE "p q".x = 'a' GROUP BY f.name`)).toBe(
      'SELECT f.name FROM "__skyql_0" AS f CROSS JOIN "__skyql_1" AS "p q", json_each(f.tags) j WHERE ( "p q".x = ?) AND skyql_continue("f".rowid, "p q".rowid) GROUP BY f.name',
    );
    expect(cancellableText(`SELECT count(*) FROM ${F}, ${P}`)).toBe(
      'SELECT count(*) FROM "__skyql_0", "__skyql_1" WHERE skyql_continue("__skyql_0".rowid, "__skyql_1".rowid)',
    );
  });

  it("a subquery or CTE in a join is given by its first column: its alias, its column, or the expression's text (none for `*`)", () => {
    expect(
      cancellableText(
        `WITH d AS (SELECT DISTINCT f.name AS n, x FROM ${F} f), e AS (SELECT * FROM ${F}) SELECT count(*) FROM d a, d, e, (SELECT x FROM ${P}) s, (SELECT x + 1 FROM ${P}) t, (VALUES (1)) v`,
      ),
    ).toBe(
      'WITH d AS (SELECT DISTINCT f.name AS n, x FROM "__skyql_0" f WHERE skyql_continue("f".rowid)), e AS (SELECT * FROM "__skyql_1" WHERE skyql_continue("__skyql_1".rowid)) ' +
        'SELECT count(*) FROM d a, d, e, (SELECT x FROM "__skyql_2" WHERE skyql_continue("__skyql_2".rowid)) s, (SELECT x + 1 FROM "__skyql_3" WHERE skyql_continue("__skyql_3".rowid)) t, (VALUES (1)) v ' +
        'WHERE skyql_continue("a"."n", "d"."n", "s"."x", "t"."x + 1", "v"."column1")',
    );
  });

  it('subqueries get their own checks', () => {
    expect(cancellableText(`SELECT name FROM ${F} f WHERE EXISTS (SELECT 1 FROM ${P} p WHERE p.x = f.x) ORDER BY 1`)).toBe(
      'SELECT name FROM "__skyql_0" f WHERE ( EXISTS (SELECT 1 FROM "__skyql_1" p WHERE ( p.x = f.x) AND skyql_continue("p".rowid))) AND skyql_continue("f".rowid) ORDER BY 1',
    );
  });

  it('none where the work is bounded by the rows fetched: one FROM item and no recursion', () => {
    expect(local(`SELECT name FROM ${F} WHERE x IN (1, 2) ORDER BY name`).cancellable).toBeUndefined();
    expect(local(`SELECT count(*), (SELECT 1) FROM ${F} GROUP BY name HAVING count(*) > 1`).cancellable).toBeUndefined();
  });

  it('the outline refuses text it cannot follow, saying where', () => {
    const error = (() => {
      try {
        outlineSelect(tokenize('SELECT x FROM ('));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OutlineError);
    expect((error as OutlineError).message).toBe('expected a name at the end');
  });
});

describe('the planner takes the best way SQLite prepares', () => {
  it("a wrong guess at a column's name (a hyphenated alias without AS) falls back to checks without it", () => {
    const engine = createEngine({ credential: fakeCredential() });
    const sql = `SELECT count(*) FROM (SELECT DISTINCT name my-name FROM ${F} WHERE subscriptionId = 's') a, (SELECT DISTINCT name FROM ${F} WHERE subscriptionId = 's') b`;
    const [{ plan }] = engine.plan(sql);
    expect(textsOf(sql)[0]).toContain('skyql_continue("a"."name ""my-name""", "b"."name")');
    expect(plan.kind === 'select' && plan.query.cancellableText).toMatch(/\) a, \(.*\) b WHERE skyql_continue\(\)$/);
  });
});

describe('the checks never change the rows', () => {
  const QUERIES = [
    `SELECT f.name, p.name FROM ${F} f JOIN ${P} p ON p.x = f.x ORDER BY 1, 2`,
    `SELECT count(*) FROM ${F}, ${P}`,
    `SELECT f.name FROM ${F} f LEFT JOIN ${P} p ON p.x = f.x WHERE p.name IS NULL OR f.x > 1 ORDER BY 1`,
    `SELECT f.name FROM ${F} f LEFT OUTER JOIN ${P} p ON p.x = f.x AND p.name <> 'b' GROUP BY f.name ORDER BY 1`,
    `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n, name FROM c, ${F} ORDER BY n, name`,
    `WITH c(n) AS (SELECT x FROM ${F} UNION SELECT x FROM ${P}) SELECT * FROM c ORDER BY n`,
    `SELECT name FROM ${F} WHERE x IN (SELECT x FROM ${P} WHERE name <> 'z') ORDER BY name`,
    `SELECT f.name, (SELECT count(*) FROM ${P} p WHERE p.x <= f.x) AS k FROM ${F} f ORDER BY f.name`,
    `SELECT f.name, j.value FROM ${F} f, json_each(f.tags) j WHERE j.value = 'x' ORDER BY 1`,
    `SELECT name FROM ${F} UNION ALL SELECT name FROM ${P} ORDER BY 1 LIMIT 3`,
    `SELECT f.x, count(*) AS n FROM ${F} f JOIN ${P} p ON p.x = f.x GROUP BY f.x HAVING count(*) > 0 ORDER BY 1`,
    `SELECT count(*) FROM ${F} f JOIN ${P} p USING (x)`,
    `SELECT f.name FROM ${F} f, ${P} p WHERE f.name <> 'ORDER BY x' AND p.x = f.x ORDER BY 1`,
    `SELECT f.name, row_number() OVER (ORDER BY f.name) AS r FROM ${F} f, ${P} p WHERE p.x = f.x ORDER BY 1, 2`,
    `SELECT s.n FROM (SELECT x AS n FROM ${F}) s, ${P} p WHERE p.x = s.n ORDER BY 1`,
    `SELECT name FROM ${F} f WHERE EXISTS (SELECT 1 FROM ${P} p WHERE p.x = f.x) ORDER BY 1`,
    `WITH d AS (SELECT DISTINCT x AS k FROM ${F}) SELECT a.k, b.k FROM d a LEFT JOIN d b ON b.k > a.k ORDER BY 1, 2`,
    `SELECT a.x, count(*) FROM (SELECT x FROM ${F} GROUP BY x) a, (SELECT DISTINCT p.name FROM ${P} p) b, (VALUES (1), (2)) v GROUP BY a.x ORDER BY 1`,
    `WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 4) SELECT a.i, b.i FROM n a, n b WHERE a.i < b.i ORDER BY 1, 2`,
    `SELECT count(*) FROM (SELECT DISTINCT x  +  1 FROM ${F}) a, (SELECT DISTINCT (x) FROM ${P}) b, (SELECT DISTINCT name COLLATE nocase FROM ${P}) c, (SELECT DISTINCT json_extract(tags, '$[0]') FROM ${F}) d`,
    `SELECT count(*) FROM (SELECT DISTINCT x k FROM ${F}) a, (SELECT DISTINCT count(*) n FROM ${P}) b, (SELECT DISTINCT TRUE FROM ${P}) c, (SELECT DISTINCT "name" FROM ${F}) d, (SELECT DISTINCT p.x FROM ${P} p) e`,
    `SELECT count(*) FROM (SELECT DISTINCT CASE WHEN x > 1 THEN 'a' ELSE 'b' END FROM ${F}) a, (SELECT DISTINCT x IS NOT NULL FROM ${P}) b, (SELECT DISTINCT -x FROM ${P}) c`,
  ];

  const db = new DatabaseSync(':memory:');
  let calls = 0;
  db.function('skyql_continue', { deterministic: false, varargs: true }, () => {
    calls++;
    return 1;
  });
  // Local tables in the order a statement names its resources; the even ones hold 3 rows, the odd ones 4.
  for (let i = 0; i < 6; i++) {
    db.exec(`CREATE TABLE "__skyql_${i}" (name, x, tags)`);
    db.exec(
      i % 2 === 0
        ? `INSERT INTO "__skyql_${i}" VALUES ('a', 1, '["x","y"]'), ('b', 2, '["x"]'), ('c', 3, '{}')`
        : `INSERT INTO "__skyql_${i}" VALUES ('p', 1, '[]'), ('q', 2, '[1]'), ('r', 2, '[]'), ('z', 4, '[]')`,
    );
  }

  for (const sql of QUERIES) {
    it(sql, () => {
      const query = local(sql);
      const params = query.bindings.map((binding) => binding.value as string);
      const expected = db.prepare(query.text).all(...params);
      // Every way gives the rows; the best one prepares here, so no query of these needs a fallback.
      for (const text of textsOf(sql)) {
        calls = 0;
        expect(db.prepare(text).all(...params)).toEqual(expected);
        expect(calls).toBeGreaterThan(0);
      }
    });
  }

  it('a cross join checks once per row of its innermost loop, of fetched tables or of derived ones', () => {
    calls = 0;
    db.prepare(cancellableText(`SELECT count(*) FROM ${F}, ${P}`)).all();
    expect(calls).toBe(3 * 4);
    calls = 0;
    db.prepare(cancellableText(`SELECT count(*) FROM (SELECT DISTINCT x FROM ${F}) a, (SELECT DISTINCT x + 0 FROM ${P}) b`)).all();
    expect(calls).toBe(3 + 4 + 3 * 3);
  });
});
