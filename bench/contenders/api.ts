// What every in-process contender implements: the same operations, the same results, so a
// scenario drives skyql, raw undici and the Azure SDK with one loop.

export interface Target {
  /** The mock's origin for this run (its port carries the added latency). */
  readonly origin: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

/** The columns every contender projects from a pipeline run. */
export interface RunRow {
  runId: unknown;
  pipelineName: unknown;
  status: unknown;
  runStart: unknown;
  durationInMs: unknown;
}

type RunLike = Parameters<typeof toRunRow>[0];

/** listRuns for a contender whose query calls back with each page's runs. */
export async function listRunPages(
  query: (factory: string, after: string, onValue: (value: RunLike[]) => void) => Promise<unknown>,
  factory: string,
  after: string,
  onPage: (rows: readonly RunRow[]) => void,
): Promise<number> {
  let count = 0;
  await query(factory, after, (value) => {
    const rows = value.map(toRunRow);
    count += rows.length;
    onPage(rows);
  });
  return count;
}

/** The row every contender makes of a pipeline run: the columns skyql's SELECT asks for. */
export function toRunRow(r: { runId?: unknown; pipelineName?: unknown; status?: unknown; runStart?: unknown; durationInMs?: unknown }): RunRow {
  return { runId: r.runId, pipelineName: r.pipelineName, status: r.status, runStart: r.runStart, durationInMs: r.durationInMs ?? null };
}
export interface FactoryRow {
  id: unknown;
  name: unknown;
  location: unknown;
}
/** GROUP BY pipelineName, json_extract(invokedBy, '$.invokedByType'): count(*), avg(durationInMs). */
export interface SummaryRow {
  pipelineName: unknown;
  trigger: unknown;
  runs: number;
  avgMs: number | null;
}

export interface Api {
  createRun(factory: string, pipeline: string): Promise<string>;
  /** Every run of the factory updated after `after`, page by page; resolves to the row count. */
  listRuns(factory: string, after: string, onPage: (rows: readonly RunRow[]) => void): Promise<number>;
  listFactories(subscriptionId: string, onPage: (rows: readonly FactoryRow[]) => void): Promise<number>;
  /** The same lists with every column, as users write `SELECT *`: each contender's whole item. */
  listRunsAll(factory: string, after: string, onPage: (rows: readonly object[]) => void): Promise<number>;
  listFactoriesAll(subscriptionId: string, onPage: (rows: readonly object[]) => void): Promise<number>;
  runsSummary(factory: string, after: string): Promise<readonly SummaryRow[]>;
  /** One run by id with every column (`SELECT * … WHERE runId = '…'`, the id written into the statement); resolves to its runId. */
  getRun(factory: string, runId: string): Promise<string>;
  /** Parse and plan only (skyql); the others do not have this step. */
  plan?(sql: string): number;
  /** A contender whose work is done by a server process (skyql-wire): that process's CPU so far and peak RSS. */
  serverUsage?(): Promise<{ cpuMs: number; rssMb: number }>;
  close(): Promise<void>;
}

export type ContenderName = 'skyql' | 'skyql-paced' | 'skyql-stub' | 'skyql-wire' | 'undici' | 'sdk';

/** The static credential every contender uses: no identity round trip in any measurement. */
export const staticCredential = {
  getToken: async () => ({ token: 'x', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export async function createApi(name: ContenderName, target: Target): Promise<Api> {
  if (name === 'skyql' || name === 'skyql-paced') return (await import('./skyql.ts')).skyqlApi(target, name === 'skyql-paced');
  if (name === 'skyql-stub') return (await import('./skyql.ts')).skyqlApi(target, false, true);
  if (name === 'skyql-wire') return (await import('./skyql-wire.ts')).skyqlWireApi(target);
  if (name === 'undici') return (await import('./undici.ts')).undiciApi(target);
  return (await import('./sdk.ts')).sdkApi(target);
}

/** Aggregates runs like the GROUP BY statement does (avg ignores NULL, as SQL's does). */
export class Summary {
  readonly #groups = new Map<string, SummaryRow & { sum: number; counted: number }>();
  add(pipelineName: unknown, trigger: unknown, durationInMs: unknown): void {
    const key = `${String(pipelineName)}\u0000${String(trigger)}`;
    let group = this.#groups.get(key);
    if (!group) this.#groups.set(key, (group = { pipelineName, trigger, runs: 0, avgMs: null, sum: 0, counted: 0 }));
    group.runs++;
    if (typeof durationInMs === 'number') {
      group.sum += durationInMs;
      group.counted++;
    }
  }
  rows(): SummaryRow[] {
    return [...this.#groups.values()].map((g) => ({
      pipelineName: g.pipelineName,
      trigger: g.trigger,
      runs: g.runs,
      avgMs: g.counted ? g.sum / g.counted : null,
    }));
  }
}
