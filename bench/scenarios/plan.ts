// Parse + plan cost: engine.plan over 1,000 distinct statements (no request is sent), twice:
//   plan            the values differ, the statement shapes repeat (skyql caches parses per shape:
//                   the library answering an app's recurring statements);
//   plan-new-shapes every statement has a shape not seen before (a unique column alias): the cost
//                   the CLI pays, parsing each statement of a script once per process.

import type { Config, Scenario } from './types.ts';

// Enough statements for V8 to have compiled the hot paths: the figure is the steady cost per statement,
// not the JIT compiler's (which runs on other threads and would be counted as CPU). New shapes reach
// more code, later: V8 reaches its steady tiers only after ~25,000 new shapes (measured 2026-12-03,
// `.scratch/shapetrend.ts`: CPU per statement in windows of 5,000 — 130 µs at 10,000, a bump to
// ~140 at 15,000–25,000 as TurboFan inlines Array.prototype.map into the parser (its inlined map
// makes holey arrays where the builtin made packed ones, so every optimized function that read them
// deoptimized "wrong map" and was compiled again), then ~70–100 from 30,000 on, flat to 50,000).
const WARMUP = { repeating: 20_000, newShapes: 30_000 };
// Measured over more than one cycle of V8's garbage collector: 1,000 statements (≈ 40 ms) fell in
// a quiet or a busy phase of it by chance, and the figure swung between ≈ 30 and ≈ 120 µs; new
// shapes keep more garbage per statement, so their window is longer.
const MEASURED = { repeating: 10_000, newShapes: 10_000 };
const SUB = '00000000-0000-0000-0000-0000000000';
const hex = (i: number) => i.toString(16).padStart(12, '0');

/**
 * Statement i: six kinds (INSERT … SELECT, two SELECTs with pushdown, EXEC, UPDATE, INSERT … VALUES),
 * all distinct. With `newShape`, an alias unique to i makes every shape new (EXEC and INSERT … VALUES
 * have no alias, so the four other kinds take turns).
 */
export function statement(i: number, newShape = false): string {
  if (newShape) return newShapeStatement(i);
  const sub = `${SUB}${String(i % 100).padStart(2, '0')}`;
  const rg = `rg-${i % 37}`;
  const factory = `factory-${i}`;
  switch (i % 6) {
    case 0:
      return `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
SELECT '${sub}', '${rg}', '${factory}', 'pipeline-${i}' RETURNING runId`;
    case 1:
      return `SELECT runId, pipelineName, status, durationInMs FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${sub}' AND resourceGroupName = '${rg}' AND factoryName = '${factory}'
  AND lastUpdatedAfter = '2026-11-01T00:00:00Z' AND status = 'Failed' ORDER BY runStart DESC LIMIT 100`;
    case 2:
      return `EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId='${sub}', @resourceGroupName='${rg}',
  @factoryName='${factory}', @runId='00000000-0000-4000-8000-${hex(i)}', @isRecursive=true`;
    case 3:
      return `SELECT name, json_extract(properties, '$.provisioningState') AS state FROM azure.data_factory.factories
WHERE subscriptionId = '${sub}' AND resourceGroupName IN ('${rg}', 'rg-x${i}') AND json_extract(tags, '$.env') = 'prod'`;
    case 4:
      return `UPDATE azure.data_factory.factories SET tags = '{"env":"prod","n":"${i}"}'
WHERE subscriptionId = '${sub}' AND resourceGroupName = '${rg}' AND factoryName = '${factory}' RETURNING name, tags`;
    default:
      return `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName, parameters)
VALUES ('${sub}', '${rg}', '${factory}', 'nightly-${i}', '{"OutputBlobNameList":["out-${i}.csv"]}')`;
  }
}

function newShapeStatement(i: number): string {
  const sub = `${SUB}${String(i % 100).padStart(2, '0')}`;
  const rg = `rg-${i % 37}`;
  const factory = `factory-${i}`;
  switch (i % 4) {
    case 0:
      return `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
SELECT '${sub}', '${rg}', '${factory}', 'pipeline-${i}' RETURNING runId AS run_${i}`;
    case 1:
      return `SELECT runId AS run_${i}, pipelineName, status, durationInMs FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${sub}' AND resourceGroupName = '${rg}' AND factoryName = '${factory}'
  AND lastUpdatedAfter = '2026-11-01T00:00:00Z' AND status = 'Failed' ORDER BY runStart DESC LIMIT 100`;
    case 2:
      return `SELECT name AS factory_${i}, json_extract(properties, '$.provisioningState') AS state FROM azure.data_factory.factories
WHERE subscriptionId = '${sub}' AND resourceGroupName IN ('${rg}', 'rg-x${i}') AND json_extract(tags, '$.env') = 'prod'`;
    default:
      return `UPDATE azure.data_factory.factories SET tags = '{"env":"prod","n":"${i}"}'
WHERE subscriptionId = '${sub}' AND resourceGroupName = '${rg}' AND factoryName = '${factory}' RETURNING name AS factory_${i}, tags`;
  }
}

export function planScenarios(config: Config): Scenario[] {
  const measured = (newShape: boolean) => (config.quick ? 200 : newShape ? MEASURED.newShapes : MEASURED.repeating);
  const planAll = (api: { plan?(sql: string): number }, from: number, count: number, newShape: boolean) => {
    let plans = 0;
    for (let i = from; i < from + count; i++) plans += api.plan!(statement(i, newShape));
    return plans;
  };
  const scenario = (newShape: boolean, n = measured(newShape)): Scenario => ({
    name: newShape ? 'plan-new-shapes' : 'plan',
    title: `parse + plan (engine.plan), ${n.toLocaleString('en')} distinct statements, ${newShape ? 'each of a new shape' : 'shapes repeating, values differing'}`,
    latency: 0,
    ops: n,
    unit: 'statement',
    expect: n,
    contenders: ['skyql'],
    targets: { skyql: [{ kind: 'cpu-per-op', maxUs: 100 }] },
    // The warm-up's statements (other numbers, so other aliases) never share a shape with the measured ones when newShape is set.
    warmup: async (api) => planAll(api, 1_000_000, newShape ? WARMUP.newShapes : WARMUP.repeating, newShape),
    run: async (api) => planAll(api, 0, n, newShape),
  });
  return [scenario(false), scenario(true)];
}
