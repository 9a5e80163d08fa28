// A scenario: the same work for every contender, its size, and the targets it is judged against.

import type { Api, ContenderName, Target } from '../contenders/api.ts';

/** In-process contenders run in bench/worker.ts; spawned ones are whole processes (the CLI, baselines). */
export type SpawnedName = 'skyql-cli' | 'raw-stdout' | 'undici-jsonl' | 'node-empty';
export type Contender = ContenderName | SpawnedName;
export const SPAWNED: readonly Contender[] = ['skyql-cli', 'raw-stdout', 'undici-jsonl', 'node-empty'];

export interface Config {
  readonly quick: boolean;
  /** Added mock latency for the wall-time scenarios (ms); 0 skips them. */
  readonly latency: number;
}

export interface Context {
  readonly target: Target;
}

/** A command line to spawn with the project's Node: argv after the node binary. */
export interface Command {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Lines stdout must hold (checked after every run). */
  readonly lines?: number;
}

export type Check =
  | { readonly kind: 'cpu-ratio'; readonly vs: Contender; readonly max: number }
  | { readonly kind: 'wall-ratio'; readonly vs: Contender; readonly max: number }
  | { readonly kind: 'cpu-per-op'; readonly maxUs: number }
  | { readonly kind: 'first-output'; readonly maxMs: number }
  | { readonly kind: 'rss'; readonly maxMb: number };

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** Which mock server (added latency, ms). */
  readonly latency: number;
  /** Operations per run: API calls (HTTP requests), statements, rows or process starts. */
  readonly ops: number;
  readonly unit: 'call' | 'statement' | 'start' | 'row';
  /** Rows a run produces (for rows/s), when it lists. */
  readonly rows?: number;
  readonly contenders: readonly Contender[];
  /** Checks per contender (the skyql rows are the ones judged). */
  readonly targets: Partial<Record<Contender, readonly Check[]>>;
  /**
   * Runs before the measured work in the same process (JIT, sockets, registry load). Where CPU is
   * judged, it is the measured work itself, once: the figures are then each contender's steady cost,
   * not V8 compiling its code (on other threads, so counted as CPU) — start-up is what the CLI
   * scenarios measure.
   */
  warmup?(api: Api, context: Context): Promise<unknown>;
  /** The measured work; resolves to a count that is checked against `expect`. */
  run?(api: Api, context: Context): Promise<number>;
  readonly expect?: number;
  command?(contender: SpawnedName, context: Context): Command;
}

export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const RESOURCE_GROUP = 'bench-rg';
export const AFTER = '2026-11-01T00:00:00Z';
/** The Node that runs the benchmark (npm puts the project's Node 24 first on PATH). */
export const NODE = process.execPath;

/** fn(i) for i < n, at most `concurrency` in flight. */
/** The sum of what n calls resolve to, at most `concurrency` in flight (each result is added once it is in: no `sum += await …`, which loses updates). */
export async function poolSum(n: number, concurrency: number, fn: (i: number) => Promise<number>): Promise<number> {
  let sum = 0;
  await pool(n, concurrency, async (i) => {
    const value = await fn(i);
    sum += value;
  });
  return sum;
}

export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

/** skyql's CLI, as users run it (cliFlags turns its pacing off). */
export const CLI = 'bin/skyql.js';

/** The skyql CLI's flags that point it at the mock with a bearer token from the environment, pacing off (the mock never throttles). */
export function cliFlags(origin: string): { args: string[]; env: Record<string, string> } {
  return {
    args: ['--no-pacing', '--auth', '{"azure":{"type":"bearer","credentialsenvvar":"BENCH_TOKEN"}}', '--endpoint', `azure=${origin}`],
    env: { BENCH_TOKEN: 'x' },
  };
}
