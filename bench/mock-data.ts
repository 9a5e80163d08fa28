// Deterministic ADF-shaped objects for the benchmark mock, serialised once at start-up so that
// answering a request is a buffer copy, not a JSON.stringify.

const BASE = Date.parse('2026-11-20T00:00:00Z');
const PIPELINES = ['ingest-orders', 'transform-sales', 'export-report', 'cleanup-staging', 'load-dim'];
const STATUSES = ['Succeeded', 'Succeeded', 'Failed', 'Succeeded', 'InProgress', 'Succeeded', 'Cancelled', 'Succeeded'];
const LOCATIONS = ['East US', 'West Europe', 'East US 2', 'North Europe'];

/** A UUID-looking string from a number (no randomness, so every run serves the same bytes). */
export function uuidOf(n: number, salt = 0): string {
  let h = (n * 2654435761 + salt * 40503) >>> 0;
  let hex = '';
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    hex += (h >>> 0).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const adfTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

/** One pipeline run as PipelineRuns_QueryByFactory returns it (about 700 bytes of JSON). */
export function runObject(i: number): Record<string, unknown> {
  const start = BASE + i * 37_000;
  const status = STATUSES[i % STATUSES.length];
  const duration = status === 'InProgress' ? null : 30_000 + ((i * 53) % 570) * 1_000;
  const runId = uuidOf(i, 1);
  const pipelineName = PIPELINES[i % PIPELINES.length];
  return {
    runId,
    runGroupId: runId,
    isLatest: true,
    pipelineName,
    parameters: { windowStart: adfTime(start - (start % 3_600_000)), batchSize: String(100 * (1 + (i % 3))) },
    runDimensions: {},
    invokedBy:
      i % 2 === 0
        ? { id: uuidOf(i, 2).replaceAll('-', ''), name: 'trigger-hourly', invokedByType: 'ScheduleTrigger' }
        : { id: uuidOf(i, 3).replaceAll('-', ''), name: 'Manual', invokedByType: 'Manual' },
    lastUpdated: adfTime(start + (duration ?? 10_000)),
    runStart: adfTime(start),
    runEnd: duration === null ? null : adfTime(start + duration),
    durationInMs: duration,
    status,
    message: status === 'Failed' ? `Operation on target ${pipelineName}-copy failed: ErrorCode=UserErrorSourceBlobNotExists` : '',
    annotations: [],
  };
}

/** One factory as Factories_List returns it. */
export function factoryObject(subscriptionId: string, i: number): Record<string, unknown> {
  const group = `rg-${i % 20}`;
  const name = `factory-${i}`;
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.DataFactory/factories/${name}`;
  return {
    id,
    name,
    type: 'Microsoft.DataFactory/factories',
    location: LOCATIONS[i % LOCATIONS.length],
    tags: i % 3 === 2 ? {} : { env: ['prod', 'dev'][i % 2], team: ['data', 'finance', 'ops'][i % 3] },
    eTag: `"${uuidOf(i, 4).slice(0, 8)}-0000-0100-0000-${uuidOf(i, 5).slice(0, 8)}0000"`,
    properties: { provisioningState: i % 17 === 0 ? 'Failed' : 'Succeeded', createTime: adfTime(BASE - i * 3_600_000), version: '2018-06-01' },
    identity: { type: 'SystemAssigned', principalId: uuidOf(i, 6), tenantId: '00000000-0000-0000-0000-0000000000aa' },
  };
}

/**
 * Pre-serialised list pages: `page(k, size)` is `{"value":[…]` for page k of `size` items,
 * without the closing brace, so the server appends a continuation token or nextLink and `}`.
 * Pages repeat after `distinct` pages (each item is still a well-formed, plausible object).
 */
export class PageCache {
  readonly #items: string[];
  readonly #pages = new Map<string, Buffer>();
  constructor(count: number, make: (i: number) => unknown) {
    this.#items = Array.from({ length: count }, (_, i) => JSON.stringify(make(i)));
  }
  /** Items [offset, offset + size) of the cycle, as a page prefix. */
  page(offset: number, size: number): Buffer {
    const start = offset % this.#items.length;
    const key = `${start}:${size}`;
    let page = this.#pages.get(key);
    if (!page) {
      const items: string[] = [];
      for (let i = 0; i < size; i++) items.push(this.#items[(start + i) % this.#items.length]);
      page = Buffer.from(`{"value":[${items.join(',')}]`);
      this.#pages.set(key, page);
    }
    return page;
  }
}
