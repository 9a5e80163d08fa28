// The functions StackQL users call in local SQL (split_part, regexp_like, regexp_substr,
// regexp_replace, json_equal): their edge cases on a local database as skyql opens it, then each
// through a real SELECT planned and run by the engine against the mock fleet (in-process, while
// streaming, and on the worker thread), and the plan-time checker knowing them.

import type { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, EngineError } from '../../../src/index.ts';
import { openLocalDatabase } from '../../../src/exec/sqlite.ts';
import { defaultFleet, FLEET_SUBSCRIPTION as SUB, fleetHandlers } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

let db: DatabaseSync;
beforeAll(() => {
  db = openLocalDatabase();
});
afterAll(() => db.close());

/** The one value of `SELECT <expression>`, with params bound. */
function value(expression: string, ...params: (string | number | bigint | null | Uint8Array)[]): unknown {
  return Object.values(db.prepare(`SELECT ${expression} AS v`).get(...params) as Record<string, unknown>)[0];
}

/** The error `SELECT <expression>` fails with. */
function failure(expression: string, ...params: (string | number | null)[]): Error {
  try {
    value(expression, ...params);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`SELECT ${expression} did not fail`);
}

describe('split_part(text, delimiter, n)', () => {
  it('gives the nth field, 1-based', () => {
    expect(value("split_part('a-b-c', '-', 1)")).toBe('a');
    expect(value("split_part('a-b-c', '-', 2)")).toBe('b');
    expect(value("split_part('a-b-c', '-', 3)")).toBe('c');
    expect(value("split_part('abc~@~def~@~ghi', '~@~', 2)")).toBe('def');
    expect(value("split_part('α→β→γ', '→', 2)")).toBe('β');
  });

  it('counts from the end when n is negative (-1 is the last field)', () => {
    expect(value("split_part('/subscriptions/s/resourceGroups/rg', '/', -1)")).toBe('rg');
    expect(value("split_part('a-b-c', '-', -2)")).toBe('b');
    expect(value("split_part('a-b-c', '-', -3)")).toBe('a');
  });

  it('gives empty text for a field out of range, and for empty fields', () => {
    expect(value("split_part('a-b-c', '-', 4)")).toBe('');
    expect(value("split_part('a-b-c', '-', -4)")).toBe('');
    expect(value("split_part('a-b-c', '-', 9223372036854775807)")).toBe('');
    expect(value("split_part('a-b-c', '-', -9223372036854775808)")).toBe('');
    expect(value("split_part('a-b-', '-', 3)")).toBe('');
    expect(value("split_part('a-b-', '-', -1)")).toBe('');
    expect(value("split_part('', '-', 1)")).toBe('');
    expect(value("split_part('abc', '-', 1)")).toBe('abc');
    expect(value("split_part('abc', '-', 2)")).toBe('');
  });

  it('with an empty delimiter, gives the whole text as field 1 (or -1), else empty text', () => {
    expect(value("split_part('abc', '', 1)")).toBe('abc');
    expect(value("split_part('abc', '', -1)")).toBe('abc');
    expect(value("split_part('abc', '', 2)")).toBe('');
    expect(value("split_part('abc', '', -2)")).toBe('');
    expect(value("split_part('', '', 1)")).toBe('');
  });

  it('is NULL when any argument is NULL', () => {
    expect(value("split_part(NULL, '-', 1)")).toBeNull();
    expect(value("split_part('a-b', NULL, 1)")).toBeNull();
    expect(value("split_part('a-b', '-', NULL)")).toBeNull();
  });

  it('fails for field 0, and for a field number that is not an integer', () => {
    expect(failure("split_part('a-b', '-', 0)").message).toMatch(/^split_part: field position must not be zero$/);
    expect(failure("split_part('a-b', '-', 1.5)").message).toMatch(/^split_part: field position must be an integer/);
    expect(failure("split_part('a-b', '-', 'x')").message).toMatch(/^split_part: field position must be an integer/);
  });

  it('reads a field number given as a whole REAL or as integer text', () => {
    expect(value("split_part('a-b', '-', 2.0)")).toBe('b');
    expect(value("split_part('a-b', '-', ' -1 ')")).toBe('b');
  });

  it('reads numbers and blobs as SQLite converts them to text', () => {
    expect(value("split_part(12.5, '.', 2)")).toBe('5');
    expect(value('split_part(1234, 3, 1)')).toBe('12');
    expect(value("split_part(100.0, '.', 2)")).toBe('0');
    expect(value("split_part(1e20, 'e', 2)")).toBe('+20');
    expect(value("split_part(x'612d62', '-', 2)")).toBe('b');
    expect(value("split_part(?, '.', 1)", 3.25)).toBe('3');
    expect(value("split_part(?, '.', -1)", 2n ** 62n)).toBe(String(2n ** 62n));
  });

  it('is text, and deterministic (usable in an index expression)', () => {
    expect(value("typeof(split_part('a-b', '-', 1))")).toBe('text');
    db.exec('CREATE TABLE ids (id TEXT)');
    db.exec("CREATE INDEX ids_last ON ids (split_part(id, '/', -1))");
    db.exec("INSERT INTO ids VALUES ('/a/b'), ('/c/d')");
    expect(db.prepare("SELECT id FROM ids WHERE split_part(id, '/', -1) = 'd'").all()).toEqual([{ id: '/c/d' }]);
  });
});

describe('regexp_like(text, pattern [, flags])', () => {
  it('is 1 when the pattern matches anywhere in the text, else 0 (INTEGER)', () => {
    expect(value("regexp_like('abc', 'b')")).toBe(1);
    expect(value("regexp_like('abc', '^b')")).toBe(0);
    expect(value("regexp_like('abc', '^a.c$')")).toBe(1);
    expect(value("typeof(regexp_like('abc', 'b'))")).toBe('integer');
  });

  it('takes RE2 syntax (Unicode classes, named groups, \\z)', () => {
    expect(value("regexp_like('Straße', '^\\pL+$')")).toBe(1);
    expect(value("regexp_like('a1', '(?P<letter>[a-z])(?<digit>\\d)\\z')")).toBe(1);
    expect(value("regexp_like('ABC', '(?i)b')")).toBe(1);
  });

  it('takes flags: i (case-insensitive), m (multi-line), s (. matches \\n)', () => {
    expect(value("regexp_like('ABC', 'b', 'i')")).toBe(1);
    expect(value("regexp_like('ABC', 'b', '')")).toBe(0);
    expect(value("regexp_like('a' || char(10) || 'b', '^b$', 'm')")).toBe(1);
    expect(value("regexp_like('a' || char(10) || 'b', '^b$')")).toBe(0);
    expect(value("regexp_like('a' || char(10) || 'b', 'a.b', 's')")).toBe(1);
    expect(value("regexp_like('a' || char(10) || 'b', 'a.b')")).toBe(0);
    expect(failure("regexp_like('a', 'a', 'x')").message).toBe("regexp_like: unknown flag 'x' (flags are i, m and s)");
  });

  it('is NULL when an argument is NULL', () => {
    expect(value("regexp_like(NULL, 'a')")).toBeNull();
    expect(value("regexp_like('a', NULL)")).toBeNull();
    expect(value("regexp_like('a', 'a', NULL)")).toBeNull();
  });

  it("fails with RE2's message for a pattern RE2 refuses", () => {
    expect(failure("regexp_like('a', '(a')").message).toBe('regexp_like: error parsing regexp: missing closing ): `(a`');
    expect(failure("regexp_like('a', 'a**')").message).toBe('regexp_like: error parsing regexp: invalid nested repetition operator: `**`');
    // Lookarounds and backreferences are not RE2.
    expect(failure("regexp_like('a', '(?=a)')").message).toMatch(/^regexp_like: error parsing regexp: /);
    expect(failure("regexp_like('aa', '(a)\\1')").message).toMatch(/^regexp_like: error parsing regexp: /);
  });

  it('reads numbers as text', () => {
    expect(value("regexp_like(12345, '^\\d+$')")).toBe(1);
    expect(value("regexp_like(1.5, '^1\\.5$')")).toBe(1);
  });

  it('runs a catastrophic pattern in linear time: (a+)+$ on a long run of a then b', () => {
    const text = `${'a'.repeat(100_000)}b`;
    expect(value("regexp_like(?, '(a+)+$')", text)).toBe(0);
    expect(value("regexp_like(?, '^(a|aa)+$')", text)).toBe(0);
    expect(value("regexp_substr(?, '(a+)+b')", text)).toBe(text);
    expect(value("regexp_replace(?, '(a+)+$', 'x')", text)).toBe(text);
    expect(value("regexp_replace(?, '(a+)+b$', '[$1]')", text)).toBe(`[${'a'.repeat(100_000)}]`);
  });
});

describe('regexp_substr(text, pattern)', () => {
  it('gives the first match, or NULL', () => {
    expect(value("regexp_substr('abc123def456', '\\d+')")).toBe('123');
    expect(value("regexp_substr('abc', '\\d+')")).toBeNull();
    expect(value("regexp_substr('abc', 'x*')")).toBe('');
  });

  it('prefers the leftmost-first alternative, as Go does (not the longest)', () => {
    expect(value("regexp_substr('abcd', 'a|ab')")).toBe('a');
    expect(value("regexp_substr('abcd', 'ab|abc')")).toBe('ab');
    expect(value("regexp_substr('abbb', 'ab+?')")).toBe('ab');
  });

  it('is NULL when an argument is NULL, and fails for a bad pattern', () => {
    expect(value("regexp_substr(NULL, 'a')")).toBeNull();
    expect(value("regexp_substr('a', NULL)")).toBeNull();
    expect(failure("regexp_substr('a', '[a')").message).toBe('regexp_substr: error parsing regexp: missing closing ]: `[a`');
  });
});

describe('regexp_replace(text, pattern, replacement [, flags])', () => {
  it('replaces every match', () => {
    expect(value("regexp_replace('a1b22c333', '\\d+', '#')")).toBe('a#b#c#');
    expect(value("regexp_replace('abc', 'x', '#')")).toBe('abc');
    expect(value("regexp_replace('aaa', 'a', 'aa')")).toBe('aaaaaa');
  });

  it("expands $n, ${n}, $name and ${name} as Go's ReplaceAllString does", () => {
    expect(value("regexp_replace('John Smith', '(\\w+) (\\w+)', '$2, $1')")).toBe('Smith, John');
    expect(value("regexp_replace('2024-01-15', '(?P<y>\\d+)-(?P<m>\\d+)-(?P<d>\\d+)', '${d}/${m}/$y')")).toBe('15/01/2024');
    expect(value("regexp_replace('abc', 'b', '[$0]')")).toBe('a[b]c');
    // $1x names a group "1x", which does not exist: it expands to nothing. ${1}x is group 1, then x.
    expect(value("regexp_replace('abc', '(b)', '$1x')")).toBe('ac');
    expect(value("regexp_replace('abc', '(b)', '${1}x')")).toBe('abxc');
    expect(value("regexp_replace('abc', '(b)', '$9')")).toBe('ac');
    expect(value("regexp_replace('abc', '(b)|(z)', '<$2>')")).toBe('a<>c');
  });

  it('keeps $$ as $, a $ that names nothing as $, and backslashes as they are', () => {
    expect(value("regexp_replace('abc', 'b', '$$')")).toBe('a$c');
    expect(value("regexp_replace('abc', 'b', 'x$')")).toBe('ax$c');
    expect(value("regexp_replace('abc', 'b', '${')")).toBe('a${c');
    expect(value("regexp_replace('abc', 'b', '${1')")).toBe('a${1c');
    expect(value("regexp_replace('abc', 'b', '$-')")).toBe('a$-c');
    expect(value("regexp_replace('abc', 'b', '\\1\\n')")).toBe('a\\1\\nc');
  });

  it('treats empty matches as Go does: never right after a match, always advancing', () => {
    expect(value("regexp_replace('baaac', 'a*', 'X')")).toBe('XbXcX');
    expect(value("regexp_replace('abc', '', '-')")).toBe('-a-b-c-');
    expect(value("regexp_replace('', '', '-')")).toBe('-');
    expect(value("regexp_replace('', 'a', '-')")).toBe('');
    expect(value("regexp_replace('αβ', '', '-')")).toBe('-α-β-');
    expect(value("regexp_replace('😀x', '', '-')")).toBe('-😀-x-');
    expect(value("regexp_replace('a b', '\\b', '|')")).toBe('|a| |b|');
  });

  it('anchors ^ at the start of the text only (unless flag m)', () => {
    expect(value("regexp_replace('aaa', '^a', 'b')")).toBe('baa');
    expect(value("regexp_replace('a' || char(10) || 'a', '^a', 'b', 'm')")).toBe(`b\nb`);
  });

  it('takes the flags regexp_like takes', () => {
    expect(value("regexp_replace('ABC', 'b', 'x', 'i')")).toBe('AxC');
    expect(failure("regexp_replace('ABC', 'b', 'x', 'g')").message).toBe("regexp_replace: unknown flag 'g' (flags are i, m and s)");
  });

  it('is NULL when an argument is NULL, and fails for a bad pattern', () => {
    expect(value("regexp_replace(NULL, 'a', 'b')")).toBeNull();
    expect(value("regexp_replace('a', NULL, 'b')")).toBeNull();
    expect(value("regexp_replace('a', 'a', NULL)")).toBeNull();
    expect(value("regexp_replace('a', 'a', 'b', NULL)")).toBeNull();
    expect(failure("regexp_replace('a', 'a{1001}', 'b')").message).toMatch(/^regexp_replace: error parsing regexp: invalid repeat count/);
  });
});

describe('json_equal(a, b)', () => {
  it('ignores object key order and whitespace; arrays are ordered', () => {
    expect(value(`json_equal('{"a":1,"b":[1,{"c":null}]}', ' { "b" : [1, {"c": null}], "a": 1 } ')`)).toBe(1);
    expect(value("json_equal('[1,2]', '[2,1]')")).toBe(0);
    expect(value(`json_equal('{"a":1}', '{"a":1,"b":2}')`)).toBe(0);
    expect(value(`json_equal('{"a":1,"b":2}', '{"a":1}')`)).toBe(0);
    expect(value(`json_equal('{"a":{"b":1}}', '{"a":{"b":2}}')`)).toBe(0);
    expect(value("typeof(json_equal('1', '1'))")).toBe('integer');
  });

  it('compares numbers by their exact value', () => {
    expect(value("json_equal('1', '1.0')")).toBe(1);
    expect(value("json_equal('[100]', '[1e2]')")).toBe(1);
    expect(value("json_equal('0.1', '1E-1')")).toBe(1);
    expect(value("json_equal('0', '-0.0')")).toBe(1);
    expect(value("json_equal('1.5', '1.50000')")).toBe(1);
    expect(value("json_equal('9007199254740993', '9007199254740992')")).toBe(0);
    expect(value("json_equal('1e400', '1e401')")).toBe(0);
    expect(value("json_equal('1', '2')")).toBe(0);
  });

  it('tells types apart: "1", 1, true, null', () => {
    expect(value(`json_equal('"1"', '1')`)).toBe(0);
    expect(value("json_equal('true', '1')")).toBe(0);
    expect(value("json_equal('null', 'false')")).toBe(0);
    expect(value("json_equal('null', 'null')")).toBe(1);
    expect(value("json_equal('[]', '{}')")).toBe(0);
    expect(value(`json_equal('"a\\u0062"', '"ab"')`)).toBe(1);
  });

  it('is NULL when either argument is NULL; fails for text that is not JSON', () => {
    expect(value("json_equal(NULL, '1')")).toBeNull();
    expect(value("json_equal('1', NULL)")).toBeNull();
    expect(failure("json_equal('{', '1')").message).toMatch(/^json_equal: argument 1 is not JSON/);
    expect(failure("json_equal('1', 'abc')").message).toMatch(/^json_equal: argument 2 is not JSON/);
    expect(failure(`json_equal('${'['.repeat(1001)}${']'.repeat(1001)}', '1')`).message).toMatch(/^json_equal: argument 1 is nested deeper than 1000 levels/);
    expect(value(`json_equal('${'['.repeat(1000)}${']'.repeat(1000)}', '${'['.repeat(1000)}${']'.repeat(1000)}')`)).toBe(1);
  });

  it("reads numbers as their text, and SQLite's JSON as JSON", () => {
    expect(value("json_equal(1, '1.0')")).toBe(1);
    expect(value("json_equal(json_object('a', 1, 'b', json_array(1, 2)), '{\"b\":[1,2],\"a\":1}')")).toBe(1);
  });
});

describe('through the engine, against the mock fleet', () => {
  const servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const FACTORIES = `azure.data_factory.factories f WHERE f.subscriptionId = '${SUB}' AND f.resourceGroupName = 'rg-a'`;
  const COLUMNS = `f.name, split_part(f.id, '/', -1) AS last, split_part(f.id, '/', 5) AS rg,
    regexp_like(f.name, '^factory-a[12]$') AS early, regexp_substr(f.name, '\\d+') AS num,
    regexp_replace(f.name, '^factory-(\\w)(\\d)$', '\${2}_$1') AS swapped, json_equal(f.tags, '{"team":"data","env":"prod"}') AS tagged`;

  async function engineWithFleet() {
    const server = await startMockServer(fleetHandlers(defaultFleet()));
    servers.push(server);
    return { server, engine: createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin } }) };
  }

  // factory-a1 is tagged {"env":"prod","team":"data"}, factory-a2 has team "finance", factory-a3 no tags.
  const EXPECTED = ['factory-a1', 'factory-a2', 'factory-a3'].map((name, i) => ({
    name,
    last: name,
    rg: 'rg-a',
    early: i < 2 ? 1 : 0,
    num: String(i + 1),
    swapped: `${i + 1}_a`,
    tagged: i === 0 ? 1 : 0,
  }));

  it('runs each function in the local query (stored rows, in-process)', async () => {
    const { engine } = await engineWithFleet();
    const result = await engine.query(`SELECT ${COLUMNS} FROM ${FACTORIES} ORDER BY f.name`);
    await engine.close();
    expect(result.rows).toEqual(EXPECTED);
  });

  it('runs them page by page while streaming, and in WHERE', async () => {
    const { engine } = await engineWithFleet();
    const rows: unknown[] = [];
    await engine.query(`SELECT split_part(f.id, '/', -1) AS last FROM ${FACTORIES} AND regexp_like(f.name, '[23]$')`, {
      onRows: (_columns, batch) => rows.push(...batch),
    });
    await engine.close();
    expect(rows).toEqual([{ last: 'factory-a2' }, { last: 'factory-a3' }]);
  });

  it('runs them on the worker thread a query that can run away runs on', async () => {
    const { engine } = await engineWithFleet();
    const here = await engine.query(`SELECT ${COLUMNS} FROM ${FACTORIES} ORDER BY f.name`);
    const explained = await engine.query(
      `EXPLAIN SELECT ${COLUMNS} FROM (SELECT 1 AS one) o, ${FACTORIES.replace(' WHERE', ' WHERE o.one = 1 AND')} ORDER BY f.name`,
    );
    const onThread = await engine.query(`SELECT ${COLUMNS} FROM (SELECT 1 AS one) o, ${FACTORIES.replace(' WHERE', ' WHERE o.one = 1 AND')} ORDER BY f.name`);
    await engine.close();
    expect(JSON.stringify(explained.rows)).toContain('worker thread');
    expect(onThread.rows).toEqual(here.rows);
    expect(onThread.rows).toEqual(EXPECTED);
  });

  it("a pattern RE2 refuses is SQL_LOCAL with RE2's message, here and on the worker thread", async () => {
    const { engine } = await engineWithFleet();
    const here = await engine.query(`SELECT regexp_like(f.name, '(a') FROM ${FACTORIES} ORDER BY 1`).catch((error: unknown) => error);
    const onThread = await engine
      .query(`SELECT regexp_like(f.name, '(a') FROM (SELECT 1 AS one) o, ${FACTORIES.replace(' WHERE', ' WHERE o.one = 1 AND')} ORDER BY 1`)
      .catch((error: unknown) => error);
    await engine.close();
    expect(here).toBeInstanceOf(EngineError);
    expect(here).toMatchObject({ code: 'SQL_LOCAL', message: 'SQLite: regexp_like: error parsing regexp: missing closing ): `(a`' });
    expect(onThread).toMatchObject({ code: 'SQL_LOCAL', message: (here as EngineError).message });
  });

  it('split_part(…, 0) is SQL_LOCAL', async () => {
    const { engine } = await engineWithFleet();
    const error = await engine.query(`SELECT split_part(f.name, '-', 0) FROM ${FACTORIES}`).catch((caught: unknown) => caught);
    await engine.close();
    expect(error).toMatchObject({ code: 'SQL_LOCAL', message: 'SQLite: split_part: field position must not be zero' });
  });
});

describe('the plan-time checker', () => {
  const SQL = "SELECT split_part(name, '-', 1) FROM azure.data_factory.factories WHERE subscriptionId = 's' AND resourceGroupName = 'r'";

  it('knows the functions: the statement plans (as --dry-run plans it)', async () => {
    const server = await startMockServer([]);
    const engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin } });
    const plans = engine.plan(SQL);
    for (const call of [
      "regexp_like(name, 'a')",
      "regexp_like(name, 'a', 'i')",
      "regexp_substr(name, 'a')",
      "regexp_replace(name, 'a', 'b')",
      "regexp_replace(name, 'a', 'b', 'i')",
      'json_equal(tags, tags)',
    ]) {
      expect(() => engine.plan(SQL.replace("split_part(name, '-', 1)", call)), call).not.toThrow();
    }
    await engine.close();
    await server.close();
    expect(plans).toHaveLength(1);
    expect(server.requests).toEqual([]);
  });

  it('still refuses an unknown function, and a wrong number of arguments, with a coded error before any request', async () => {
    const server = await startMockServer([]);
    const engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin } });
    const unknown = await engine.query(SQL.replace('split_part', 'split_partx')).catch((error: unknown) => error);
    const arity = await engine.query(SQL.replace("split_part(name, '-', 1)", "split_part(name, '-')")).catch((error: unknown) => error);
    await engine.close();
    await server.close();
    expect(unknown).toBeInstanceOf(EngineError);
    expect(unknown).toMatchObject({ code: 'SQL_LOCAL', message: 'SQLite: no such function: split_partx' });
    expect(arity).toMatchObject({ code: 'SQL_LOCAL', message: 'SQLite: wrong number of arguments to function split_part()' });
    expect(server.requests).toEqual([]);
  });
});
