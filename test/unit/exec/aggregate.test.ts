// Grouping SELECTs computed in JavaScript (exec/aggregate.ts) against SQLite computing the same
// plan over the same pages: columns, rows, order and errors must be identical, over values of
// every type Azure could send (and some it should not).

import { describe, expect, it } from 'vitest';
import { createEngine, EngineError, type SqlValue } from '../../../src/index.ts';
import { executeSelect } from '../../../src/exec/select.ts';
import type { SelectStatementPlan } from '../../../src/plan/types-select.ts';
import { depsFor, pagedClient } from '../../helpers/exec-deps.ts';
import { rounds as roundsOf, seeded } from '../../helpers/rounds.ts';

const WHERE = `WHERE subscriptionId = '00000000-0000-0000-0000-000000000000' AND resourceGroupName = 'rg-1'
  AND factoryName = 'factory-1' AND lastUpdatedAfter = '2026-11-01T00:00:00Z'`;
const FROM = 'FROM azure.data_factory.pipeline_runs';

const engine = createEngine();

function selectPlan(sql: string): SelectStatementPlan {
  const [planned] = engine.plan(sql);
  if (planned.plan.kind !== 'select') throw new Error(`not a SELECT: ${sql}`);
  return planned.plan;
}

/** Both ways over the same pages: the result, or the error's code and message. */
async function bothWays(plan: SelectStatementPlan, pages: readonly unknown[][]) {
  const run = async (variant: SelectStatementPlan) => {
    try {
      const result = await executeSelect(variant, depsFor(pagedClient(pages)));
      return { columns: result.columns, rows: result.rows.map(withoutNegativeZero) };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { error: `${error.code}: ${error.message}` };
    }
  };
  const { aggregate: _aggregate, ...sqlite } = plan;
  return { javascript: await run(plan), sqlite: await run(sqlite) };
}

/** -0 and 0 print alike; SQLite keeps the sign of a REAL -0.0 only sometimes. */
function withoutNegativeZero(row: Readonly<Record<string, SqlValue>>) {
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, Object.is(value, -0) ? 0 : value]));
}

describe('aggregates in JavaScript', () => {
  it('plans the grouping SELECTs it can compute, and leaves the others to SQLite', () => {
    const grouped = (tail: string, select = 'pipelineName, count(*) AS n') => selectPlan(`SELECT ${select} ${FROM} ${WHERE} ${tail}`).aggregate !== undefined;
    expect(grouped('GROUP BY pipelineName')).toBe(true);
    expect(grouped('', 'count(*), max(durationInMs)')).toBe(true);
    expect(grouped('GROUP BY 1 ORDER BY n DESC, t', "json_extract(invokedBy, '$.invokedByType') AS t, count(*) AS n")).toBe(true);
    expect(grouped('GROUP BY pipelineName LIMIT 3')).toBe(true);
    expect(grouped('GROUP BY pipelineName ORDER BY pipelineName LIMIT 3')).toBe(false); // whether SQLite stops early is its plan's
    expect(grouped('GROUP BY pipelineName ORDER BY n DESC LIMIT 3')).toBe(true); // ties are put in SQLite's order by SQLite
    expect(grouped('GROUP BY pipelineName HAVING count(*) > 1')).toBe(false);
    expect(grouped('GROUP BY status')).toBe(false); // pipelineName is not a group key: SQLite picks a row's
    expect(grouped('GROUP BY pipelineName', 'pipelineName, count(DISTINCT status)')).toBe(false);
    expect(grouped('GROUP BY pipelineName', 'pipelineName, round(avg(durationInMs), 1)')).toBe(false);
    expect(grouped('GROUP BY 1', "json_extract(invokedBy, '$.a[0]'), count(*)")).toBe(false);
    expect(grouped("AND json_extract(invokedBy, '$.a') = 'x' GROUP BY pipelineName")).toBe(false);
  });

  it('groups the mock runs as SQLite does', async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({
      runId: `run-${i}`,
      pipelineName: `pipeline-${i % 5}`,
      status: i % 7 === 0 ? 'Failed' : 'Succeeded',
      durationInMs: 1000 + ((i * 37) % 500),
      invokedBy: { invokedByType: i % 2 ? 'ScheduleTrigger' : 'Manual', name: `t${i % 3}` },
    }));
    const plan = selectPlan(`SELECT pipelineName, json_extract(invokedBy, '$.invokedByType') AS trigger, count(*) AS runs, avg(durationInMs) AS avgMs,
      sum(durationInMs), min(status), max(json_extract(invokedBy, '$.name')) ${FROM} ${WHERE} GROUP BY pipelineName, trigger`);
    expect(plan.aggregate).toBeDefined();
    const { javascript, sqlite } = await bothWays(plan, [items.slice(0, 100), items.slice(100, 200), items.slice(200)]);
    expect(javascript).toStrictEqual(sqlite);
    expect(javascript.rows).toHaveLength(10);
    expect(javascript.columns).toEqual([
      'pipelineName',
      'trigger',
      'runs',
      'avgMs',
      'sum(durationInMs)',
      'min(status)',
      "max(json_extract(invokedBy, '$.name'))",
    ]);
  });

  it('gives one row over no rows without GROUP BY, and none with it', async () => {
    for (const sql of [
      `SELECT count(*), sum(durationInMs), total(durationInMs), avg(durationInMs), min(status) ${FROM} ${WHERE}`,
      `SELECT status, count(*) ${FROM} ${WHERE} GROUP BY status`,
    ]) {
      const { javascript, sqlite } = await bothWays(selectPlan(sql), [[]]);
      expect(javascript).toStrictEqual(sqlite);
    }
  });

  it('reads total() and json_group_array() as aggregates: one row over every page, not one per page', async () => {
    const pages = [[{ durationInMs: 1 }, { durationInMs: 2 }], [{ durationInMs: 4 }]];
    const plan = selectPlan(`SELECT total(durationInMs) AS t, json_group_array(durationInMs) AS a ${FROM} ${WHERE}`);
    expect(plan.streaming).toBeUndefined();
    const result = await executeSelect(plan, depsFor(pagedClient(pages)));
    expect(result.rows).toEqual([{ t: 7, a: '[1,2,4]' }]);
  });

  it('reports json_extract over text that is not JSON as SQLite does', async () => {
    const plan = selectPlan(`SELECT json_extract(message, '$.a') AS a, count(*) ${FROM} ${WHERE} GROUP BY a`);
    const { javascript, sqlite } = await bothWays(plan, [[{ message: '{"a": 1}' }, { message: 'not json' }]]);
    expect(javascript).toStrictEqual(sqlite);
    expect(javascript).toMatchObject({ error: expect.stringMatching(/^SQL_LOCAL: SQLite: malformed JSON/) });
  });

  it('agrees with SQLite on random statements over values of every type', async () => {
    // SKYQL_AGGREGATE_ROUNDS and _SEED run a longer search or replay (npm run test:all: ten times the default).
    const random = seeded(Number(process.env.SKYQL_AGGREGATE_SEED ?? 20261122));
    const rounds = roundsOf(600, 'SKYQL_AGGREGATE_ROUNDS');
    for (let round = 0; round < rounds; round++) {
      const sql = randomStatement(random);
      const plan = selectPlan(sql);
      expect(plan.aggregate, sql).toBeDefined();
      const pages = randomPages(random);
      const { javascript, sqlite } = await bothWays(plan, pages);
      // When several groups fail, which error comes first depends on the order SQLite's plan visits them.
      if ('error' in javascript && 'error' in sqlite) expect(javascript.error).toMatch(/^SQL_LOCAL: SQLite: (malformed JSON|integer overflow)$/);
      else expect(javascript, `${sql}\n${JSON.stringify(pages)}`).toStrictEqual(sqlite);
    }
  });
});

describe('values in local SQL', () => {
  it('stores whole numbers as INTEGER and booleans as 1/0, as SQLite would have', async () => {
    const pages = [
      [
        { durationInMs: 1234, isLatest: true, message: 'x' },
        { durationInMs: 2.5, isLatest: false, message: 'y' },
      ],
    ];
    const plan = selectPlan(
      `SELECT durationInMs || ' ms' AS took, typeof(durationInMs) AS type, isLatest, typeof(isLatest) AS flag ${FROM} ${WHERE} ORDER BY message`,
    );
    const result = await executeSelect(plan, depsFor(pagedClient(pages)));
    expect(result.rows).toEqual([
      { took: '1234 ms', type: 'integer', isLatest: 1, flag: 'integer' },
      { took: '2.5 ms', type: 'real', isLatest: 0, flag: 'integer' },
    ]);
  });
});

const FIELDS = ['pipelineName', 'status', 'durationInMs', 'message', 'isLatest', 'runGroupId'];
const FILTER_LITERALS = [
  "'a'",
  "'b'",
  "'12'",
  '12',
  "' 12 '",
  '1.5',
  "'1.5'",
  "'5.0'",
  '5',
  '0',
  '1',
  '-5',
  "'-3'",
  "'1e3'",
  '1000',
  "'1e16'",
  '7',
  "'7'",
  "''",
];
const JSON_FIELDS = ['invokedBy', 'parameters', 'runDimensions'];
const PATHS = ['$.a', '$.b', '$.b.c', '$.invokedByType', '$'];
const SCALARS: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  1,
  2,
  3,
  -5,
  7,
  1.5,
  0.1,
  0.2,
  0.3,
  -2.25,
  1e16,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 62,
  9.2e18,
  -9.2e18,
  1e300,
  -1e300,
  1e-7,
  123456.789,
  'a',
  'b',
  'A',
  'B',
  '',
  ' 12 ',
  '12',
  '-3',
  '1.5',
  '1e3',
  '12abc',
  'abc',
  'é',
  'e',
  '😀',
  '\uffff',
  '\ue000',
  '\ud800',
  'x\udc00y',
  '{"a":5}',
  '[1,2]',
  '5.0',
];
/**
 * Values inside JSON objects. Not unpaired surrogates: SQLite decodes their escapes to bytes that
 * are not UTF-8 and orders them as such, which JavaScript strings cannot mirror.
 */
const IN_JSON = SCALARS.filter((value) => value !== undefined && !(typeof value === 'string' && !value.isWellFormed()));
/** Values of a JSON column that are not objects: SQLite reads the text (or number) as JSON. */
const JSON_TEXTS: unknown[] = [null, undefined, true, false, 0, 1, 1.5, 2 ** 62, '{"a":5}', '{"a":5.0,"b":{"c":"z"}}', '[1,2]', '5.0', '12', '"a"'];
const OBJECTS: unknown[] = [
  { a: 1 },
  { a: 'x', b: { c: 2 } },
  { a: 2.5, b: { c: 'y' } },
  { b: { c: null } },
  { b: [1] },
  { invokedByType: 'Manual' },
  { invokedByType: 'ScheduleTrigger', a: true },
  {},
  [1, 2],
  [],
  { a: { z: 1 } },
  { a: [3] },
  { a: 2 ** 60 },
  { a: 9.2e18 },
];

function randomPages(random: () => number): unknown[][] {
  const count = Math.floor(random() * 40);
  const items = Array.from({ length: count }, () => {
    const item: Record<string, unknown> = {};
    for (const field of FIELDS) if (random() < 0.9) item[field] = pick(random, random() < 0.5 ? SCALARS.slice(0, 30) : SCALARS);
    for (const field of JSON_FIELDS)
      if (random() < 0.9) item[field] = random() < 0.85 ? randomObject(random) : pick(random, random() < 0.97 ? JSON_TEXTS : ['not json']);
    return item;
  });
  const pages: unknown[][] = [];
  for (let start = 0; start < items.length || pages.length === 0; ) {
    const size = 1 + Math.floor(random() * 15);
    pages.push(items.slice(start, start + size));
    start += size;
  }
  return pages;
}

function randomObject(random: () => number): unknown {
  const base = pick(random, OBJECTS);
  if (typeof base !== 'object' || base === null || Array.isArray(base) || random() < 0.5) return base;
  return { ...base, a: pick(random, IN_JSON), ...(random() < 0.3 ? { b: { c: pick(random, IN_JSON) } } : {}) };
}

/** A grouping statement the JavaScript path takes: keys, aggregates, GROUP BY by expression/alias/position, ORDER BY, LIMIT. */
function randomStatement(random: () => number): string {
  const value = () => (random() < 0.5 ? pick(random, FIELDS) : `json_extract(${pick(random, JSON_FIELDS)}, '${pick(random, PATHS)}')`);
  const keyCount = Math.floor(random() * 3);
  const keys = Array.from({ length: keyCount }, value);
  const items: { text: string; alias?: string; key?: number }[] = [];
  keys.forEach((key, index) => {
    if (random() < 0.8) items.push({ text: key, alias: random() < 0.5 ? `k${index}` : undefined, key: index });
  });
  const aggregates = 1 + Math.floor(random() * 3);
  for (let i = 0; i < aggregates; i++) {
    const fn = pick(random, ['count', 'sum', 'total', 'avg', 'min', 'max']);
    items.push({ text: fn === 'count' && random() < 0.4 ? 'count(*)' : `${fn}(${value()})`, alias: random() < 0.5 ? `a${i}` : undefined });
  }
  shuffle(random, items);
  const select = items.map((item) => (item.alias ? `${item.text} AS ${item.alias}` : item.text)).join(', ');
  const groupBy = keys.map((key, index) => {
    const at = items.findIndex((item) => item.key === index);
    const choice = random();
    if (at !== -1 && choice < 0.3) return String(at + 1);
    if (at !== -1 && items[at].alias && choice < 0.6) return items[at].alias!;
    return key;
  });
  const orderTerm = (at: number) => ({
    text: `${items[at].alias && random() < 0.5 ? items[at].alias! : random() < 0.5 ? String(at + 1) : items[at].text}${random() < 0.5 ? ' DESC' : ''}`,
    aggregate: items[at].key === undefined,
  });
  const orderBy = random() < 0.4 ? [] : Array.from({ length: 1 + Math.floor(random() * 2) }, () => orderTerm(Math.floor(random() * items.length)));
  // Sometimes every group key too, so that no two groups tie.
  if (orderBy.length > 0 && random() < 0.3) {
    keys.forEach((key, index) => {
      const at = items.findIndex((item) => item.key === index);
      orderBy.splice(
        Math.floor(random() * (orderBy.length + 1)),
        0,
        at === -1 ? { text: `${key}${random() < 0.5 ? ' DESC' : ''}`, aggregate: false } : orderTerm(at),
      );
    });
  }
  // Filters compare in the column's affinity: text with a numeric column, numbers with a text column.
  const literals = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, FILTER_LITERALS));
  const filter = random() < 0.4 ? ` AND ${pick(random, FIELDS)} ${random() < 0.5 ? `= ${literals()[0]}` : `IN (${literals().join(', ')})`}` : '';
  // A LIMIT after an ORDER BY that starts with a group key is left to SQLite (it may stop early).
  const limit =
    (orderBy.length === 0 || orderBy[0].aggregate) && random() < 0.4
      ? ` LIMIT ${Math.floor(random() * 4)}${random() < 0.5 ? ` OFFSET ${Math.floor(random() * 3)}` : ''}`
      : '';
  return `SELECT ${select} ${FROM} ${WHERE}${filter}${keys.length ? ` GROUP BY ${groupBy.join(', ')}` : ''}${orderBy.length ? ` ORDER BY ${orderBy.map((term) => term.text).join(', ')}` : ''}${limit}`;
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

function shuffle<T>(random: () => number, values: T[]): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
}
