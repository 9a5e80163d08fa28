// skyql's benchmark harness: `npm run bench [-- --quick] [--scenario name …] [--latency ms] [--runs n]`.
//
// Design. A lean node:http mock of the ARM Data Factory and Synapse endpoints runs in a child
// process (mock-server.ts / mock-child.ts), one server per added latency (0 ms for the CPU
// scenarios, --latency ms, default 20, for the wall-time ones). Each scenario runs its contenders
// interleaved — A, B, C, A, B, C, … — and every single run is a fresh process of its own:
//   - skyql (library), undici, sdk: forked bench/worker.ts, which warms up, then measures the work
//     with process.cpuUsage() and performance.now() deltas, and reports its process's peak RSS;
//   - skyql-cli and the baselines: spawned `node --import usage-hook.mjs …`, whose own
//     resourceUsage() at exit gives CPU and peak RSS; wall and first output are timed here.
// A process per run costs a start-up per sample, but keeps each contender's CPU, heap, GC and
// RSS its own (a clean peak RSS is not possible with contenders sharing one process).
//
// A full run (all scenarios, no --quick) writes BENCHMARKS.md; any other run prints the table.
// Benchmarks are not tests: nothing here asserts a time, and `npm test` never runs it.

import { writeFileSync, readdirSync, rmSync, statSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ContenderName } from './contenders/api.ts';
import { ROOT, measureCommand, measureWorker } from './measure.ts';
import { DEFAULT_MOCK, spawnMock } from './mock-server.ts';
import { renderReport, renderTable, type ScenarioResult } from './report.ts';
import { allScenarios } from './scenarios/index.ts';
import { RESOURCE_GROUP, SPAWNED, SUBSCRIPTION, type Config, type Contender, type Scenario, type SpawnedName } from './scenarios/types.ts';
import { summarise, type Sample, type Summary } from './stats.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    skip: { type: 'string', multiple: true },
    latency: { type: 'string', default: '20' },
    runs: { type: 'string' },
  },
});

const config: Config = { quick: flags.quick, latency: Number(flags.latency) };
const runs = Number(flags.runs ?? (config.quick ? 2 : 5));
const chosen = flags.scenario?.flatMap((s) => s.split(','));
const skipped = flags.skip?.flatMap((s) => s.split(',')) ?? [];
const scenarios = allScenarios(config).filter((s) => (!chosen || chosen.includes(s.name)) && !skipped.includes(s.name));
if (scenarios.length === 0)
  throw new Error(
    `no scenario matches ${chosen?.join(', ')}; known: ${allScenarios(config)
      .map((s) => s.name)
      .join(', ')}`,
  );
const writesReport = !config.quick && !chosen;

const METHOD_NOTES = [
  "Client-side pacing is off for `skyql` and `skyql-cli` (engine option `pacing: false`, CLI `--no-pacing`): by default skyql paces ARM requests to 200 writes then 10/s and 250 reads then 25/s per origin and subscription (adapting to ARM's x-ms-ratelimit-remaining headers, which the mock does not send), so 2,000 createRuns would take ≥ 180 s against a mock that never throttles. `create-run-c32-paced` shows skyql as configured by default, and is not judged: pacing there is pure waiting, since the mock never throttles, where ARM (whose write bucket has the same size and rate) would answer the unpaced clients with 429s.",
  '`skyql-cli` is bin/skyql.js, as users run it (its bundle in dist/cli-bundle/), with `--no-pacing` in the scenarios that send requests.',
  "The SDK contender wraps the client's own bearerTokenAuthenticationPolicy: `allowInsecureConnection: true` lets its HTTP client use http://, but that policy (core-rest-pipeline) rejects every non-https URL whatever the options; the wrapper shows it an https:// URL and sends the http:// one (bench/contenders/sdk.ts).",
  'Peak RSS of an in-process contender includes Node with its TypeScript stripper and the scenario modules (≈ 65 MB before a contender is imported). Peak RSS of a streaming process mostly reflects V8 letting the heap grow under a high allocation rate: compare with `raw-stdout`, which holds one page at a time.',
  "Warm-ups and collection: where CPU is judged (latency 0), each in-process contender first does the measured work once in the same process (the `plan` scenario: 20,000 statements, then 10,000 measured: more than one cycle of the garbage collector; `plan-new-shapes`: 30,000 and 10,000, since V8 keeps compiling skyql's planner on its background threads, which `process.cpuUsage()` counts, until ~25,000 new shapes (when TurboFan inlines Array.prototype.map into the parser, the arrays it makes turn from packed to holey and the optimized code that read them is compiled again); the 32-in-flight `SELECT *` lists: 600 queries and 600, since after 200 both contenders still spent 1.3–1.5× their steady CPU a page), so the figures are steady costs; the `@20ms` scenarios warm up with 200 calls or 1,000 rows. Nothing forces a garbage collection before the window (until 2026-12-03 the worker did): a forced full collection deoptimizes the optimized code whose embedded hidden classes it cleared (`--trace-deopt`: \"embedded weak objects cleared\") and lowers the heap's limit, so the window paid for recompiling and for major collections it would not have had — measured on `SELECT *` at 32 in flight, skyql +40 % CPU a page (two major GCs in the window instead of none), undici +0 %; on `plan-new-shapes`, +15–40 % (148 µs a statement against 107–130). The window starts from the heap the warm-up left, as an application's next request does, and is long enough to hold its share of collections. Start-up costs are what `cli-*` and the `skyql-cli` rows show.",
  "Peak RSS of a streaming CLI: ≈ 54 MB of it is the Node binary mapped from disk; the rest is mostly V8's heap growing under a high allocation rate. A streaming skyql CLI stops its young generation's growth from the first page printed (src/cli/v8-tuning.ts; the start has grown it to 8 MB by then: ≈ 137 → ≈ 115 MB peak RSS; before the transport copied response chunks out as they arrive, ≈ 260 → ≈ 150 MB); `undici-jsonl` and `raw-stdout` run with V8's defaults.",
  'create-run-c1 and -c32 cycle 8 pipelines, so skyql plans each distinct call once and reuses the plan (src/plan/plan-cache.ts); create-run-c1-new-values sends a pipeline name never used before on every call, so nothing is reused: the cost of planning every call.',
  "`skyql-wire` (wire-select) is `skyql serve` in a process of its own, read by node-postgres in the worker: its CPU and peak RSS are the server process's alone. On this 2-core machine the client's own CPU (node-postgres parsing rows) runs alongside the server's, and the mock's too; both contenders are measured after ten warm-up runs, a server's steady state.",
  "The `undici` floor uses undici's `request()` and `body.text()`, the API an application reaches for. skyql's transport sends through the same undici Agent but reads each response with a dispatch handler of its own (src/exec/text-response.ts), without the readable stream and async resource `request()` makes per response: that is why skyql can spend less CPU per request than the floor while doing more (planning, checks, rows). Ratios near 1.2× move by ±15 % between runs on this shared 2-core machine, and whole runs can land in a slower phase of it: compare contenders within one run.",
  'Mock: 100 runs per queryPipelineRuns page, 100 factories per nextLink page, bodies pre-serialised (5,000 distinct objects, repeated), run in its own process; `@20ms` scenarios add 20 ms before each response.',
];

const QUICK_NOTE =
  '--quick is a smoke run (fewer statements, rows and warm-up, 2 runs a contender): it shows that every scenario works, and its figures are too small a sample to hold to the targets; a full run (no --quick) is the measurement, and writes BENCHMARKS.md.';
const notes = [...distNote(), ...(skipped.length > 0 ? [`Left out of this run (--skip): ${skipped.join(', ')}.`] : []), ...(config.quick ? [QUICK_NOTE] : [])];
const loadBefore = loadavg()[0];
const log = (text: string) => process.stderr.write(`${text}\n`);
const started = performance.now();
// The CLI reads ~/.skyql/providers unless told otherwise: an empty folder keeps a user's registry out.
const extraEnv = { SKYQL_REGISTRY_DIR: mkdtempSync(join(tmpdir(), 'skyql-bench-registry-')) };
const mock = await spawnMock({ ...DEFAULT_MOCK, latencies: [...new Set([0, ...scenarios.map((s) => s.latency)])] });

const results: ScenarioResult[] = [];
try {
  for (const scenario of scenarios) results.push(await runScenario(scenario));
} finally {
  await mock.close();
  rmSync(extraEnv.SKYQL_REGISTRY_DIR, { recursive: true, force: true });
}

const table = renderTable(results);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (writesReport) {
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}`;
  const load = `The whole run took ${seconds} s; 1-minute load average ${loadBefore.toFixed(2)} before it, ${loadavg()[0].toFixed(2)} after (other work on this 2-core machine during the run shows up as noise in the max columns).`;
  const header = {
    command,
    machine,
    node: process.version,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    notes: [...METHOD_NOTES, ...notes, load],
  };
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderReport(header, results, runs));
  log(`wrote BENCHMARKS.md (${seconds} s)`);
}
process.stdout.write(`${table}\n`);
for (const note of notes) log(`note: ${note}`);
log(`done in ${seconds} s`);

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const origin = mock.origins[scenario.latency];
  const context = { target: { origin, subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP } };
  const samples = new Map<Contender, Sample[]>(scenario.contenders.map((c) => [c, []]));
  const once = (contender: Contender): Promise<Sample> =>
    SPAWNED.includes(contender)
      ? measureCommand(`${contender} on ${scenario.name}`, scenario.command!(contender as SpawnedName, context), extraEnv)
      : measureWorker(scenario.name, contender as ContenderName, config, origin);
  // One unmeasured start of each spawned contender: the registry's JSON cache and the OS file cache are warm.
  for (const contender of scenario.contenders) if (SPAWNED.includes(contender) && scenario.unit === 'start') await once(contender);
  for (let run = 1; run <= runs; run++) {
    for (const contender of scenario.contenders) {
      const sample = await once(contender);
      samples.get(contender)!.push(sample);
      log(
        `${scenario.name} run ${run}/${runs} ${contender}: wall ${sample.wallMs.toFixed(1)} ms, cpu ${sample.cpuMs.toFixed(1)} ms, rss ${sample.rssMb.toFixed(0)} MB${sample.firstOutputMs ? `, first output ${sample.firstOutputMs.toFixed(1)} ms` : ''}`,
      );
    }
  }
  const summaries = new Map<Contender, Summary>([...samples].map(([c, s]) => [c, summarise(s, scenario.ops)]));
  return { scenario, results: summaries };
}

/** The CLI runs dist/ when it exists: say so when src/ changed after the last build. */
function distNote(): string[] {
  const newest = (dir: string): number => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }
    return latest;
  };
  const notes = [
    'The library contender imports src/index.ts (Node strips the types); the CLI runs bin/skyql.js, which loads dist/ when it exists (built by `npm run build`).',
  ];
  try {
    if (newest(join(ROOT, 'src')) > statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs) {
      notes.push('⚠ src/ changed after the last build: the skyql-cli rows measure an older dist/ than the skyql rows (run `npm run build` first).');
    }
  } catch {
    /* no dist/: the CLI runs src/ */
  }
  return notes;
}
