// The plain data behind the fake Azure fleet (see azure-fleet.ts): subscriptions → resource groups →
// data factories → pipelines and pipeline runs, built deterministically (no Math.random, no Date.now).
// Object shapes follow the Data Factory 2018-06-01 spec examples (Factories_Get, Pipelines_Get,
// PipelineRuns_Get, PipelineRuns_QueryByFactory).

export type RunStatus = 'Succeeded' | 'Failed' | 'InProgress' | 'Cancelled';

export interface FactoryResource {
  id: string;
  name: string;
  type: 'Microsoft.DataFactory/factories';
  location: string;
  tags: Record<string, string>;
  eTag: string;
  properties: { provisioningState: string; createTime: string; version: string; [key: string]: unknown };
  identity?: { type: string; principalId?: string; tenantId?: string; [key: string]: unknown };
}

export interface PipelineResource {
  id: string;
  name: string;
  type: 'Microsoft.DataFactory/factories/pipelines';
  etag: string;
  properties: {
    description: string;
    activities: Record<string, unknown>[];
    parameters: Record<string, { type: string; defaultValue?: unknown }>;
    variables: Record<string, { type: string }>;
    annotations: string[];
  };
}

export interface PipelineRun {
  runId: string;
  runGroupId: string;
  isLatest: boolean;
  pipelineName: string;
  parameters: Record<string, string>;
  runDimensions: Record<string, string>;
  invokedBy: { id: string; name: string; invokedByType: string };
  runStart: string;
  runEnd: string | null;
  durationInMs: number | null;
  status: RunStatus;
  message: string;
  lastUpdated: string;
  annotations: string[];
}

export interface FleetFactory {
  factory: FactoryResource;
  pipelines: PipelineResource[];
  runs: PipelineRun[];
}
export interface FleetResourceGroup {
  name: string;
  location: string;
  factories: FleetFactory[];
}
export interface FleetSubscription {
  subscriptionId: string;
  resourceGroups: FleetResourceGroup[];
}

export interface Fleet {
  subscriptions: FleetSubscription[];
  tenantId: string;
  /** Items per page of the nextLink-paged lists (factories, pipelines). */
  pageSize: number;
  /** Runs per page of queryPipelineRuns (continuationToken). */
  runPageSize: number;
  /** The fake clock: createTime of new factories, runStart/lastUpdated of created runs. */
  now: string;
  /** Runs created through createRun so far (also feeds their ids). */
  createdRuns: number;
  /** Writes so far (feeds new eTags). */
  writes: number;
}

export interface FleetOptions {
  runsPerFactory?: number;
  pageSize?: number;
  runPageSize?: number;
}

export const FLEET_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const FLEET_TENANT = '00000000-0000-0000-0000-0000000000aa';
export const FLEET_NOW = '2026-11-22T12:00:00Z';
const HOUR = 3_600_000;
const WINDOW_START = Date.parse('2026-11-20T00:00:00Z');

/** FNV-1a, 32 bits, mixed, as 8 hex digits. */
function hash8(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  // murmur3's finaliser, so that close seeds give unrelated digits.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
}

/** A UUID-looking string derived from a seed. */
export function fakeUuid(seed: string): string {
  const hex = [0, 1, 2, 3].map((salt) => hash8(`${salt}:${seed}`)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ISO time with ADF's 7 fractional digits, e.g. 2026-11-20T03:00:00.1230000Z. */
export function adfTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function etagOf(seed: string): string {
  const hex = hash8(seed) + hash8(`e:${seed}`);
  return `"${hex.slice(0, 8)}-0000-0100-0000-${hex.slice(8, 16)}0000"`;
}

export function factoryId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.DataFactory/factories/${name}`;
}

const GROUPS = [
  { name: 'rg-a', location: 'East US', factories: 3, env: 'prod' },
  { name: 'rg-b', location: 'West Europe', factories: 2, env: 'dev' },
  { name: 'rg-c', location: 'East US 2', factories: 3, env: 'test' },
] as const;
const PIPELINES = ['ingest-orders', 'transform-sales', 'export-report', 'cleanup-staging'] as const;
const TEAMS = ['data', 'finance', 'ops'] as const;
/** Status by global run index: 6 Succeeded, 2 Failed, 1 InProgress, 1 Cancelled in every 10. */
const STATUS_CYCLE: readonly RunStatus[] = [
  'Succeeded',
  'Succeeded',
  'Failed',
  'Succeeded',
  'InProgress',
  'Succeeded',
  'Cancelled',
  'Succeeded',
  'Failed',
  'Succeeded',
];

function pipeline(factory: FactoryResource, name: string): PipelineResource {
  return {
    id: `${factory.id}/pipelines/${name}`,
    name,
    type: 'Microsoft.DataFactory/factories/pipelines',
    etag: fakeUuid(`etag:${factory.id}/${name}`),
    properties: {
      description: `${name} for ${factory.name}`,
      activities: [
        {
          name: `${name}-copy`,
          type: 'Copy',
          typeProperties: { source: { type: 'BlobSource' }, sink: { type: 'BlobSink' }, dataIntegrationUnits: 4 },
          inputs: [{ referenceName: 'exampleDataset', type: 'DatasetReference', parameters: { MyFolderPath: 'in' } }],
          outputs: [{ referenceName: 'exampleDataset', type: 'DatasetReference', parameters: { MyFolderPath: 'out' } }],
        },
      ],
      parameters: { windowStart: { type: 'String' }, batchSize: { type: 'Int', defaultValue: 100 } },
      variables: {},
      annotations: [],
    },
  };
}

function generatedRuns(entry: FleetFactory, factoryIndex: number, count: number, firstGlobal: number): PipelineRun[] {
  const runs: PipelineRun[] = [];
  const names = entry.pipelines.map((p) => p.name);
  for (let i = 0; i < count; i++) {
    const g = firstGlobal + i;
    // A run with i % 8 === 7 reruns its predecessor (same pipeline and runGroupId), which failed.
    const rerunOf = i % 8 === 7 ? runs[i - 1] : undefined;
    if (rerunOf) {
      rerunOf.isLatest = false;
      rerunOf.status = 'Failed';
    }
    const status = STATUS_CYCLE[g % STATUS_CYCLE.length];
    const planned = WINDOW_START + Math.floor((i * 59 * HOUR) / count) + factoryIndex * 5 * 60_000 + (g % 7) * 1_000 + 123;
    const start = rerunOf ? Math.max(planned, Date.parse(rerunOf.lastUpdated) + 60_000) : planned;
    const duration = (30 + ((g * 53) % 570)) * 1_000 + (g % 10) * 17;
    const runId = fakeUuid(`run:${entry.factory.id}:${i}`);
    const scheduled = !rerunOf && i % 2 === 0;
    runs.push({
      runId,
      runGroupId: rerunOf ? rerunOf.runGroupId : runId,
      isLatest: true,
      pipelineName: rerunOf ? rerunOf.pipelineName : names[(i + factoryIndex) % names.length],
      parameters: { windowStart: adfTime(start - (start % HOUR)), batchSize: String(100 * (1 + (i % 3))) },
      runDimensions: {},
      invokedBy: scheduled
        ? { id: fakeUuid(`trigger:${runId}`).replaceAll('-', ''), name: 'trigger-hourly', invokedByType: 'ScheduleTrigger' }
        : { id: fakeUuid(`manual:${runId}`).replaceAll('-', ''), name: 'Manual', invokedByType: 'Manual' },
      runStart: adfTime(start),
      runEnd: null,
      durationInMs: null,
      status,
      message: '',
      lastUpdated: adfTime(start + duration),
      annotations: [],
    });
  }
  for (const run of runs) finish(run);
  return runs;
}

/** runEnd, durationInMs and message from the final status. */
function finish(run: PipelineRun): void {
  const ended = run.status !== 'InProgress';
  run.runEnd = ended ? run.lastUpdated : null;
  run.durationInMs = ended ? Date.parse(run.lastUpdated) - Date.parse(run.runStart) : null;
  run.message = run.status === 'Failed' ? `Operation on target ${run.pipelineName}-copy failed: ErrorCode=UserErrorSourceBlobNotExists` : '';
}

/**
 * One subscription, rg-a (3 factories), rg-b (2), rg-c (3); factory k has 2 + (k % 3) pipelines and
 * `runsPerFactory` runs (default 8) between 2026-11-20T00:00Z and 2026-11-22T12:00Z (fleet.now).
 */
export function defaultFleet(options: FleetOptions = {}): Fleet {
  const runsPerFactory = options.runsPerFactory ?? 8;
  const resourceGroups: FleetResourceGroup[] = [];
  let factoryIndex = 0;
  let globalRun = 0;
  for (const group of GROUPS) {
    const factories: FleetFactory[] = [];
    for (let n = 1; n <= group.factories; n++, factoryIndex++) {
      const name = `factory-${group.name.slice(3)}${n}`;
      const id = factoryId(FLEET_SUBSCRIPTION, group.name, name);
      const factory: FactoryResource = {
        id,
        name,
        type: 'Microsoft.DataFactory/factories',
        location: group.location,
        tags: n === 3 ? {} : { env: group.env, team: TEAMS[factoryIndex % TEAMS.length] },
        eTag: etagOf(id),
        properties: {
          provisioningState: 'Succeeded',
          createTime: adfTime(Date.parse('2026-01-15T08:30:00Z') + factoryIndex * 24 * 7 * HOUR),
          version: '2018-06-01',
        },
        identity: { type: 'SystemAssigned', principalId: fakeUuid(`principal:${id}`), tenantId: FLEET_TENANT },
      };
      const entry: FleetFactory = { factory, pipelines: PIPELINES.slice(0, 2 + (factoryIndex % 3)).map((p) => pipeline(factory, p)), runs: [] };
      entry.runs = generatedRuns(entry, factoryIndex, runsPerFactory, globalRun);
      globalRun += runsPerFactory;
      factories.push(entry);
    }
    resourceGroups.push({ name: group.name, location: group.location, factories });
  }
  return {
    subscriptions: [{ subscriptionId: FLEET_SUBSCRIPTION, resourceGroups }],
    tenantId: FLEET_TENANT,
    pageSize: options.pageSize ?? 2,
    runPageSize: options.runPageSize ?? 3,
    now: FLEET_NOW,
    createdRuns: 0,
    writes: 0,
  };
}

// ---- accessors (names are matched case-insensitively, as ARM does) ----

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function subscriptionOf(fleet: Fleet, subscriptionId: string): FleetSubscription | undefined {
  return fleet.subscriptions.find((s) => same(s.subscriptionId, subscriptionId));
}

export function resourceGroupOf(fleet: Fleet, subscriptionId: string, resourceGroup: string): FleetResourceGroup | undefined {
  return subscriptionOf(fleet, subscriptionId)?.resourceGroups.find((g) => same(g.name, resourceGroup));
}

export function factoryOf(fleet: Fleet, subscriptionId: string, resourceGroup: string, name: string): FleetFactory | undefined {
  return resourceGroupOf(fleet, subscriptionId, resourceGroup)?.factories.find((f) => same(f.factory.name, name));
}

/** Every factory entry of the fleet, in listing order. */
export function allFactories(fleet: Fleet): FleetFactory[] {
  return fleet.subscriptions.flatMap((s) => s.resourceGroups.flatMap((g) => g.factories));
}

/** The factory resources of one resource group (of the first subscription holding it). */
export function factoriesIn(fleet: Fleet, resourceGroup: string): FactoryResource[] {
  for (const s of fleet.subscriptions) {
    const group = s.resourceGroups.find((g) => same(g.name, resourceGroup));
    if (group) return group.factories.map((f) => f.factory);
  }
  return [];
}

export function allPipelines(fleet: Fleet): PipelineResource[] {
  return allFactories(fleet).flatMap((f) => f.pipelines);
}

export function allRuns(fleet: Fleet): PipelineRun[] {
  return allFactories(fleet).flatMap((f) => f.runs);
}
