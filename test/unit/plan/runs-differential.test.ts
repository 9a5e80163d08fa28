// Differential over pipeline runs: random statements (WHERE with AND/OR/NOT over text, numbers,
// booleans, NULLs, JSON and time; aggregates, DISTINCT, ORDER BY … LIMIT) on one factory's runs.
// skyql's answer (filters pushed into queryPipelineRuns, pages followed, the rest computed
// directly, in JavaScript or in SQLite) must be exactly what SQLite answers over the runs the time
// window holds, stored with the types skyql declares — or a coded refusal. Never another answer.
// SKYQL_RUNS_ROUNDS / SKYQL_RUNS_SEED run longer or replay; npm run test:all runs ten times the default.

import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/index.ts';
import { defaultFleet, FLEET_NOW, FLEET_SUBSCRIPTION, fleetHandlers, type Fleet } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';
import { agreesOrRefuses } from '../../helpers/differential.ts';
import { rounds, seeded } from '../../helpers/rounds.ts';

const ROUNDS = rounds(300, 'SKYQL_RUNS_ROUNDS');
const SEED = Number(process.env.SKYQL_RUNS_SEED ?? 1);
const REFUSALS = new Set(['PLAN_NO_MATCHING_METHOD', 'PLAN_MISSING_PARAM', 'PLAN_UNSUPPORTED', 'SQL_UNSUPPORTED', 'PLAN_TIME_WINDOW']);
const AFTER = '2026-11-21T00:00:00Z';
const FACTORY = `FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a2'`;
const FROM = `${FACTORY} AND lastUpdatedAfter = '${AFTER}'`;

/** The columns compared, with the types skyql's table declares for them (exec/affinity.ts). */
const COLUMNS: Record<string, 'TEXT' | 'INTEGER' | 'NUMERIC'> = {
  runId: 'TEXT',
  runGroupId: 'TEXT',
  isLatest: 'NUMERIC',
  pipelineName: 'TEXT',
  parameters: 'TEXT',
  invokedBy: 'TEXT',
  runStart: 'TEXT',
  runEnd: 'TEXT',
  durationInMs: 'INTEGER',
  status: 'TEXT',
  message: 'TEXT',
  lastUpdated: 'TEXT',
};

let fleet: Fleet;
let server: MockServer;
let engine: Engine;
let reference: DatabaseSync;

beforeAll(async () => {
  fleet = defaultFleet({ runsPerFactory: 40 });
  server = await startMockServer(fleetHandlers(fleet));
  engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, pacing: false, now: () => new Date(FLEET_NOW) });
  reference = new DatabaseSync(':memory:');
  const names = Object.keys(COLUMNS);
  // runs: those the window of FROM holds; all_runs: every run updated by now (no window given).
  for (const table of ['runs', 'all_runs']) {
    reference.exec(`CREATE TABLE ${table} (${names.map((name) => `${name} ${COLUMNS[name]}`).join(', ')})`);
    const insert = reference.prepare(`INSERT INTO ${table} VALUES (${names.map(() => '?').join(', ')})`);
    const from = table === 'runs' ? Date.parse(AFTER) : 0;
    for (const run of fleet.subscriptions[0].resourceGroups[0].factories[1].runs) {
      if (Date.parse(run.lastUpdated) < from || Date.parse(run.lastUpdated) > Date.parse(FLEET_NOW)) continue;
      const values = names.map((name) => {
        const value = (run as unknown as Record<string, unknown>)[name];
        if (typeof value === 'boolean') return value ? 1 : 0;
        return value !== null && typeof value === 'object' ? JSON.stringify(value) : (value as string | number | null);
      });
      insert.run(...values);
    }
  }
});
afterAll(async () => {
  await engine.close();
  await server.close();
  reference.close();
});

const runIdsOf = (fleet: Fleet) => fleet.subscriptions[0].resourceGroups[0].factories[1].runs.map((run) => run.runId);

function generator(next: () => number, runIds: readonly string[]) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const some = <T>(items: readonly T[]): T[] => [...new Set(items.filter(() => next() < 0.4).concat(pick(items)))];
  const quoted = (value: string) => `'${value}'`;
  const STATUSES = ['Succeeded', 'Failed', 'InProgress', 'Cancelled', 'failed', 'Queued'];
  const PIPELINES = ['ingest-orders', 'transform-sales', 'export-report', 'nope'];
  const atoms: (() => string)[] = [
    () => `status = ${quoted(pick(STATUSES))}`,
    () => `status IN (${some(STATUSES).map(quoted).join(', ')})`,
    () => `status ${pick(['<>', '!=', '<', '>='])} ${quoted(pick(STATUSES))}`,
    () => `status NOT IN (${some(STATUSES).map(quoted).join(', ')})`,
    () => `status COLLATE NOCASE = 'failed'`,
    () => `status LIKE ${quoted(pick(['F%', '%ed', 'in%']))}`,
    () => `pipelineName = ${quoted(pick(PIPELINES))}`,
    () => `pipelineName IN (${some(PIPELINES).map(quoted).join(', ')})`,
    () => `pipelineName <> ${quoted(pick(PIPELINES))}`,
    () => `isLatest = ${pick(['1', '0', 'true', 'false', "'1'", "'true'", '1.0'])}`,
    () => pick(['isLatest', 'NOT isLatest']),
    () => `runGroupId ${pick(['=', '<>'])} runId`,
    () => `durationInMs ${pick(['>', '<', '>=', '=', '<>'])} ${pick(['60000', "'60000'", '1e5', "'300000'", '0', 'NULL'])}`,
    () => `durationInMs IS ${pick(['NULL', 'NOT NULL'])}`,
    () => `durationInMs BETWEEN ${pick(['0', "'100000'"])} AND ${pick(['300000', "'400000'"])}`,
    () => `runEnd IS ${pick(['NULL', 'NOT NULL'])}`,
    () => `runStart ${pick(['>', '<', '>='])} ${quoted(pick(['2026-11-21', '2026-11-21T12:00:00Z', '2026-11-22T00:00:00.0000000Z']))}`,
    () => `json_extract(invokedBy, '$.invokedByType') = ${quoted(pick(['Manual', 'ScheduleTrigger']))}`,
    () => `json_extract(parameters, '$.batchSize') = ${pick(["'200'", '200', "'100'"])}`,
    () => `message ${pick(["LIKE '%failed%'", "= ''", "<> ''", 'IS NULL'])}`,
    () => `runId ${pick(['=', '=', '<>'])} ${quoted(pick([...runIds, 'x']))}`,
    () =>
      `runId IN (${some([...runIds, 'x'])
        .map(quoted)
        .join(', ')})`,
  ];
  const space = () => pick([' ', '\n  ', '  ']);
  const expression = (depth: number): string => {
    const count = 1 + Math.floor(next() * (depth > 1 ? 2 : 4));
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      let operand = depth < 2 && next() < 0.25 ? `(${expression(depth + 1)})` : pick(atoms)();
      if (next() < 0.15) operand = `NOT (${operand})`;
      parts.push(operand);
    }
    return parts.map((part, i) => (i === 0 ? part : `${space()}${pick(['AND', 'AND', 'OR'])}${space()}${part}`)).join('');
  };
  const SELECTS = [
    'runId, status, isLatest, durationInMs',
    'runId, pipelineName, runStart, runEnd, invokedBy, parameters, message',
    'runId AS id, durationInMs AS ms',
    'count(*) AS n',
    'status, count(*) AS n, sum(durationInMs) AS total, max(runStart) AS last',
    'DISTINCT pipelineName',
  ];
  const BOUND_TIMES = [
    "'2026-11-21'",
    "'2026-11-21T06:00:00Z'",
    "'2026-11-21T06:00:00.5000000Z'",
    "'2026-11-21 06:00:00'",
    "'2026-11-21T08:00:00+02:00'",
    "'2026-11-20T23:59:59.9999999Z'",
    "datetime('2026-11-21', '+6 hours')",
    "strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-21 12:00:00')",
  ];
  /** A lower bound on a column the window covers: the window must start early enough for it. */
  const lowerBound = () =>
    next() < 0.2
      ? `runStart BETWEEN ${pick(BOUND_TIMES)} AND '2026-11-22T06:00:00Z'`
      : `${pick(['runStart', 'lastUpdated', 'runEnd'])} ${pick(['>', '>='])} ${pick(BOUND_TIMES)}`;
  return (windowed = true) => {
    const select = pick(SELECTS);
    const grouped = select.startsWith('status,');
    const where = windowed ? (next() < 0.15 ? '' : ` AND (${expression(0)})`) : ` AND ${lowerBound()}${next() < 0.3 ? '' : ` AND (${expression(0)})`}`;
    const tail = grouped
      ? ' GROUP BY status'
      : next() < 0.2 && !select.includes('count') && !select.startsWith('DISTINCT')
        ? ' ORDER BY runStart DESC, runId LIMIT 3'
        : '';
    return { select, where, tail, ordered: tail.includes('ORDER BY') };
  };
}

describe('runs differential: skyql (pushdown + pages + local) = SQLite over the window', () => {
  it('a run id and the time window together: the run, if the window holds it (the list, filtered), not an unknown column', async () => {
    const [inside, outside] = [runIdsOf(fleet).at(-1)!, runIdsOf(fleet)[0]];
    const ids = async (id: string) => (await engine.query(`SELECT runId ${FROM} AND runId = '${id}'`)).rows.map((row) => row.runId);
    expect(await ids(inside)).toEqual([inside]);
    expect(await ids(outside)).toEqual([]);
  });

  it(`${ROUNDS} random statements over pipeline runs (seed ${SEED})`, async () => {
    await differential(true);
  });

  it(`${ROUNDS} random statements with a lower time bound instead of the window (seed ${SEED})`, async () => {
    await differential(false);
  });
});

/** `windowed`: FROM gives lastUpdatedAfter; otherwise a lower bound on runStart, runEnd or lastUpdated must set the window. */
async function differential(windowed: boolean): Promise<void> {
  const next = seeded(SEED);
  const statement = generator(next, runIdsOf(fleet).slice(0, 6));
  let answered = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { select, where, tail, ordered } = statement(windowed);
    const sql = `SELECT ${select} ${windowed ? FROM : FACTORY}${where}${tail}`;
    const expected = reference.prepare(`SELECT ${select} FROM ${windowed ? 'runs' : 'all_runs'} WHERE 1${where}${tail}`).all() as Record<string, unknown>[];
    if (await agreesOrRefuses(engine, { sql, expected, ordered }, REFUSALS)) answered++;
  }
  expect(answered / ROUNDS).toBeGreaterThan(0.8);
}
