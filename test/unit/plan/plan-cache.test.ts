// Plans of HTTP statements are reused for the same statement and vars, never across different
// values, registries or endpoints, and never when a value came from the clock.

import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';

const CREATE_RUN = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
SELECT '{{ sub }}', 'rg-1', 'factory-1', '{{ pipeline }}' RETURNING runId`;
const SUB = '00000000-0000-0000-0000-000000000000';

describe('plan cache', () => {
  it('reuses the plan of a statement run again with the same vars, and only then', () => {
    const engine = createEngine();
    const plan = (pipeline: unknown) => engine.plan(CREATE_RUN, { vars: { sub: SUB, pipeline: pipeline as string } })[0].plan;
    const first = plan('nightly');
    expect(plan('nightly')).toBe(first);
    const other = plan('hourly');
    expect(other).not.toBe(first);
    expect(other).toMatchObject({ requests: [{ url: expect.stringContaining('/pipelines/hourly/createRun') }] });
    expect(plan('nightly')).toBe(first);
    // A lone placeholder keeps its var's type: 7 and '7' are different values.
    expect(plan(7)).not.toBe(plan('7'));
  });

  it('stops looking up a statement whose values are new every time, and still plans it right', () => {
    const engine = createEngine();
    const plan = (pipeline: string) => engine.plan(CREATE_RUN, { vars: { sub: SUB, pipeline } })[0].plan;
    for (let i = 0; i < 300; i++) expect(plan(`p-${i}`)).toMatchObject({ requests: [{ url: expect.stringContaining(`/pipelines/p-${i}/createRun`) }] });
    expect(plan('p-299')).not.toBe(plan('p-299'));
  });

  it('is per engine endpoints: the same statement elsewhere gets its own URL', () => {
    const vars = { sub: SUB, pipeline: 'nightly' };
    const here = createEngine({ endpoints: { azure: 'http://127.0.0.1:1' } }).plan(CREATE_RUN, { vars })[0].plan;
    const there = createEngine({ endpoints: { azure: 'http://127.0.0.1:2' } }).plan(CREATE_RUN, { vars })[0].plan;
    expect(here).toMatchObject({ requests: [{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:1\//) }] });
    expect(there).toMatchObject({ requests: [{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:2\//) }] });
  });

  it('plans again when a param defaults to a time relative to now', () => {
    let now = new Date('2026-11-22T12:00:00Z');
    const engine = createEngine({ now: () => now });
    const sql = `EXEC azure.data_factory.activity_runs.query_by_pipeline_run @subscriptionId='${SUB}', @resourceGroupName='rg-1', @factoryName='factory-1', @runId='00000000-0000-4000-8000-000000000001'`;
    const first = engine.plan(sql)[0].plan;
    now = new Date('2026-11-23T12:00:00Z');
    const second = engine.plan(sql)[0].plan;
    expect(second).not.toBe(first);
    expect(JSON.stringify(second)).toContain('2026-11-23T12:00:00');
  });
});
