import { describe, expect, it } from 'vitest';
import type { ExecStatement, InsertStatement, SelectStatement, MutationStatement, Statement } from '../../../src/sql/ast.ts';
import { parseScript, parseStatement } from '../../../src/sql/parse.ts';
import { errorOf } from '../../helpers/errors.ts';

const one = (sql: string): Statement => parseStatement(sql).statement;
const insert = (sql: string) => one(sql) as InsertStatement;
const exec = (sql: string) => one(sql) as ExecStatement;
const select = (sql: string) => one(sql) as SelectStatement;
const values = (statement: InsertStatement) => statement.rows.map((row) => row.map((given) => (given.kind === 'literal' ? given.value : given)));
const lit = (value: unknown, quoted: boolean) => ({ kind: 'literal', value, quoted });

describe('INSERT', () => {
  it('INSERT … SELECT with constant values (seed form)', () => {
    const sql = "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)\nSELECT 's', 'rg', 'f', 'p'";
    const statement = insert(sql);
    expect(statement.kind).toBe('insert');
    expect(statement.target.parts).toEqual(['azure', 'data_factory', 'pipelines_runs']);
    expect(statement.target.span).toEqual({ offset: sql.indexOf('azure'), length: 'azure.data_factory.pipelines_runs'.length });
    expect(statement.columns.map((column) => column.name)).toEqual(['subscriptionId', 'resourceGroupName', 'factoryName', 'pipelineName']);
    expect(statement.columns[2].span).toEqual({ offset: sql.indexOf('factoryName'), length: 'factoryName'.length });
    expect(values(statement)).toEqual([['s', 'rg', 'f', 'p']]);
    expect(statement.returning).toBeUndefined();
    expect(statement.hints).toEqual({ await: false, required: false });
  });

  it('INSERT … VALUES with several rows: one row per request', () => {
    const statement = insert("INSERT INTO a.b.c (x, y) VALUES ('a', 1), ('b', -2.5), (NULL, TRUE)");
    expect(values(statement)).toEqual([
      ['a', 1],
      ['b', -2.5],
      [null, true],
    ]);
    expect(statement.rows[0]).toMatchObject([lit('a', true), lit(1, false)]);
  });

  it('typed literals: quoted numbers stay strings, FALSE/NULL are typed', () => {
    const statement = insert("INSERT INTO a.b.c (a, b, c, d) SELECT '1', 1, false, null");
    expect(statement.rows[0]).toMatchObject([lit('1', true), lit(1, false), lit(false, false), lit(null, false)]);
  });

  it('values carry the span of their literal', () => {
    const sql = "INSERT INTO a.b.c (x, y) VALUES ('a', -1) RETURNING *";
    expect(insert(sql).rows[0].map((value) => value.span)).toEqual([
      { offset: sql.indexOf("'a'"), length: 3 },
      { offset: sql.indexOf('-1'), length: 2 },
    ]);
  });

  it('RETURNING * and RETURNING columns', () => {
    expect(insert("INSERT INTO a.b.c (x) SELECT 'a' RETURNING *").returning).toEqual({ fields: [{ column: '*' }] });
    expect(insert("INSERT INTO a.b.c (x) SELECT 'a' RETURNING runId, other").returning).toEqual({ fields: [{ column: 'runId' }, { column: 'other' }] });
    expect(insert("INSERT INTO a.b.c (x) VALUES ('a') RETURNING runId").returning).toEqual({ fields: [{ column: 'runId' }] });
    expect(insert("INSERT INTO a.b.c (x) (SELECT 'a') RETURNING runId").returning).toEqual({ fields: [{ column: 'runId' }] });
  });

  it('RETURNING after INSERT … SELECT is not read as an alias of the last value', () => {
    const statement = insert("INSERT INTO a.b.c (x, y) SELECT 'a', 'b' RETURNING runId");
    expect(values(statement)).toEqual([['a', 'b']]);
    expect(statement.returning).toEqual({ fields: [{ column: 'runId' }] });
  });

  it('hyphenated columns such as api-version are one column', () => {
    const statement = insert("INSERT INTO x.y.z (name, api-version) SELECT 'n', '2020-01-01'");
    expect(statement.columns.map((column) => column.name)).toEqual(['name', 'api-version']);
    expect(values(statement)).toEqual([['n', '2020-01-01']]);
  });

  it('placeholders become quoted literals whether or not they were quoted', () => {
    const statement = insert("INSERT INTO a.b.c (x, y) SELECT {{ sub }}, '{{ rg }}'");
    expect(statement.rows[0]).toMatchObject([lit('{{ sub }}', true), lit('{{ rg }}', true)]);
  });

  it("unescapes '' inside string values (INSERT … SELECT and VALUES)", () => {
    expect(values(insert("INSERT INTO a.b.c (x) SELECT 'it''s'"))).toEqual([["it's"]]);
    expect(values(insert("INSERT INTO a.b.c (x) VALUES ('it''s')"))).toEqual([["it's"]]);
  });

  it('column/value count mismatch in INSERT … SELECT is SQL_UNSUPPORTED', () => {
    expect(errorOf(() => parseScript("INSERT INTO a.b.c (x, y) SELECT 'a'")).code).toBe('SQL_UNSUPPORTED');
    expect(errorOf(() => parseScript("INSERT INTO a.b.c (x) SELECT 'a', 'b'")).code).toBe('SQL_UNSUPPORTED');
  });

  it('column/value count mismatch in INSERT … VALUES is a coded error', () => {
    const error = errorOf(() => parseScript("INSERT INTO a.b.c (x, y) VALUES ('a', 1), ('b')"));
    expect(['SQL_SYNTAX', 'SQL_UNSUPPORTED']).toContain(error.code);
  });

  it('column/value count mismatch gets the same code from VALUES as from SELECT', () => {
    expect(errorOf(() => parseScript("INSERT INTO a.b.c (x, y) VALUES ('a')")).code).toBe('SQL_UNSUPPORTED');
  });

  it('a value may be an expression of values, with its strings as bindings; one that reads a column is SQL_UNSUPPORTED', () => {
    const text = "INSERT INTO a.b.c (x, y) VALUES (json_object('k', '{{ v }}'), 1 + 2)";
    expect(values(insert(text))).toEqual([
      [
        {
          kind: 'expression',
          text: 'json_object(?, ?)',
          bindings: [lit('k', true), lit('{{ v }}', true)],
          span: { offset: text.indexOf('json_object'), length: "json_object('k', '{{ v }}')".length },
        },
        { kind: 'expression', text: '1 + 2', bindings: [], span: { offset: text.indexOf('1 + 2'), length: 5 } },
      ],
    ]);
    expect(errorOf(() => parseScript('INSERT INTO a.b.c (x) SELECT y')).code).toBe('SQL_UNSUPPORTED');
    expect(errorOf(() => parseScript('INSERT INTO a.b.c (x) VALUES (lower(y))')).code).toBe('SQL_UNSUPPORTED');
    expect(errorOf(() => parseScript('INSERT INTO a.b.c (x) VALUES ((SELECT 1))')).code).toBe('SQL_UNSUPPORTED');
  });

  it('INSERT … SELECT … FROM carries the query whose rows feed the requests', () => {
    const statement = insert("INSERT INTO a.b.c (x) SELECT name FROM d.e.f WHERE g = 'h'");
    expect(statement.rows).toEqual([]);
    expect(statement.query?.sources.map((source) => source.name.parts.join('.'))).toEqual(['d.e.f']);
    expect(statement.query?.local.text).toBe('SELECT name FROM "__skyql_0" WHERE g = ?');
    expect(statement.query?.local.bindings.map((binding) => binding.value)).toEqual(['h']);
  });

  it('REPLACE INTO is an insert with the replace verb', () => {
    expect(insert("REPLACE INTO a.b.c (x) VALUES ('a') RETURNING y")).toMatchObject({ verb: 'replace', returning: { fields: [{ column: 'y' }] } });
    expect(insert("INSERT INTO a.b.c (x) VALUES ('a')").verb).toBe('insert');
  });

  it('hints set await and required, wherever they are', () => {
    expect(insert("/*+ AWAIT */ INSERT INTO a.b.c (x) SELECT 'a'").hints).toEqual({ await: true, required: false });
    expect(insert("/*+ await, required */ INSERT INTO a.b.c (x) SELECT 'a'").hints).toEqual({ await: true, required: true });
    expect(insert("INSERT /*+ REQUIRED */ INTO a.b.c (x) SELECT 'a'").hints).toEqual({ await: false, required: true });
    expect(insert("/*+ OTHER */ INSERT INTO a.b.c (x) SELECT 'a'").hints).toEqual({ await: false, required: false });
  });
});

describe('SELECT', () => {
  it('finds the source and the AND-ed conditions that may become params', () => {
    const sql = "SELECT runId, status AS state FROM a.b.c WHERE runId = 'r' AND api-version = '1' AND n = -5 AND t = TRUE AND x > 2";
    const statement = select(sql);
    expect(statement.sources.map((source) => source.name.parts)).toEqual([['a', 'b', 'c']]);
    expect(statement.conditions.map((condition) => [condition.column, condition.values.map((value) => value.value)])).toEqual([
      ['runId', ['r']],
      ['api-version', ['1']],
      ['n', [-5]],
      ['t', [true]],
    ]);
    expect(statement.conditions[2].span).toEqual({ offset: sql.indexOf('n = -5'), length: 1 });
  });

  it('reads IN lists as several values, and literal = column either way round', () => {
    const statement = select("SELECT * FROM a.b.c WHERE g IN ('x', 'y') AND 'v' = k");
    expect(statement.conditions.map((condition) => [condition.column, condition.values.map((value) => value.value)])).toEqual([
      ['g', ['x', 'y']],
      ['k', ['v']],
    ]);
  });

  it('conditions under OR, or comparing with other operators, stay local only', () => {
    expect(select("SELECT * FROM a.b.c WHERE x = 'a' OR y = 'b'").conditions).toEqual([]);
    expect(select('SELECT * FROM a.b.c WHERE x > 1').conditions).toEqual([]);
  });

  it('rewrites the statement for SQLite: sources become local tables, strings and placeholders bound params', () => {
    const statement = select("SELECT name, 'label', '{{ v }}' FROM a.b.c f WHERE f.g = '{{ group }}' AND api-version = '1' AND tag = 'x'");
    expect(statement.local.text).toBe('SELECT name, \'label\', ? FROM "__skyql_0" f WHERE f.g = ? AND "api-version" = ? AND tag = ?');
    expect(statement.local.bindings.map((binding) => binding.value)).toEqual(['{{ v }}', '{{ group }}', '1', 'x']);
  });

  it('reads joins: qualified conditions go to their source, a.col = b.col binds in both directions', () => {
    const statement = select("SELECT f.name, p.name FROM a.b.factories f JOIN a.b.pipelines p ON p.factoryName = f.name WHERE f.rg = 'x' AND p.rg = 'y'");
    expect(statement.sources.map((source) => source.alias)).toEqual(['f', 'p']);
    expect(statement.conditions.map((condition) => [condition.sources, condition.column])).toEqual([
      [[0], 'rg'],
      [[1], 'rg'],
    ]);
    expect(statement.joins).toEqual([
      { sources: [1], column: 'factoryName', from: { sources: [0], column: 'name' } },
      { sources: [0], column: 'name', from: { sources: [1], column: 'factoryName' } },
    ]);
    expect(statement.streaming).toBeUndefined();
  });

  it('an unqualified condition may belong to any source in its scope', () => {
    const statement = select("SELECT * FROM a.b.c x, a.b.d y WHERE sub = 's'");
    expect(statement.conditions[0].sources).toEqual([0, 1]);
  });

  it('finds sources in CTEs, subqueries and UNIONs, each with its own scope', () => {
    const statement = select('WITH w AS (SELECT * FROM a.b.c WHERE s = 1) SELECT * FROM w UNION ALL SELECT * FROM (SELECT * FROM a.b.d WHERE t = 2) q');
    expect(statement.sources.map((source) => source.name.parts.join('.'))).toEqual(['a.b.c', 'a.b.d']);
    expect(statement.conditions.map((condition) => [condition.sources, condition.column])).toEqual([
      [[0], 's'],
      [[1], 't'],
    ]);
    expect(statement.local.text).toBe(
      'WITH w AS (SELECT * FROM "__skyql_0" WHERE s = 1) SELECT * FROM w UNION ALL SELECT * FROM (SELECT * FROM "__skyql_1" WHERE t = 2) q',
    );
  });

  it('streams simple one-source statements, taking LIMIT/OFFSET out of the local query', () => {
    const statement = select("SELECT name FROM a.b.c WHERE x = 'y' LIMIT 5 OFFSET 2");
    expect(statement.streaming).toMatchObject({ limit: 5, offset: 2 });
    expect(statement.streaming?.direct).toMatchObject({ filters: [{ column: 'x' }] });
    // Unaliased, a column is named by the planner as SQLite names it (as its table declares it).
    expect(statement.streaming?.direct?.columns).toEqual([{ column: 'name' }]);
    expect(select('SELECT name AS n FROM a.b.c').streaming?.direct?.columns).toEqual([{ column: 'name', alias: 'n' }]);
    expect(statement.local.text).toBe('SELECT name FROM "__skyql_0" WHERE x = ? ');
    expect(select('SELECT name FROM a.b.c').streaming).toMatchObject({ offset: 0 });
    expect(select('SELECT upper(name) FROM a.b.c').streaming?.direct).toBeUndefined();
    expect(select("SELECT name FROM a.b.c WHERE x = 'a' OR y = 'b'").streaming?.direct).toBeUndefined();
    for (const sql of ['SELECT count(*) FROM a.b.c', 'SELECT * FROM a.b.c ORDER BY x', 'SELECT DISTINCT x FROM a.b.c', 'SELECT x FROM a.b.c GROUP BY x']) {
      expect(select(sql).streaming, sql).toBeUndefined();
    }
  });

  it('the source span points at the resource name, not at an earlier word with the same text', () => {
    const sql = 'SELECT acme FROM acme.widgets.things';
    expect(select(sql).sources[0].name.span.offset).toBe(sql.indexOf('acme.'));
  });

  it('a condition span points at its own column, not at an earlier word that shares a prefix or text', () => {
    const hyphen = "SELECT * FROM a.b.c WHERE api-version = '1'";
    expect(select(hyphen).conditions[0].span?.offset).toBe(hyphen.indexOf('api-version'));
    const repeated = "SELECT name FROM a.b.c WHERE name = 'x'";
    expect(select(repeated).conditions[0].span?.offset).toBe(repeated.indexOf("name = 'x'"));
  });

  it('reads quoted identifiers in names and conditions', () => {
    const statement = select('SELECT * FROM "a"."b"."c" WHERE "x-y" = 1');
    expect(statement.sources[0].name.parts).toEqual(['a', 'b', 'c']);
    expect(statement.conditions[0].column).toBe('x-y');
  });
});

describe('EXEC', () => {
  it('reads @params with commas, @api-version and @@json', () => {
    const sql = "EXEC a.b.c.cancel @runId='r', @api-version='2020', @@json='{\"k\": 1}'";
    const statement = exec(sql);
    expect(statement.target.parts).toEqual(['a', 'b', 'c', 'cancel']);
    expect(statement.args.map((arg) => [arg.name, arg.value.value])).toEqual([
      ['runId', 'r'],
      ['api-version', '2020'],
    ]);
    expect(statement.json?.value).toBe('{"k": 1}');
    expect(statement.args[0].span).toEqual({ offset: sql.indexOf('@runId'), length: "@runId='r'".length });
    expect(statement.args[0].value.span).toEqual({ offset: sql.indexOf("'r'"), length: 3 });
  });

  it('reads @params without commas, across lines, with typed values', () => {
    const statement = exec("EXECUTE a.b.c.d\n  @s='1'\n  @i=2\n  @n=-3.5\n  @t=true\n  @f=FALSE\n  @z=NULL\n  @q={{ v }}\n  @e='it''s'");
    expect(statement.args.map((arg) => [arg.name, arg.value.value, arg.value.quoted])).toEqual([
      ['s', '1', true],
      ['i', 2, false],
      ['n', -3.5, false],
      ['t', true, false],
      ['f', false, false],
      ['z', null, false],
      ['q', '{{ v }}', true],
      ['e', "it's", true],
    ]);
    expect(statement.json).toBeUndefined();
  });

  it('EXEC without params', () => {
    expect(exec('EXEC a.b.c.d').args).toEqual([]);
  });

  it('hints apply to EXEC', () => {
    expect(exec("/*+ AWAIT */ EXEC a.b.c.d @x='1'").hints.await).toBe(true);
  });

  it('malformed params are SQL_SYNTAX at the offending token', () => {
    const cases: [string, number][] = [
      ["EXEC a.b.c.d x='1'", 13],
      ["EXEC a.b.c.d @@body='{}'", 13],
      ['EXEC a.b.c.d @x=y', 16],
      ['EXEC a.b.c.d @x', 15],
      ['EXEC a.b.c.d @x=', 16],
    ];
    for (const [sql, offset] of cases) {
      const error = errorOf(() => parseScript(sql));
      expect(error.code, sql).toBe('SQL_SYNTAX');
      expect(error.span?.offset, sql).toBe(offset);
    }
  });
});

describe('SHOW and DESCRIBE', () => {
  it('SHOW PROVIDERS', () => {
    expect(one('SHOW PROVIDERS')).toMatchObject({ kind: 'show', target: 'providers', extended: false });
    expect(one('SHOW PROVIDERS')).not.toHaveProperty('scope.parts');
    expect(one("show providers like 'az%'")).toMatchObject({ target: 'providers', like: 'az%' });
  });

  it('SHOW SERVICES IN / RESOURCES IN / FROM, with LIKE', () => {
    expect(one("SHOW SERVICES IN azure LIKE 'd%'")).toMatchObject({ target: 'services', scope: { parts: ['azure'] }, like: 'd%' });
    expect(one('SHOW RESOURCES IN azure.data_factory')).toMatchObject({ target: 'resources', scope: { parts: ['azure', 'data_factory'] } });
    expect(one('SHOW RESOURCES FROM azure.data_factory')).toMatchObject({ target: 'resources' });
  });

  it('SHOW [EXTENDED] METHODS IN with LIKE', () => {
    expect(one('SHOW METHODS IN a.b.c')).toMatchObject({ target: 'methods', extended: false, scope: { parts: ['a', 'b', 'c'] } });
    const sql = "show extended methods in a.b.c like 'get%'";
    expect(one(sql)).toMatchObject({
      kind: 'show',
      target: 'methods',
      extended: true,
      scope: { parts: ['a', 'b', 'c'], span: { offset: sql.indexOf('a.b.c'), length: 5 } },
      like: 'get%',
    });
  });

  it('SHOW errors are SQL_SYNTAX', () => {
    for (const sql of [
      'SHOW THINGS',
      'SHOW METHODS a.b.c',
      'SHOW METHODS IN a.b.c LIKE 5',
      'SHOW SERVICES IN',
      'SHOW PROVIDERS extra',
      'SHOW METHODS IN a.b.',
    ]) {
      expect(errorOf(() => parseScript(sql)).code, sql).toBe('SQL_SYNTAX');
    }
  });

  it('DESCRIBE [EXTENDED] [METHOD]', () => {
    expect(one('DESCRIBE a.b.c')).toMatchObject({ kind: 'describe', target: { parts: ['a', 'b', 'c'] }, extended: false, method: false });
    expect(one('DESC EXTENDED a.b.c')).toMatchObject({ extended: true, method: false });
    expect(one('DESCRIBE METHOD a.b.c.d')).toMatchObject({ extended: false, method: true, target: { parts: ['a', 'b', 'c', 'd'] } });
    expect(one('describe extended method a.b.c.d')).toMatchObject({ extended: true, method: true });
  });

  it('DESCRIBE errors are SQL_SYNTAX', () => {
    expect(errorOf(() => parseScript('DESCRIBE')).code).toBe('SQL_SYNTAX');
    const error = errorOf(() => parseScript('DESCRIBE a.b.c extra'));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span?.column).toBe(16);
  });
});

describe('scripts', () => {
  it('splits at top-level semicolons and keeps absolute spans and the whole text', () => {
    const sql = "SHOW PROVIDERS;\n\nSELECT * FROM a.b.c WHERE x = ';' ;  ";
    const statements = parseScript(sql);
    expect(statements.map((parsed) => parsed.statement.kind)).toEqual(['show', 'select']);
    expect(statements[0].span).toEqual({ offset: 0, length: 14 });
    expect(statements[1].span.offset).toBe(sql.indexOf('SELECT'));
    expect(statements[1].text).toBe(sql);
    expect((statements[1].statement as SelectStatement).conditions[0].values[0].value).toBe(';');
  });

  it('empty statements between semicolons are skipped', () => {
    expect(parseScript(';; SHOW PROVIDERS;;').length).toBe(1);
  });

  it('SQL_EMPTY for nothing, only comments, only semicolons or only a hint', () => {
    for (const sql of ['', '   ', '-- only a comment\n', '/* block */', ';;', '/*+ AWAIT */']) {
      expect(errorOf(() => parseScript(sql)).code, JSON.stringify(sql)).toBe('SQL_EMPTY');
    }
  });

  it('parseStatement refuses several statements with SQL_UNSUPPORTED at the second', () => {
    const sql = 'SHOW PROVIDERS;\nSHOW PROVIDERS';
    const error = errorOf(() => parseStatement(sql));
    expect(error.code).toBe('SQL_UNSUPPORTED');
    expect(error.span).toMatchObject({ line: 2, column: 1 });
  });

  it('reads UPDATE … SET … WHERE and DELETE … WHERE, with IN and RETURNING', () => {
    const update = parseStatement("UPDATE a.b.c SET tags = '{\"env\":\"prod\"}', x = 1 WHERE y = 'z' AND g IN ('a', 'b') RETURNING *")
      .statement as MutationStatement;
    expect(update.kind).toBe('update');
    expect(update.set.map((item) => [item.name, item.value.kind === 'literal' ? item.value.value : item.value])).toEqual([
      ['tags', '{"env":"prod"}'],
      ['x', 1],
    ]);
    expect(update.where.map((condition) => [condition.column, condition.values.map((value) => value.value)])).toEqual([
      ['y', ['z']],
      ['g', ['a', 'b']],
    ]);
    expect(update.returning).toEqual({ fields: [{ column: '*' }] });
    const remove = parseStatement("DELETE FROM a.b.c WHERE y = 'z'").statement as MutationStatement;
    expect(remove).toMatchObject({ kind: 'delete', set: [], target: { parts: ['a', 'b', 'c'] } });
  });

  it('an UPDATE or DELETE whose WHERE is not param = value is SQL_UNSUPPORTED', () => {
    for (const sql of ["UPDATE a.b.c SET x = 1 WHERE y > 'z'", "DELETE FROM a.b.c WHERE y = 'a' OR y = 'b'", 'UPDATE a.b.c SET x = y']) {
      expect(errorOf(() => parseScript(sql)).code, sql).toBe('SQL_UNSUPPORTED');
    }
  });

  it('an unknown first word is SQL_SYNTAX', () => {
    expect(errorOf(() => parseScript('FOO BAR')).code).toBe('SQL_SYNTAX');
  });
});

describe('syntax error positions', () => {
  it('points at the line and column of a parser error in a multi-line statement', () => {
    const error = errorOf(() => parseScript('SELECT *\nFROM a.b.c\nWHERE x = = 1'));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span).toMatchObject({ line: 3, column: 11 });
  });

  it('points into the right statement of a multi-statement script', () => {
    const sql = 'SHOW PROVIDERS;\nSHOW SERVICES IN azure;\nSELECT * FROM a.b.c WHERE\n  x = = 1;\nSHOW PROVIDERS';
    const error = errorOf(() => parseScript(sql));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span).toMatchObject({ line: 4, column: 7 });
    expect(error.span?.offset).toBe(sql.indexOf('= 1'));
  });

  it('maps positions back through normalisation edits (hyphenated names, placeholders)', () => {
    const sql = 'SELECT * FROM a.b.c WHERE api-version = {{ v }} AND x = 1 )';
    const error = errorOf(() => parseScript(sql));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span?.offset).toBe(sql.indexOf(')'));
    expect(error.span?.column).toBe(sql.indexOf(')') + 1);
  });

  it('maps positions back when the statement starts with a hint', () => {
    const sql = '/*+ AWAIT */ SELECT * FROM a.b.c WHERE x = 1 )';
    expect(errorOf(() => parseScript(sql)).span?.offset).toBe(sql.indexOf(')'));
  });

  it('a syntax error in a self-parsed statement points at the token', () => {
    const error = errorOf(() => parseScript('SHOW PROVIDERS;\n  SHOW METHODS IN a.b.c LIKE'));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span).toMatchObject({ line: 2 });
  });

  it('a lexer error in a later statement still reports its line', () => {
    const error = errorOf(() => parseScript("SHOW PROVIDERS;\nSELECT * FROM a.b.c WHERE x = 'open"));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span).toMatchObject({ line: 2, column: 31 });
  });

  it('a statement cut short is SQL_SYNTAX', () => {
    expect(errorOf(() => parseScript('SELECT * FROM')).code).toBe('SQL_SYNTAX');
    expect(errorOf(() => parseScript('INSERT INTO a.b.c (x)')).code).toBe('SQL_SYNTAX');
  });
});
