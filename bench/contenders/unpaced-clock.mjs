// skyql paces requests client-side (src/exec/rate-limit.ts: token buckets with ARM's limits,
// 200 writes then 10/s, 250 reads then 25/s, per origin and subscription). The mock is not ARM and
// never throttles, and pacing would turn every scenario into a measurement of the bucket
// (2,000 createRuns ≥ 180 s). This clock, passed through the public `clock` engine option, moves an
// hour forward on every reading, so each bucket is full whenever it is looked at; skyql still runs
// all of its pacing code. Sleeps (retry back-off, long-running-operation polls) stay real.
// Plain JavaScript so the CLI launcher can load it without Node's TypeScript stripper.

let skew = 0;

/** @type {{ now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> }} */
export const unpacedClock = {
  now: () => Date.now() + (skew += 3_600_000),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  }),
};
