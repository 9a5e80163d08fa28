import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fastAstify } from '../../../src/sql/fast-parser.ts';
import { isKeyword, tokenize } from '../../../src/sql/lexer.ts';
import { normalizeForParser } from '../../../src/sql/normalize.ts';
import { splitStatements } from '../../../src/sql/split.ts';
import { astify, parsedShape, type SqlNode } from '../../../src/sql/sql-parser.ts';
import { SqlSession } from '../../../src/sql/session.ts';

const session = new SqlSession();
/** The tree skyql analyses: parsed once per text in a session. */
function astifyShape(text: string): SqlNode {
  const shape = parsedShape(text, session);
  if (shape.error) throw shape.error;
  return shape.node!;
}

/** The texts parse.ts gives the parser for a script's SELECT/INSERT/REPLACE/UPDATE/DELETE statements. */
function parserTexts(script: string): string[] {
  return splitStatements(tokenize(script))
    .filter((part) =>
      isKeyword(
        part.tokens.find((token) => token.kind !== 'hint'),
        'SELECT',
        'WITH',
        'INSERT',
        'REPLACE',
        'UPDATE',
        'DELETE',
      ),
    )
    .map((part) => normalizeForParser(script, part.tokens, part.offset, part.end).text);
}

function parserText(statement: string): string {
  const [text] = parserTexts(statement);
  return text;
}

function nodeSqlParser(text: string): SqlNode {
  const node = astify(text);
  return Array.isArray(node) ? node[0] : node;
}

/** The fast parser's one rule: when it answers, it answers exactly as node-sql-parser. */
function expectSameWhenDefined(text: string): SqlNode | undefined {
  const fast = fastAstify(text);
  if (fast !== undefined) expect(fast, JSON.stringify(text)).toStrictEqual(nodeSqlParser(text));
  return fast;
}

function expectFastPath(text: string): void {
  const fast = fastAstify(text);
  expect(fast, JSON.stringify(text)).toBeDefined();
  expect(fast, JSON.stringify(text)).toStrictEqual(nodeSqlParser(text));
}

// ---- a corpus of statements in the supported subset ----

const KEYWORDS =
  /\b(?:SELECT|DISTINCT|FROM|WHERE|AND|OR|NOT|IN|IS|NULL|TRUE|LIKE|GROUP|BY|HAVING|ORDER|ASC|DESC|LIMIT|OFFSET|AS|INSERT|REPLACE|INTO|VALUES|UPDATE|SET|DELETE|RETURNING|COUNT|AVG|SUM|MAX)\b/g;

/** Rewrites keywords (outside quotes) in lower case, capitalised or upper case. */
function keywordCase(sql: string, variant: number): string {
  const convert = [(word: string) => word, (word: string) => word.toLowerCase(), (word: string) => word[0] + word.slice(1).toLowerCase()][variant % 3];
  return sql
    .split(/('[^']*'|"[^"]*")/)
    .map((part, i) => (i % 2 ? part : part.replace(KEYWORDS, convert)))
    .join('');
}

/** Varies the whitespace (and comments) between clauses and conditions. */
function layout(sql: string, variant: number): string {
  switch (variant % 4) {
    case 1:
      return sql.replace(/ (FROM|WHERE|ORDER|GROUP|LIMIT|RETURNING|SET|VALUES) /gi, '\n$1 ').replace(/ AND /gi, '\n  AND ');
    case 2:
      return sql
        .replace(/ AND /gi, ' /* and */ AND ')
        .replace(/, /g, ',\t')
        .replace(/ FROM /i, ' -- columns\nFROM ');
    case 3:
      return sql.replace(/ = /g, '=').replace(/ \(/g, '(').replace(/\r?\n/g, '\r\n');
    default:
      return sql;
  }
}

const ITEMS = [
  'runId',
  'runId AS run_1',
  'name factory_2',
  'count(*) AS runs',
  'avg(durationInMs) AS avgMs',
  "json_extract(properties, '$.provisioningState') AS state",
  't.name',
  'api-version',
  'sum(durationInMs) / 1000 AS seconds',
  "status || ' ' || name AS label",
  '-1',
  '2.50',
  'TRUE',
  'NULL AS nothing',
  "'literal' AS lit",
  'max(runStart) last_start',
  'count(DISTINCT status) AS statuses',
  '"Quoted Name"',
  'durationInMs * 2 + 1',
  'lower(name) AS trigger',
];
const TABLES = [
  'azure.data_factory.pipeline_runs',
  'azure.data_factory.factories t',
  'azure.data_factory.factories AS f',
  '"azure"."data_factory"."pipeline_runs"',
];
const WHERES = [
  '',
  "WHERE subscriptionId = 'x'",
  "WHERE subscriptionId = {{ sub }} AND resourceGroupName = 'rg-1' AND factoryName = 'factory-1'",
  'WHERE a = 1 AND b IN (1, 2) AND c = 3',
  "WHERE a IN ('x') OR b = 1 AND c = 2",
  'WHERE NOT a = 1 OR b <> 2',
  'WHERE a IS NULL AND b IS NOT NULL AND c IS TRUE',
  "WHERE name LIKE 'fact%' AND name NOT LIKE '%x'",
  'WHERE (a = 1 OR b = 2) AND c >= -5',
  "WHERE a NOT IN (1, 2) AND b <= 2.5 OR c != 'q'",
  "WHERE json_extract(tags, '$.env') = 'prod' AND durationInMs > 1000 * 60",
  'WHERE a = 1 AND (b = 2 AND (c = 3 OR d = 4))',
  "WHERE lastUpdatedAfter = '2026-11-01T00:00:00Z' AND status IN ('Failed', 'Cancelled') AND t.x = \"y\"",
];
const TAILS = [
  '',
  ' ORDER BY runStart DESC',
  ' ORDER BY a, b ASC LIMIT 10',
  ' LIMIT 5 OFFSET 10',
  ' GROUP BY pipelineName, status HAVING count(*) > 1 ORDER BY 2 DESC',
  ' OFFSET 3',
];

function selects(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const items = [ITEMS[i % ITEMS.length], ITEMS[(i * 7 + 3) % ITEMS.length], ITEMS[(i * 13 + 5) % ITEMS.length]].slice(0, 1 + (i % 3));
    const distinct = i % 11 === 0 ? 'DISTINCT ' : '';
    const where = WHERES[i % WHERES.length];
    const sql = `SELECT ${distinct}${items.join(', ')} FROM ${TABLES[i % TABLES.length]} ${where}${TAILS[(i * 5) % TAILS.length]}`
      .replace(/ +$/, '')
      .replace(/ {2}/g, ' ');
    return layout(keywordCase(sql, i), Math.floor(i / 3));
  });
}

const MUTATIONS = [
  "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT 'a', 'b', 'c', 'd' RETURNING runId",
  "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, factoryName) SELECT 'a', {{ factory }} RETURNING runId AS run_1, status",
  "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, factoryName) SELECT 'a', 'b'",
  "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, factoryName) (SELECT 'a', 'b') RETURNING *",
  "INSERT INTO azure.data_factory.factories (subscriptionId, location, tags) VALUES ('s', 'westeurope', '{\"env\":\"dev\"}')",
  "INSERT INTO azure.data_factory.factories (subscriptionId, location) VALUES ('s', 'westeurope'), ('t', 'northeurope') RETURNING name, id",
  "INSERT INTO azure.data_factory.pipelines_runs (api-version, isRecovery, n) VALUES ('2018-06-01', true, -1.5)",
  "REPLACE INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location) VALUES ('s', 'my-rg', 'my-factory', 'westeurope')",
  "UPDATE azure.data_factory.factories SET tags = '{\"env\":\"prod\"}' WHERE subscriptionId = 's' AND resourceGroupName = 'rg' RETURNING name AS f, tags",
  'UPDATE azure.data_factory.factories SET a = 1, "b" = \'x\', c = NULL WHERE a = 1',
  'UPDATE azure.data_factory.factories AS t SET a = a + 1 WHERE id IN (1, 2) OR id IS NULL',
  "DELETE FROM azure.data_factory.factories WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'old'",
  "DELETE FROM azure.data_factory.factories t WHERE t.name = 'x' RETURNING *",
  "DELETE FROM azure.data_factory.factories WHERE name IN ('a', 'b') AND NOT tags LIKE '%keep%' RETURNING name",
];

// The statements of bench/scenarios/plan.ts (newShapeStatement), which must take the fast path.
const BENCHMARK = [
  `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
SELECT '00000000-0000-0000-0000-000000000001', 'rg-1', 'factory-1', 'pipeline-1' RETURNING runId AS run_1`,
  `SELECT runId AS run_1, pipelineName, status, durationInMs FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = 'x' AND resourceGroupName = 'rg-1' AND factoryName = 'factory-1'
  AND lastUpdatedAfter = '2026-11-01T00:00:00Z' AND status = 'Failed' ORDER BY runStart DESC LIMIT 100`,
  `SELECT name AS factory_2, json_extract(properties, '$.provisioningState') AS state FROM azure.data_factory.factories
WHERE subscriptionId = 'x' AND resourceGroupName IN ('rg-2', 'rg-x2') AND json_extract(tags, '$.env') = 'prod'`,
  `UPDATE azure.data_factory.factories SET tags = '{"env":"prod","n":"3"}'
WHERE subscriptionId = 'x' AND resourceGroupName = 'rg-3' AND factoryName = 'factory-3' RETURNING name AS factory_3, tags`,
  `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName, parameters)
VALUES ('a', 'b', 'c', 'nightly-5', '{"OutputBlobNameList":["out-5.csv"]}')`,
  `SELECT pipelineName, json_extract(invokedBy, '$.invokedByType') AS trigger, count(*) AS runs, avg(durationInMs) AS avgMs
FROM azure.data_factory.pipeline_runs WHERE subscriptionId = 'x' AND resourceGroupName = 'y' AND factoryName = 'z'
  AND lastUpdatedAfter = '2026-11-01T00:00:00Z' GROUP BY pipelineName, trigger`,
];

/** SQL from README.md's examples and the golden cases. */
function documentedStatements(): string[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const scripts = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]);
  const cases = new URL('../../golden/cases/', import.meta.url);
  for (const file of readdirSync(cases)) {
    const sql = /^sql:\n([\s\S]*?)\n---- /m.exec(readFileSync(new URL(file, cases), 'utf8'));
    if (sql) scripts.push(sql[1]);
  }
  return scripts.flatMap(parserTexts);
}

describe('fastAstify: statements in its subset', () => {
  const corpus = [...selects(170), ...MUTATIONS.flatMap((sql, i) => [0, 1, 2].map((variant) => layout(keywordCase(sql, variant), i + variant)))].map(
    parserText,
  );

  it(`gives node-sql-parser's AST for ${corpus.length} generated statements`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const text of corpus) expectFastPath(text);
  });

  it("gives node-sql-parser's AST for the benchmark's statements", () => {
    for (const statement of BENCHMARK) expectFastPath(parserText(statement));
  });

  it("gives node-sql-parser's AST for README's and the golden cases' statements in its subset", () => {
    const texts = documentedStatements();
    const left = texts.filter((text) => expectSameWhenDefined(text) === undefined);
    expect(texts.length - left.length).toBeGreaterThanOrEqual(30);
    // Only joins, CTEs, subqueries, (EXEC …) tables and reads of a view (a one-part name) are left to node-sql-parser.
    for (const text of left) expect(text).toMatch(/\bJOIN\b|^WITH\b|\bIN \(SELECT\b|\(EXEC\b|\bFROM [A-Za-z_]\w*(?:\s|$)/);
  });

  it('reads stand-ins, doubled quotes, quoted identifiers and decimals as node-sql-parser does', () => {
    const text = parserText(`SELECT "api-version", api-version AS v, 'it''s', -4.50 FROM azure.x.y WHERE a = {{ a }}`);
    expect(text).toBe(`SELECT "api-version", "api-version" AS v, '\u00010', -4.50 FROM azure.x.y WHERE a = '\u00011'`);
    expectFastPath(text);
    expectFastPath("SELECT 'it''s', '''', '', -0.5, 1.0, 007 FROM a.b.c");
  });
});

describe('fastAstify: precedence and nesting, as node-sql-parser reads them (raw: skyql regroups AND/OR afterwards, see boolean-precedence.test.ts)', () => {
  /** Compact view of an expression: binary operators parenthesised, `^` for source parentheses. */
  function show(node: SqlNode): string {
    const mark = node.parentheses ? '^' : '';
    if (node.type === 'binary_expr') return `${mark}(${show(node.left)} ${node.operator} ${show(node.right)})`;
    if (node.type === 'unary_expr') return `${mark}(${node.operator} ${show(node.expr)})`;
    if (node.type === 'column_ref') return mark + node.column.expr.value;
    if (node.type === 'expr_list') return `[${node.value.map(show).join(', ')}]`;
    return mark + String(node.value);
  }
  const where = (condition: string) => {
    const text = `SELECT x FROM a.b.c WHERE ${condition}`;
    expectFastPath(text);
    return show(fastAstify(text)!.where);
  };
  const item = (expression: string) => {
    const text = `SELECT ${expression} FROM a.b.c`;
    expectFastPath(text);
    return show(fastAstify(text)!.columns[0].expr);
  };

  it('folds a WHERE list left, except after IN (…), where AND binds tighter than OR', () => {
    expect(where('a = 1 AND b = 2 AND c = 3')).toBe('(((a = 1) AND (b = 2)) AND (c = 3))');
    expect(where('a = 1 OR b = 2 AND c = 3')).toBe('(((a = 1) OR (b = 2)) AND (c = 3))');
    expect(where('a = 1 AND b IN (1, 2) AND c = 3')).toBe('((a = 1) AND ((b IN [1, 2]) AND (c = 3)))');
    expect(where('a IN (1) OR b = 1 AND c = 2')).toBe('(((a IN [1]) OR (b = 1)) AND (c = 2))');
    expect(where('a IN (1) OR b IN (2) AND c = 2')).toBe('((a IN [1]) OR ((b IN [2]) AND (c = 2)))');
    // Without whitespace (or a comment) before AND the chain breaks.
    expect(where('a = 1 AND b IN (1, 2)AND c = 3')).toBe('(((a = 1) AND (b IN [1, 2])) AND (c = 3))');
    expect(where('a = 1 AND b IN (1, 2)/**/AND c = 3')).toBe('((a = 1) AND ((b IN [1, 2]) AND (c = 3)))');
    expect(where('NOT a IN (1) AND b = 1 OR c = 2')).toBe('(((NOT (a IN [1])) AND (b = 1)) OR (c = 2))');
  });

  it("folds AND/OR between a select item's conditions right", () => {
    expect(item('a AND b AND c')).toBe('(a AND (b AND c))');
    expect(item('a = 1 OR b = 2 AND c = 3')).toBe('((a = 1) OR ((b = 2) AND (c = 3)))');
  });

  it('gives arithmetic and || the usual precedence, and parentheses their mark', () => {
    expect(where('a || b + 1 = 2 * c - d / 2')).toBe('(((a || b) + 1) = ((2 * c) - (d / 2)))');
    expect(where('(a = 1 OR b = 2) AND -c = - 1')).toBe('(^((a = 1) OR (b = 2)) AND ((- c) = (- 1)))');
    expect(where('a = -1')).toBe('(a = -1)');
  });
});

describe('fastAstify: anything else is left to node-sql-parser', () => {
  const outside = [
    // joins, subqueries, CTEs, set operations
    'SELECT * FROM a.b.c JOIN a.b.d ON c.x = d.x',
    'SELECT * FROM a.b.c, a.b.d',
    'SELECT * FROM a.b.c LEFT JOIN a.b.d USING (x)',
    'SELECT * FROM a.b.c WHERE x IN (SELECT y FROM a.b.d)',
    'SELECT (SELECT 1) FROM a.b.c',
    'SELECT * FROM (SELECT 1) t',
    'WITH t AS (SELECT 1) SELECT * FROM t',
    'SELECT a FROM a.b.c UNION SELECT b FROM a.b.d',
    'SELECT a FROM a.b.c UNION ALL SELECT b FROM a.b.d',
    'SELECT a FROM a.b.c WHERE EXISTS (SELECT 1)',
    // expressions outside the subset
    "SELECT CASE WHEN a = 1 THEN 'x' ELSE 'y' END FROM a.b.c",
    'SELECT a::int FROM a.b.c',
    'SELECT CAST(a AS int) FROM a.b.c',
    "SELECT a ->> 'x' FROM a.b.c",
    "SELECT a -> 'x' FROM a.b.c",
    'SELECT row_number() OVER (ORDER BY a) FROM a.b.c',
    'SELECT count(*) OVER (PARTITION BY a) FROM a.b.c',
    'SELECT count(*) overall FROM a.b.c',
    'SELECT a FROM a.b.c WHERE a BETWEEN 1 AND 2',
    "SELECT a FROM a.b.c WHERE a ILIKE 'x'",
    "SELECT a FROM a.b.c WHERE a LIKE 'x' ESCAPE '!'",
    'SELECT a FROM a.b.c WHERE NOT (a = 1)',
    'SELECT a % 2 FROM a.b.c',
    'SELECT a[1] FROM a.b.c',
    "SELECT E'x' FROM a.b.c",
    "SELECT DATE '2020-01-01' FROM a.b.c",
    "SELECT INTERVAL '1 day' FROM a.b.c",
    'SELECT trim(a) FROM a.b.c',
    'SELECT now() FROM a.b.c',
    'SELECT a COLLATE "C" FROM a.b.c',
    'SELECT t.* FROM a.b.c t',
    'SELECT a.b.c.d FROM a.b.c',
    'SELECT 1e5 FROM a.b.c',
    'SELECT 12345678901234567890 FROM a.b.c',
    'SELECT a FROM a.b.c WHERE a = $1',
    'SELECT a FROM a.b.c WHERE a = :x',
    'SELECT a FROM a.b.c WHERE a = @x',
    'SELECT `a` FROM a.b.c',
    "SELECT 'a\\'b' FROM a.b.c",
    'SELECT a-b FROM a.b.c',
    'SELECT DISTINCT ON (a) a FROM a.b.c',
    'SELECT sql_calc_found_rows a FROM a.b.c',
    'SELECT a FROM dual.b.c',
    'SELECT a AS1 FROM a.b.c',
    'SELECT a FROM a.b.c LIMIT ALL',
    'SELECT a FROM a.b.c ORDER BY a NULLS FIRST',
    "SELECT a FROM a.b.c WHERE a IS DISTINCT FROM 'x'",
    "SELECT f(a, 'x' AND b) FROM a.b.c",
    'SELECT count((a) + 1) FROM a.b.c',
    // names outside the subset
    'SELECT a FROM x',
    'SELECT a FROM a.b',
    'SELECT a FROM a.b.c.d',
    'SELECT a FROM a . b . c',
    'SELECT a FROM a.b.c t(x, y)',
    // statements outside the subset
    'INSERT INTO a.b.c VALUES (1)',
    "INSERT INTO a.b.c (x) VALUES ('a') ON CONFLICT DO NOTHING",
    'INSERT INTO a.b.c (x, y) VALUES (1)',
    'UPDATE a.b.c SET x = 1 FROM a.b.d',
    'UPDATE a.b.c SET t.x = 1',
    'DELETE FROM a.b.c RETURNING x',
    'DELETE a.b.c',
    'SHOW SERVICES IN azure',
    'EXEC a.b.c.d @x = 1',
    'SELECT 1; SELECT 2',
    // syntax errors, trailing garbage, unbalanced parentheses, unterminated text
    'SELECT',
    'SELECT a FROM',
    'SELECT a FROM a.b.c WHERE',
    'SELECT a, FROM a.b.c',
    'SELECT a FROM a.b.c garbage here',
    'SELECT a FROM a.b.c WHERE a = 1 b',
    'SELECT a FROM a.b.c WHERE (a = 1',
    'SELECT a FROM a.b.c WHERE a = 1)',
    'SELECT f(a FROM a.b.c',
    "SELECT 'a FROM a.b.c",
    'SELECT "a FROM a.b.c',
    'SELECT a /* FROM a.b.c',
    'SELECT a FROM a.b.c WHERE a IN ()',
    'SELECT a FROM a.b.c WHERE a = = 1',
    "INSERT INTO a.b.c (x) VALUES ('a'",
    'UPDATE a.b.c SET WHERE a = 1',
    '',
    '   ',
  ];

  it.each(outside)('%s', (text) => {
    expect(fastAstify(text)).toBeUndefined();
  });

  it('never throws, whatever the text', () => {
    for (const text of ['\u0000', '(((((', '))', "'", '"', '/*', '--', `SELECT ${'('.repeat(20_000)}a${')'.repeat(20_000)} FROM a.b.c`]) {
      expect(() => fastAstify(text)).not.toThrow();
    }
  });
});

describe('fastAstify: words with a meaning to node-sql-parser', () => {
  // Every keyword node-sql-parser's PostgreSQL grammar knows, read from its build.
  const build = readFileSync(createRequire(import.meta.url).resolve('node-sql-parser/build/postgresql.js'), 'utf8');
  const keywords = new Set([...build.matchAll(/"([A-Za-z_ ]+)"===[\w$]+\.substr\([\w$]+,\d+\)\.toLowerCase\(\)/g)].flatMap((match) => match[1].split(' ')));
  const templates = [
    'SELECT W FROM a.b.c WHERE W = 1 ORDER BY W',
    'SELECT a AS W, b W FROM a.b.c W',
    'SELECT count(*) W FROM a.b.c',
    'SELECT W(a) FROM a.b.c',
    "SELECT W(a, 'x'), W() FROM a.b.c",
    'SELECT t.W FROM W.b.c t',
    'INSERT INTO a.b.c (W) VALUES (W)',
    'UPDATE a.b.c SET W = 1 RETURNING W',
    'SELECT a FROM a.b.c WHERE a IN (1) W b = 1',
    'SELECT W1, a AS W_x FROM a.b.c',
  ];

  it(`agrees with node-sql-parser on each of ${keywords.size} keywords used as a name`, () => {
    expect(keywords.size).toBeGreaterThan(300);
    let fast = 0;
    for (const word of keywords) {
      for (const spelling of [word, word.toUpperCase(), `${word}x`]) {
        for (const template of templates) if (expectSameWhenDefined(template.replaceAll('W', spelling))) fast++;
      }
    }
    expect(fast).toBeGreaterThan(keywords.size * 10);
  });
});

describe('fastAstify: random statements', () => {
  let seed = 42;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pick = <T>(list: readonly T[]): T => list[random(list.length)];
  const space = () => pick([' ', ' ', ' ', '\n  ', '\t', ' /* c */ ', '  ']);
  const operand = (depth: number): string => {
    switch (random(depth > 2 ? 4 : 8)) {
      case 0:
        return pick(['a', 'status', 't.b', '"Q"', 'date', 'user', 'name']);
      case 1:
        return pick(["'x'", "'\u00011'", "'it''s'"]);
      case 2:
        return pick(['1', '2.50', '-3', 'TRUE', 'NULL']);
      case 3:
        return pick(['count(*)', 'avg(a)', 'count(DISTINCT a)', 'max(b)']);
      case 4:
        return `${pick(['json_extract', 'lower', 'f'])}(${condition(depth + 1)}${random(2) ? `, ${operand(depth + 1)}` : ''})`;
      case 5:
        return `(${condition(depth + 1)})`;
      case 6:
        return `${pick(['-', '- '])}${operand(depth + 1)}`;
      default:
        return `${operand(depth + 1)}${space()}${pick(['+', '-', '*', '/', '||'])}${space()}${operand(depth + 1)}`;
    }
  };
  const comparison = (depth: number): string => {
    const left = operand(depth);
    switch (random(6)) {
      case 0:
        return `${left}${space()}IN (${operand(depth + 1)}, ${operand(depth + 1)})`;
      case 1:
        return `${left} ${pick(['IS NULL', 'IS NOT NULL', "LIKE '%x'", "NOT LIKE 'y'", 'NOT IN (1)'])}`;
      case 2:
        return left;
      default:
        return `${left}${space()}${pick(['=', '<>', '!=', '<', '<=', '>', '>='])}${space()}${operand(depth)}`;
    }
  };
  const condition = (depth: number): string => {
    let sql = random(6) ? comparison(depth) : `NOT ${comparison(depth)}`;
    for (let n = random(depth > 1 ? 2 : 4); n > 0; n--)
      sql += `${space()}${pick(['AND', 'AND', 'OR'])}${space()}${random(6) ? comparison(depth + 1) : `NOT ${comparison(depth + 1)}`}`;
    return sql;
  };
  const statement = (): string => {
    const item = () => `${random(3) ? operand(0) : condition(0)}${pick(['', '', ' AS x', ' y'])}`;
    switch (random(4)) {
      case 0:
        return `UPDATE a.b.c SET a = ${operand(0)} WHERE ${condition(0)}${pick(['', ` RETURNING ${item()}`])}`;
      case 1:
        return `DELETE FROM a.b.c WHERE ${condition(0)}`;
      default:
        return `SELECT ${item()}, ${item()} FROM a.b.c WHERE ${condition(0)}${pick(['', ' GROUP BY a', ' ORDER BY a DESC LIMIT 3'])}`;
    }
  };

  it('either agrees with node-sql-parser or leaves the statement to it', () => {
    let fast = 0;
    for (let i = 0; i < 1500; i++) if (expectSameWhenDefined(statement())) fast++;
    expect(fast).toBeGreaterThan(600);
  });
});

describe('astifyShape', () => {
  it("returns the fast parser's AST for a statement in its subset", () => {
    const text = parserText(BENCHMARK[1]);
    expect(astifyShape(text)).toStrictEqual(nodeSqlParser(text));
  });

  it("still throws node-sql-parser's own error, with its position, for a syntax error", () => {
    const text = 'SELECT a FROM a.b.c WHERE a = 1 AND';
    let expected: unknown;
    try {
      astify(text);
    } catch (error) {
      expected = error;
    }
    expect(expected).toMatchObject({ location: { start: { offset: expect.any(Number) } } });
    expect(() => astifyShape(text)).toThrow(expected as Error);
    try {
      astifyShape(text);
    } catch (error) {
      expect((error as { location: unknown }).location).toStrictEqual((expected as { location: unknown }).location);
    }
  });
});
