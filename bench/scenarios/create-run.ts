// createRun: one POST per run, at concurrency 1 and 32; the latency variants judge wall time.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CREATE_RUN_SQL } from '../contenders/sql.ts';
import type { Api } from '../contenders/api.ts';
import { CLI, RESOURCE_GROUP, SUBSCRIPTION, cliFlags, poolSum, type Config, type Scenario } from './types.ts';

const FACTORY = 'bench-factory';
const pipeline = (i: number) => `pipeline-${i % 8}`;
/** A pipeline name never used before (so no plan is reused). */
const newPipeline = (i: number) => `pipeline-${i}-${Math.random().toString(36).slice(2)}`;

/** n createRuns, at most `concurrency` in flight; resolves to how many returned a run id. */
function createRuns(api: Api, n: number, concurrency: number, name: (i: number) => string): Promise<number> {
  return poolSum(n, concurrency, async (i) => ((await api.createRun(FACTORY, name(i))) ? 1 : 0));
}

/**
 * `newValues`: a pipeline name never used before on every call (so no plan is reused), where the
 * others cycle 8 pipelines, as an app triggering its pipelines does.
 */
function createRun(concurrency: number, n: number, latency: number, withCli: boolean, newValues = false): Scenario {
  const suffix = `${latency ? `@${latency}ms` : ''}${newValues ? '-new-values' : ''}`;
  const name = newValues ? newPipeline : pipeline;
  return {
    name: `create-run-c${concurrency}${suffix}`,
    title: `${n.toLocaleString('en')} × createRun, concurrency ${concurrency}${latency ? `, +${latency} ms latency` : ''}${newValues ? ', a new pipeline name every call' : ''}`,
    latency,
    ops: n,
    unit: 'call',
    expect: n,
    contenders: withCli ? ['skyql', 'skyql-cli', 'undici', 'sdk'] : ['skyql', 'undici', 'sdk'],
    targets: { skyql: [latency ? { kind: 'wall-ratio', vs: 'undici', max: 1.05 } : { kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
    warmup: (api) => createRuns(api, latency ? Math.min(n, 200) : n, concurrency, name),
    run: (api) => createRuns(api, n, concurrency, name),
    command(_contender, { target }) {
      // The CLI sends INSERT … VALUES rows one request each, in order: concurrency 1. The script
      // goes in a file (-f): 2,000 rows are more than one command-line argument may hold.
      const values = Array.from({ length: n }, (_, i) => `('${SUBSCRIPTION}', '${RESOURCE_GROUP}', '${FACTORY}', '${pipeline(i)}')`).join(',\n');
      const file = join(tmpdir(), `skyql-bench-create-run-${n}.sql`);
      writeFileSync(file, `${CREATE_RUN_SQL.split('\nSELECT')[0]}\nVALUES ${values}\nRETURNING runId;\n`);
      const flags = cliFlags(target.origin);
      return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, '-f', file], env: flags.env, lines: n };
    },
  };
}

/**
 * createRun at 32 in flight, measured over 10,000 calls: 2,000 (~0.15 s) are shorter than a cycle
 * of V8's garbage collector at this rate, so whether a run's window held a major collection
 * decided its figure (skyql 0.9x or 1.5x undici, by the run; the same clients over five
 * consecutive windows of 2,000 in one process paid the same collections). Over 10,000 the window
 * holds more of each client's collections, but paired runs still spread over 0.9-1.45x on this
 * 2-core machine: read the median.
 */
const CONCURRENT_CALLS = 10_000;

export function createRunScenarios(config: Config): Scenario[] {
  const q = config.quick;
  const scenarios = [
    createRun(1, q ? 100 : 2_000, 0, true),
    createRun(32, q ? 200 : CONCURRENT_CALLS, 0, false),
    createRun(1, q ? 100 : 2_000, 0, false, true),
  ];
  if (config.latency > 0) {
    scenarios.push(createRun(1, q ? 20 : 200, config.latency, false), createRun(32, q ? 200 : 2_000, config.latency, false));
  }
  scenarios.push(paced(q ? 220 : 250, config.latency), engineOverhead(q ? 2_000 : 20_000), engineOverhead(q ? 2_000 : 20_000, true));
  return scenarios;
}

/**
 * skyql's own CPU per createRun: the library with a transport that answers at once (no socket, no
 * mock), so the figure holds no network stack and moves little between runs. Not judged: it is
 * the part of create-run-c1 that is skyql's code, for comparing one build with another.
 */
function engineOverhead(n: number, newValues = false): Scenario {
  const name = newValues ? newPipeline : pipeline;
  return {
    name: `engine-overhead${newValues ? '-new-values' : ''}`,
    title: `${n.toLocaleString('en')} × createRun through the library with a transport that answers at once${newValues ? ', a new pipeline name every call' : ''}`,
    latency: 0,
    ops: n,
    unit: 'call',
    expect: n,
    contenders: ['skyql-stub'],
    targets: {},
    warmup: (api) => createRuns(api, n, 1, name),
    run: (api) => createRuns(api, n, 1, name),
  };
}

/** skyql as configured by default: client-side pacing on (ARM writes: 200 at once, then 10/s). */
function paced(n: number, latency: number): Scenario {
  return {
    name: `create-run-c32-paced${latency ? `@${latency}ms` : ''}`,
    title: `${n} × createRun, concurrency 32, skyql's default pacing on${latency ? `, +${latency} ms latency` : ''} (no warm-up: it would spend the bucket)`,
    latency,
    ops: n,
    unit: 'call',
    expect: n,
    contenders: ['skyql-paced', 'undici'],
    // Not judged: this mock never throttles, so pacing is pure waiting; ARM's write bucket has the
    // same size and rate, and there the unpaced clients would meet 429s instead (see the notes).
    targets: {},
    run: (api) => createRuns(api, n, 32, pipeline),
  };
}
