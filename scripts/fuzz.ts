// npm run fuzz [-- --runs 100000] [-- --seed 123]
//
// Fuzzes the front end with the property of test/fuzz/front-end.ts (engine.plan returns or
// throws a coded EngineError other than INTERNAL_INVARIANT; never another exception, never a
// hang), 100,000 cases by default, with a random seed that is printed so a failure can be
// replayed. The property runs in a worker thread watched from here: a plan that never returns
// is stopped and reported with its input. Exits 1 with the counterexample on a failure.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { checkFrontEnd, FRONT_END_ARBITRARIES, frontEndEngines, type FrontEndCase } from '../test/fuzz/front-end.ts';

/** No progress for this long means a hang. */
const HANG_MS = 15_000;

interface Job {
  readonly seed: number;
  readonly runs: number;
}
type Message =
  | { readonly type: 'case'; readonly arbitrary: string; readonly input: FrontEndCase }
  | {
      readonly type: 'result';
      readonly arbitrary: string;
      readonly numRuns: number;
      readonly ms: number;
      readonly failure?: { readonly report: string; readonly sql?: string };
    }
  | { readonly type: 'done' };

if (isMainThread) main();
else work(workerData as Job);

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string' } } });
  const runs = Number(values.runs);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(values.seed);
  if (!Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
    console.error('usage: npm run fuzz [-- --runs <n>] [-- --seed <integer>]');
    process.exit(2);
  }
  console.log(`fuzz: ${runs} cases, seed ${seed} (replay: npm run fuzz -- --seed ${seed} --runs ${runs})`);
  const started = Date.now();
  const worker = new Worker(new URL(import.meta.url), { workerData: { seed, runs } satisfies Job });
  let last: Extract<Message, { type: 'case' }> | undefined;
  let lastSeen = Date.now();
  let failed = false;
  const watchdog = setInterval(() => {
    if (Date.now() - lastSeen < HANG_MS) return;
    console.error(`\nHANG: no progress for ${HANG_MS / 1000} s (seed ${seed}); the ${last?.arbitrary ?? '?'} input being planned:`);
    console.error(JSON.stringify(last?.input ?? null));
    if (last) console.error(`sql:\n${last.input.sql}`);
    clearInterval(watchdog);
    process.exitCode = 1;
    void worker.terminate();
  }, 1_000);
  worker.on('message', (message: Message) => {
    lastSeen = Date.now();
    if (message.type === 'case') last = message;
    else if (message.type === 'result') {
      if (message.failure) {
        failed = true;
        console.error(`\n${message.arbitrary}: FAILED (seed ${seed})\n${message.failure.report}`);
        if (message.failure.sql !== undefined) console.error(`\ncounterexample sql:\n${message.failure.sql}`);
      } else {
        console.log(`  ${message.arbitrary}: ${message.numRuns} cases passed in ${message.ms} ms`);
      }
    } else {
      clearInterval(watchdog);
      console.log(failed ? `fuzz: FAILED (seed ${seed})` : `fuzz: ${runs} cases passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      process.exitCode = failed ? 1 : 0;
    }
  });
  worker.on('error', (error) => {
    clearInterval(watchdog);
    console.error(`fuzz: the worker crashed (seed ${seed}); last input: ${JSON.stringify(last?.input ?? null)}`);
    console.error(error);
    process.exitCode = 1;
  });
}

function work(job: Job): void {
  const port = parentPort!;
  const engines = frontEndEngines();
  const total = FRONT_END_ARBITRARIES.reduce((sum, { share }) => sum + share, 0);
  for (const { name, arbitrary, share } of FRONT_END_ARBITRARIES) {
    const numRuns = Math.ceil((job.runs * share) / total);
    const started = Date.now();
    const property = fc.property(arbitrary, (input) => {
      port.postMessage({ type: 'case', arbitrary: name, input } satisfies Message);
      checkFrontEnd(engines, input);
    });
    const details = fc.check(property, { seed: job.seed, numRuns });
    const failure = details.failed ? { report: fc.defaultReportMessage(details) ?? 'property failed', sql: details.counterexample?.[0].sql } : undefined;
    port.postMessage({ type: 'result', arbitrary: name, numRuns, ms: Date.now() - started, failure } satisfies Message);
  }
  port.postMessage({ type: 'done' } satisfies Message);
}
