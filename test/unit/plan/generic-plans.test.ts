// Plans reused across SELECTs that differ only in their strings (plan/generic-plans.ts) must be the
// planner's plans. Differential: random statements of a few shapes, their strings drawn from values
// a user writes and values that make the planner act differently (refused by a param's rules,
// encoded, merged as repeats, compared as numbers, LIKE patterns, dates, hosts); the engine's plan
// (reused once a shape is known) must equal the planner's own (a read-only plan never reuses one),
// or both must fail with the same error. SKYQL_GENERIC_ROUNDS / SKYQL_GENERIC_SEED run longer or replay.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/index.ts';
import { EngineError } from '../../../src/errors.ts';
import type { StatementPlan } from '../../../src/plan/types.ts';
import { FLEET_NOW, FLEET_SUBSCRIPTION } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';
import { rounds, seeded } from '../../helpers/rounds.ts';
import { errorOf, rejectionOf } from '../../helpers/errors.ts';

const ROUNDS = rounds(1_500, 'SKYQL_GENERIC_ROUNDS');
const SEED = Number(process.env.SKYQL_GENERIC_SEED ?? 7);

const SCOPE = `subscriptionId = \${${FLEET_SUBSCRIPTION}} AND resourceGroupName = \${rg-a}`;
const RUNS = `FROM azure.data_factory.pipeline_runs WHERE ${SCOPE}`;
const FACTORIES = `FROM azure.data_factory.factories WHERE ${SCOPE}`;
const PIPELINES = `FROM azure.data_factory.pipelines WHERE ${SCOPE}`;

/**
 * Statement shapes: each `${value}` or `?{value}` is a string literal, here with a value that plans;
 * `?` marks the one a user looking things up changes.
 */
const SHAPES = [
  `SELECT * ${RUNS} AND factoryName = \${factory-a1} AND runId = ?{00000000-0000-4000-8000-000000000001}`,
  `SELECT runId, status ${RUNS} AND factoryName = \${factory-a1} AND runId = ?{00000000-0000-4000-8000-000000000001} AND status = \${Failed}`,
  `SELECT runId ${RUNS} AND factoryName = ?{factory-a1} AND lastUpdatedAfter = \${2026-11-20T00:00:00Z} AND lastUpdatedBefore = \${2026-11-21T00:00:00Z} AND status = \${Failed}`,
  `SELECT runId ${RUNS} AND factoryName = ?{factory-a1} AND runStart >= \${2026-11-20T00:00:00Z} AND lastUpdatedBefore = \${2026-11-21T00:00:00Z}`,
  // A bound on a column the time window covers is not a param: its value becomes the window's start, a date-time.
  `SELECT runId, runStart ${RUNS} AND factoryName = \${factory-a1} AND runStart >= ?{2026-11-20} AND lastUpdatedBefore = \${2026-11-21T00:00:00Z}`,
  `SELECT name, location ${FACTORIES} AND factoryName = ?{factory-a1}`,
  `SELECT name ${FACTORIES} AND factoryName IN (\${factory-a2}, ?{factory-a1})`,
  `SELECT name ${FACTORIES} AND factoryName = ?{factory-a1} AND factoryName = \${factory-a1}`,
  `SELECT name ${FACTORIES} AND factoryName = ?{factory-a1} AND factoryName = 5`,
  // A number among the values: a string that reads as it is the same value, sent once.
  `SELECT runId ${RUNS} AND factoryName = \${factory-a1} AND runId IN (?{run-1}, 12345)`,
  `SELECT json_extract(properties, \${$.provisioningState}) AS v ${FACTORIES} AND factoryName = ?{factory-a1}`,
  `SELECT name, \${tag} AS tag ${PIPELINES} AND factoryName = ?{factory-a1} AND name LIKE \${pipe_%}`,
  `SELECT name ${PIPELINES} AND factoryName = ?{factory-a1} AND name = \${pipeline-1} ORDER BY name LIMIT 5`,
  `SELECT count(*) AS n ${PIPELINES} AND factoryName = ?{factory-a1} AND name <> \${pipeline-1}`,
  `SELECT name ${PIPELINES} AND factoryName = ?{factory-a1} LIMIT \${2}`,
  'SELECT name FROM azure.synapse_artifacts.pipelines WHERE endpoint = ${https://ws1.dev.azuresynapse.net} AND pipelineName = ?{pipeline-1}',
];

/** Strings a statement may give: ids and names, and values each of which makes planning go another way. */
const VALUES = [
  FLEET_SUBSCRIPTION,
  '00000000-0000-4000-8000-000000000001',
  '00000000-0000-4000-8000-000000000002',
  'rg-a',
  'RG-A',
  'rg_b',
  'factory-a1',
  'factory-a2',
  'factory.a3',
  'pipeline-1',
  'Succeeded',
  'Failed',
  '5',
  '05',
  '2',
  'null',
  'true',
  'name',
  'select',
  '.',
  '..',
  '.hidden',
  '',
  'x y',
  "o'brien",
  'a/b',
  'a%2Fb',
  '%',
  'pipe_%',
  'pipe~1',
  'İstanbul',
  'a'.repeat(70),
  '-lead',
  '2026-11-20T00:00:00Z',
  '2026-11-21',
  '20261122',
  '2026-02-30',
  'factoryName',
  'FACTORYNAME',
  '$.location',
  'ws1',
  '{{ x }}',
];

const SLOT = /([$?])\{([^}]*)\}/g;

/** Names a user looks up: valid for the params they go to. */
const NAMES = [
  'factory-a1',
  'factory-a2',
  'factory-b1',
  'pipeline-1',
  'Pipeline-2',
  '00000000-0000-4000-8000-000000000001',
  'rg-a-copy',
  '2026-11-19',
  '2026-11-18',
  '12345',
];

// A fixed clock: a plan with a default time window says when it was made.
const suite = fleetSuite({ runsPerFactory: 5 }, () => ({ now: () => new Date(FLEET_NOW) }));

type Outcome = { plan: StatementPlan; statement: string } | { code: string; message: string; span?: unknown };

function outcome(engine: Engine, sql: string, readOnly: boolean): Outcome {
  try {
    const [planned] = engine.plan(sql, { readOnly });
    return { plan: planned.plan, statement: planned.statement };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { code: error.code, message: error.message, span: error.span };
  }
}

function sqlOf(shape: string, values: readonly string[]): string {
  let at = 0;
  return shape.replace(SLOT, () => `'${values[at++].replace(/'/g, "''")}'`);
}

/** The plan's first request's headers: made anew by the planner for each statement, shared by the plans a shape reuses. */
function headersOf(plan: StatementPlan): object | undefined {
  return plan.kind === 'select' ? plan.sources[0]?.requests[0]?.request.headers : undefined;
}

describe('plans reused across statements of one shape', () => {
  it(`equal the planner's, or fail as it does (${ROUNDS} rounds, seed ${SEED})`, () => {
    const random = seeded(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    // One engine sees a user looking things up (only the `?` changes: a name, or now and then any
    // string); the other sees any strings anywhere (shapes learned, or given up, amid noise).
    const noisy = suite.newEngine();
    const seen = new Set<object>();
    let reused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const shape = pick(SHAPES);
      const lookup = random() < 0.8;
      const slots = [...shape.matchAll(SLOT)].map(([, kind, value]) =>
        lookup ? (kind === '?' ? pick(random() < 0.6 ? NAMES : VALUES) : value) : random() < 0.5 ? value : pick(VALUES),
      );
      if (!lookup && slots.length > 1 && random() < 0.2) slots[slots.length - 1] = slots[0];
      const sql = sqlOf(shape, slots);
      const engine = lookup ? suite.engine : noisy;
      const got = outcome(engine, sql, false);
      const want = outcome(engine, sql, true);
      expect(got, `round ${round}: ${sql}`).toEqual(want);
      if (!('plan' in got)) continue;
      const headers = headersOf(got.plan);
      if (headers && seen.has(headers)) reused++;
      if (headers) seen.add(headers);
    }
    void noisy.close();
    // The test is about reused plans: many rounds must have had one.
    expect(reused).toBeGreaterThan(ROUNDS / 5);
  });

  it('a new id is the only change: from the fourth statement on, the plan is the earlier ones with the new id, and runs', async () => {
    const run = suite.fleet.subscriptions[0].resourceGroups[0].factories[0].runs;
    const sql = (runId: string) =>
      `SELECT * FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND runId = '${runId}'`;
    // The first is remembered, the second kept, the third shows what changes, the fourth is filled in.
    const plans = run.slice(0, 4).map((entry) => suite.engine.plan(sql(entry.runId))[0].plan);
    expect(plans.slice(0, 3).map(headersOf)).toContain(headersOf(plans[3]));
    expect(plans[3]).toEqual(suite.engine.plan(sql(run[3].runId), { readOnly: true })[0].plan);
    for (const entry of run.slice(0, 4)) {
      const { rows } = await suite.engine.query(sql(entry.runId));
      expect(rows).toEqual([expect.objectContaining({ runId: entry.runId, pipelineName: entry.pipelineName, status: entry.status })]);
    }
    const sent = suite.server.requests.filter((request) => request.path.includes('/pipelineruns/')).map((request) => request.path.split('?')[0]);
    expect(sent).toEqual(run.slice(0, 4).map((entry) => expect.stringMatching(new RegExp(`/factories/factory-a1/pipelineruns/${entry.runId}$`))));
  });

  it("a script that moves on to the next factory's runs has its lookups reused there too", () => {
    const sql = (factory: string, runId: string) =>
      `SELECT * FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = '${factory}' AND runId = '${runId}'`;
    for (const factory of ['factory-a1', 'factory-a2', 'factory-a3']) {
      const plans = ['run-1', 'run-2', 'run-3', 'run-4'].map((runId) => suite.engine.plan(sql(factory, runId))[0].plan);
      expect(plans.slice(0, 3).map(headersOf)).toContain(headersOf(plans[3]));
      expect(plans[3]).toEqual(suite.engine.plan(sql(factory, 'run-4'), { readOnly: true })[0].plan);
    }
  });

  it("a value the param's rules refuse is refused as the planner refuses it", () => {
    const sql = (name: string) =>
      `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = '${name}'`;
    suite.engine.plan(sql('factory-a1'));
    suite.engine.plan(sql('factory-a2'));
    const text = sql('-bad-');
    const error = errorOf(() => suite.engine.plan(text));
    expect(error.code).toBe('PLAN_INVALID_VALUE');
    expect(error.message).toMatch(/factoryName = "-bad-" is invalid: must match/);
    expect(outcome(suite.engine, text, true)).toEqual({ code: error.code, message: error.message, span: error.span });
  });
});

describe('what a shape learned is forgotten when names change meaning', () => {
  const folder = mkdtempSync(join(tmpdir(), 'skyql-generic-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("a view read by a statement: its strings are the view's too, and the statement's values are checked as the planner checks them", async () => {
    const engine = createEngine({ credential: fakeCredential(), endpoints: { azure: suite.server.origin }, pacing: false, userRegistry: folder });
    const where = `subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a'`;
    try {
      await engine.query(`CREATE OR REPLACE VIEW factory_places AS SELECT factoryName, location FROM azure.data_factory.factories WHERE ${where}`);
      const read = (name: string) => engine.query(`SELECT * FROM factory_places WHERE factoryName = '${name}'`);
      expect((await read('factory-a1')).rows).toEqual([{ factoryName: 'factory-a1', location: 'East US' }]);
      expect((await read('factory-a2')).rows).toEqual([{ factoryName: 'factory-a2', location: 'East US' }]);
      const refused = await rejectionOf(read('-bad-'));
      expect(refused.code).toBe('PLAN_INVALID_VALUE');
      await engine.query(
        `CREATE OR REPLACE VIEW factory_places AS SELECT factoryName, 'replaced' AS location FROM azure.data_factory.factories WHERE ${where}`,
      );
      expect((await read('factory-a3')).rows).toEqual([{ factoryName: 'factory-a3', location: 'replaced' }]);
    } finally {
      await engine.close();
    }
  });

  it("a plan with a value SQLite computed when it was planned (datetime('now', …)) is made anew each time", () => {
    const sql = (factory: string) =>
      `SELECT runId FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = '${factory}' AND runStart >= datetime('now', '-1 day') AND lastUpdatedBefore = '2026-12-31T00:00:00Z'`;
    // Planned within one second, these plans are alike; a later one would not be.
    const plans = ['factory-a1', 'factory-a2', 'factory-a3', 'factory-b1', 'factory-b2'].map((factory) => suite.engine.plan(sql(factory))[0].plan);
    const seen = plans.slice(0, 4).map(headersOf);
    expect(seen).not.toContain(headersOf(plans[4]));
  });

  it('a plan with a time from the clock (a default time window) is made anew each time', () => {
    let now = Date.parse('2026-11-22T12:00:00Z');
    const engine = suite.newEngine({ now: () => new Date(now) });
    const sql = (factory: string) =>
      `SELECT runId FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a' AND factoryName = '${factory}'`;
    try {
      // The first two in the same millisecond (their plans are alike), the next ones later.
      for (const [factory, later] of [
        ['factory-a1', 0],
        ['factory-a2', 0],
        ['factory-a3', 60_000],
        ['factory-a1', 60_000],
      ] as const) {
        now += later;
        expect(engine.plan(sql(factory))[0].plan).toEqual(engine.plan(sql(factory), { readOnly: true })[0].plan);
      }
    } finally {
      void engine.close();
    }
  });
});
