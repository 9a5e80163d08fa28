// Statements of one shape share their parse, analysis, target and source skeleton; these tests
// check that nothing of one statement's values leaks into another's plan.

import { describe, expect, it } from 'vitest';
import { createEngine, type PlannedStatement } from '../../../src/index.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { errorOf } from '../../helpers/errors.ts';

const engine = createEngine({
  credential: fakeCredential(),
  pacing: false,
  now: () => new Date('2026-11-22T12:00:00Z'),
  endpoints: { azure: 'http://127.0.0.1:9' },
});
const SUB = '00000000-0000-0000-0000-000000000001';

function requestsOf(planned: PlannedStatement[]): { method: string; url: string; body?: string }[] {
  return planned
    .flatMap(({ plan }) => {
      if (plan.kind === 'select') return plan.sources.flatMap((source) => source.requests.map(({ request }) => request));
      return plan.kind === 'http' ? plan.requests : [];
    })
    .map(({ method, url, body }) => ({ method, url, body }));
}

const runsQuery = (factory: string, status: string) => `SELECT runId, status FROM azure.data_factory.pipeline_runs
  WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg' AND factoryName = '${factory}'
    AND lastUpdatedAfter = '2026-11-01T00:00:00Z' AND status = '${status}'`;

describe('statements of one shape', () => {
  it('plan their own values: URLs, pushed-down filters and local parameters', () => {
    const [first] = engine.plan(runsQuery('factory-one', 'Failed'));
    const [second] = engine.plan(runsQuery('factory-two-longer', 'Succeeded'));
    expect(requestsOf([first])[0].url).toContain('/factories/factory-one/queryPipelineRuns');
    expect(requestsOf([second])[0].url).toContain('/factories/factory-two-longer/queryPipelineRuns');
    expect(JSON.parse(requestsOf([first])[0].body!).filters).toEqual([{ operand: 'Status', operator: 'Equals', values: ['Failed'] }]);
    expect(JSON.parse(requestsOf([second])[0].body!).filters).toEqual([{ operand: 'Status', operator: 'Equals', values: ['Succeeded'] }]);
    if (first.plan.kind !== 'select' || second.plan.kind !== 'select') throw new Error('expected SELECT plans');
    expect(first.plan.query.params).toContain('Failed');
    expect(second.plan.query.params).toContain('Succeeded');
    expect(second.plan.query.params).not.toContain('Failed');
  });

  it('fan out over their own IN lists', () => {
    const query = (groups: string) => `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName IN (${groups})`;
    expect(requestsOf(engine.plan(query("'a', 'b'"))).map((request) => request.url)).toEqual([
      expect.stringContaining('/resourceGroups/a/'),
      expect.stringContaining('/resourceGroups/b/'),
    ]);
    expect(requestsOf(engine.plan(query("'c', 'd'"))).map((request) => request.url)).toEqual([
      expect.stringContaining('/resourceGroups/c/'),
      expect.stringContaining('/resourceGroups/d/'),
    ]);
  });

  it('point their errors into their own text, however long the strings before them', () => {
    const bad = (rg: string) =>
      `UPDATE azure.data_factory.factories SET tags = '{"a":1}' WHERE subscriptionId = '${SUB}' AND resourceGroupName = '${rg}' AND factoryName = 'f' AND nope = 'x'`;
    const short = errorOf(() => engine.plan(bad('r')));
    const long = errorOf(() => engine.plan(bad('a-much-longer-resource-group')));
    expect(short.code).toBe('PLAN_UNKNOWN_PARAM');
    expect(long.code).toBe('PLAN_UNKNOWN_PARAM');
    expect(long.span!.offset - short.span!.offset).toBe('a-much-longer-resource-group'.length - 1);
  });

  it('keep a select-list string as text and bind it elsewhere, whatever the value', () => {
    const [plain] = engine.plan(`SELECT 'label' AS tag, name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND name = 'x'`);
    const [other] = engine.plan(`SELECT 'other' AS tag, name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND name = 'y'`);
    if (plain.plan.kind !== 'select' || other.plan.kind !== 'select') throw new Error('expected SELECT plans');
    expect(plain.plan.query.text).toContain("'label'");
    expect(other.plan.query.text).toContain("'other'");
    expect(plain.plan.query.params).toEqual([SUB, 'x']);
    expect(other.plan.query.params).toEqual([SUB, 'y']);
  });

  it('run again with other vars, a templated statement plans each run’s values', () => {
    const sql = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      SELECT '{{ sub }}', '{{ rg }}', '{{ factory }}', '{{ pipeline }}' RETURNING runId`;
    const urls = ['p1', 'p2', 'p1'].map((pipeline) => requestsOf(engine.plan(sql, { vars: { sub: SUB, rg: 'rg', factory: 'fac', pipeline } }))[0].url);
    expect(urls.map((url) => /pipelines\/([^/]+)\/createRun/.exec(url)?.[1])).toEqual(['p1', 'p2', 'p1']);
    expect(errorOf(() => engine.plan(sql, { vars: { sub: SUB, rg: 'rg', factory: 'fac', pipeline: '' } })).code).toBe('PLAN_MISSING_PARAM');
    expect(errorOf(() => engine.plan(sql, { vars: { sub: SUB, rg: 'bad/rg', factory: 'fac', pipeline: 'p' } })).code).toBe('PLAN_INVALID_VALUE');
  });

  it('learn what a name is per resource: not a param of one is still a param of another', () => {
    const fresh = createEngine({ credential: fakeCredential(), pacing: false, endpoints: { azure: 'http://127.0.0.1:9' } });
    // runId is no param of any factories' SELECT method; of pipeline_runs it picks the get method.
    expect(errorOf(() => fresh.plan(`SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND runId = 'r'`)).code).toBe(
      'PLAN_UNKNOWN_COLUMN',
    );
    const [{ plan }] = fresh.plan(`SELECT runId FROM azure.data_factory.pipeline_runs
      WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg' AND factoryName = 'fac' AND runId = 'r'`);
    expect(plan.kind === 'select' && plan.sources[0].operation).toBe('azure.data_factory.pipeline_runs.get');
  });
});
