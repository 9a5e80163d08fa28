// Medians and ranges over a scenario's runs.

export interface Sample {
  readonly wallMs: number;
  /** user + system CPU of the measured work (in-process) or of the whole process (spawned). */
  readonly cpuMs: number;
  /** Peak resident set size of the contender's process. */
  readonly rssMb: number;
  /** Spawned contenders: from spawn to the first byte on stdout. */
  readonly firstOutputMs?: number;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export interface Summary {
  readonly runs: number;
  readonly wallMs: Spread;
  readonly cpuMs: Spread;
  /** CPU per operation, µs. */
  readonly cpuPerOpUs: Spread;
  readonly rssMb: Spread;
  readonly firstOutputMs?: Spread;
}

export function summarise(samples: readonly Sample[], ops: number): Summary {
  const first = samples.map((s) => s.firstOutputMs).filter((v): v is number => v !== undefined);
  return {
    runs: samples.length,
    wallMs: spread(samples.map((s) => s.wallMs)),
    cpuMs: spread(samples.map((s) => s.cpuMs)),
    cpuPerOpUs: spread(samples.map((s) => (s.cpuMs * 1000) / ops)),
    rssMb: spread(samples.map((s) => s.rssMb)),
    firstOutputMs: first.length ? spread(first) : undefined,
  };
}
