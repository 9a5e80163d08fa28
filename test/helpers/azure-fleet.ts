// A deterministic fake Azure Data Factory fleet as msw handlers (serve them with startMockServer):
// nextLink-paged factory and pipeline lists, continuationToken-paged queryPipelineRuns with filters,
// Get of each, createRun, and PUT/PATCH/DELETE of factories. The handlers mutate the fleet they were
// given, so a test can look at it afterwards (allRuns(fleet).length, fleet.createdRuns, …).

import { http, HttpResponse, type RequestHandler } from 'msw';
import { cloudError } from './azure-mock.ts';
import {
  adfTime,
  defaultFleet,
  etagOf,
  factoryId,
  factoryOf,
  fakeUuid,
  resourceGroupOf,
  subscriptionOf,
  type FactoryResource,
  type Fleet,
  type FleetFactory,
  type FleetResourceGroup,
  type PipelineRun,
} from './azure-fleet-data.ts';

export * from './azure-fleet-data.ts';

export const FLEET_API_VERSION = '2018-06-01';

type Params = Record<string, string>;
type Json = Record<string, unknown>;
interface Call {
  request: Request;
  url: URL;
  params: Params;
}
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A handler for an ARM path template ({name} segments), matched case-insensitively on any host. */
function route(method: Method, template: string, handle: (call: Call) => Response | Promise<Response>): RequestHandler {
  const names: string[] = [];
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const pattern = new RegExp(`^${source}/?$`, 'i');
  return http[method]<Params>(
    ({ request }) => {
      const match = pattern.exec(new URL(request.url).pathname);
      try {
        return match ? { matches: true, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1])])) } : false;
      } catch {
        return false;
      }
    },
    ({ request, params }) => {
      const url = new URL(request.url);
      const version = url.searchParams.get('api-version');
      if (version !== FLEET_API_VERSION) {
        return cloudError(
          400,
          'InvalidApiVersionParameter',
          `The api-version '${version ?? ''}' is invalid. The supported versions are '${FLEET_API_VERSION}'.`,
        );
      }
      return handle({ request, url, params: params as Params });
    },
  );
}

const json = (body: unknown, status = 200) => HttpResponse.json(body as Json, { status });
const token = (kind: string, offset: number) => Buffer.from(`${kind}:${offset}`).toString('base64url');
function untoken(kind: string, value: string): number | undefined {
  const match = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(value, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
const invalid = (message: string) => cloudError(400, 'InvalidRequest', message);
const notFound = (type: string, name: string, rg: string) =>
  cloudError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

/** An ARM list page: value + absolute nextLink (same origin and path, api-version, $skiptoken). */
function armPage(items: readonly unknown[], url: URL, pageSize: number): Response {
  const skip = url.searchParams.get('$skiptoken');
  const start = skip === null ? 0 : untoken('skip', skip);
  if (start === undefined) return invalid(`The $skiptoken '${skip}' is invalid.`);
  const end = start + Math.max(1, pageSize);
  const nextLink = end < items.length ? `${url.origin}${url.pathname}?api-version=${FLEET_API_VERSION}&$skiptoken=${token('skip', end)}` : undefined;
  return json(nextLink ? { value: items.slice(start, end), nextLink } : { value: items.slice(start, end) });
}

async function readJson(request: Request): Promise<Json | Response> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(text);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : invalid('The request body must be a JSON object.');
  } catch {
    return invalid('The request body is not valid JSON.');
  }
}

function groupOf(fleet: Fleet, { sub, rg }: Params): FleetResourceGroup | Response {
  if (!subscriptionOf(fleet, sub)) return cloudError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
  return resourceGroupOf(fleet, sub, rg) ?? cloudError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
}

function entryOf(fleet: Fleet, params: Params): FleetFactory | Response {
  const group = groupOf(fleet, params);
  if (group instanceof Response) return group;
  return factoryOf(fleet, params.sub, params.rg, params.factory) ?? notFound('Microsoft.DataFactory/factories', params.factory, params.rg);
}

const isStringMap = (value: unknown): value is Record<string, string | null> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => v === null || typeof v === 'string');

// ---- queryPipelineRuns ----

const OPERANDS: Record<string, (run: PipelineRun) => string> = {
  PipelineName: (run) => run.pipelineName,
  Status: (run) => run.status,
  RunGroupId: (run) => run.runGroupId,
  LatestOnly: (run) => String(run.isLatest),
};
const ORDER_FIELDS: Record<string, (run: PipelineRun) => string> = {
  RunStart: (run) => run.runStart,
  RunEnd: (run) => run.runEnd ?? '\uffff',
  PipelineName: (run) => run.pipelineName,
  Status: (run) => run.status,
};

function queryRuns(runs: readonly PipelineRun[], body: Json, pageSize: number): Response {
  const { lastUpdatedAfter: after, lastUpdatedBefore: before, filters = [], orderBy = [], continuationToken } = body;
  if (typeof after !== 'string' || typeof before !== 'string') return invalid("The parameters 'lastUpdatedAfter' and 'lastUpdatedBefore' are required.");
  const [from, to] = [Date.parse(after), Date.parse(before)];
  if (Number.isNaN(from) || Number.isNaN(to)) return invalid("'lastUpdatedAfter' and 'lastUpdatedBefore' must be date-times.");
  if (!Array.isArray(filters) || !Array.isArray(orderBy)) return invalid("'filters' and 'orderBy' must be arrays.");
  let selected = runs.filter((run) => Date.parse(run.lastUpdated) >= from && Date.parse(run.lastUpdated) <= to);
  for (const filter of filters as Json[]) {
    const field = OPERANDS[String(filter?.operand)];
    const values = filter?.values;
    if (!field) return invalid(`The filter operand '${String(filter?.operand)}' is not supported (fake fleet: ${Object.keys(OPERANDS).join(', ')}).`);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return invalid("A filter's 'values' must be an array of strings.");
    const negate = filter.operator === 'NotEquals' || filter.operator === 'NotIn';
    if (!negate && filter.operator !== 'Equals' && filter.operator !== 'In')
      return invalid(`The filter operator '${String(filter.operator)}' is not supported.`);
    selected = selected.filter((run) => values.includes(field(run)) !== negate);
  }
  const order = [...(orderBy as Json[]), { orderBy: 'RunStart', order: 'ASC' }];
  for (const o of order)
    if (!ORDER_FIELDS[String(o?.orderBy)] || (o.order !== 'ASC' && o.order !== 'DESC')) return invalid(`Unsupported orderBy ${JSON.stringify(o)}.`);
  selected.sort((a, b) => {
    for (const o of order) {
      const key = ORDER_FIELDS[String(o.orderBy)];
      const cmp = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
      if (cmp !== 0) return o.order === 'DESC' ? -cmp : cmp;
    }
    return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
  });
  const start = continuationToken === undefined || continuationToken === null ? 0 : untoken('runs', String(continuationToken));
  if (start === undefined) return invalid(`The continuationToken '${String(continuationToken)}' is invalid.`);
  const end = start + Math.max(1, pageSize);
  const value = selected.slice(start, end);
  return json(end < selected.length ? { value, continuationToken: token('runs', end) } : { value });
}

// ---- writes ----

function withIdentity(identity: unknown, id: string, fleet: Fleet): FactoryResource['identity'] {
  if (identity === null || typeof identity !== 'object') return undefined;
  const result = { ...identity } as NonNullable<FactoryResource['identity']>;
  if (String(result.type).includes('SystemAssigned')) {
    result.principalId ??= fakeUuid(`principal:${id}`);
    result.tenantId ??= fleet.tenantId;
  }
  return result;
}

function createRun(fleet: Fleet, entry: FleetFactory, pipelineName: string, url: URL, parameters: Json): Response {
  const reference = url.searchParams.get('referencePipelineRunId');
  const original = reference ? entry.runs.find((r) => r.runId === reference) : undefined;
  if (reference && !original) return invalid(`The referencePipelineRunId '${reference}' was not found.`);
  fleet.createdRuns += 1;
  const runId = `00000000-0000-4000-8000-${fleet.createdRuns.toString(16).padStart(12, '0')}`;
  const runGroupId = original?.runGroupId ?? runId;
  for (const run of entry.runs) if (run.runGroupId === runGroupId) run.isLatest = false;
  const now = adfTime(Date.parse(fleet.now));
  entry.runs.push({
    runId,
    runGroupId,
    isLatest: true,
    pipelineName,
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
    runDimensions: {},
    invokedBy: { id: runId.replaceAll('-', ''), name: 'Manual', invokedByType: 'Manual' },
    runStart: now,
    runEnd: null,
    durationInMs: null,
    status: 'InProgress',
    message: '',
    lastUpdated: now,
    annotations: [],
  });
  return json({ runId });
}

function putFactory(fleet: Fleet, group: FleetResourceGroup, params: Params, body: Json): Response {
  const name = params.factory;
  if (!/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(name) || name.length < 3 || name.length > 63) {
    return cloudError(400, 'InvalidResourceName', `The factory name '${name}' is invalid.`);
  }
  if (typeof body.location !== 'string' || body.location === '')
    return cloudError(400, 'LocationRequired', 'The location property is required for this definition.');
  if (body.tags !== undefined && !isStringMap(body.tags)) return invalid("'tags' must map names to strings.");
  const existing = group.factories.find((f) => f.factory.name.toLowerCase() === name.toLowerCase());
  const id = factoryId(params.sub, group.name, existing?.factory.name ?? name);
  fleet.writes += 1;
  const factory: FactoryResource = {
    id,
    name: existing?.factory.name ?? name,
    type: 'Microsoft.DataFactory/factories',
    location: body.location,
    tags: Object.fromEntries(Object.entries(body.tags ?? {}).filter((e): e is [string, string] => e[1] !== null)),
    eTag: etagOf(`${id}#${fleet.writes}`),
    properties: {
      ...(body.properties !== null && typeof body.properties === 'object' ? body.properties : {}),
      provisioningState: 'Succeeded',
      createTime: existing?.factory.properties.createTime ?? adfTime(Date.parse(fleet.now)),
      version: FLEET_API_VERSION,
    },
  };
  const identity = withIdentity(body.identity, id, fleet);
  if (identity) factory.identity = identity;
  if (existing) existing.factory = factory;
  else group.factories.push({ factory, pipelines: [], runs: [] });
  return json(factory);
}

function patchFactory(fleet: Fleet, entry: FleetFactory, body: Json): Response {
  if (body.tags !== undefined && !isStringMap(body.tags)) return invalid("'tags' must map names to strings.");
  const factory = entry.factory;
  for (const [key, value] of Object.entries(body.tags ?? {})) {
    if (value === null) delete factory.tags[key];
    else factory.tags[key] = value;
  }
  if (body.identity !== undefined) factory.identity = withIdentity({ ...factory.identity, ...(body.identity as Json) }, factory.id, fleet);
  if (body.properties !== null && typeof body.properties === 'object') Object.assign(factory.properties, body.properties);
  fleet.writes += 1;
  factory.eTag = etagOf(`${factory.id}#${fleet.writes}`);
  return json(factory);
}

// ---- handlers ----

const SUB = '/subscriptions/{sub}';
const FACTORIES = `${SUB}/resourceGroups/{rg}/providers/Microsoft.DataFactory/factories`;
const FACTORY = `${FACTORIES}/{factory}`;

export function fleetHandlers(fleet: Fleet = defaultFleet()): RequestHandler[] {
  const withEntry = (handle: (entry: FleetFactory, call: Call) => Response | Promise<Response>) => (call: Call) => {
    const entry = entryOf(fleet, call.params);
    return entry instanceof Response ? entry : handle(entry, call);
  };
  return [
    route('get', `${SUB}/providers/Microsoft.DataFactory/factories`, ({ url, params }) => {
      const subscription = subscriptionOf(fleet, params.sub);
      if (!subscription) return cloudError(404, 'SubscriptionNotFound', `The subscription '${params.sub}' could not be found.`);
      return armPage(
        subscription.resourceGroups.flatMap((g) => g.factories.map((f) => f.factory)),
        url,
        fleet.pageSize,
      );
    }),
    route('get', FACTORIES, ({ url, params }) => {
      const group = groupOf(fleet, params);
      return group instanceof Response
        ? group
        : armPage(
            group.factories.map((f) => f.factory),
            url,
            fleet.pageSize,
          );
    }),
    route(
      'get',
      FACTORY,
      withEntry((entry) => json(entry.factory)),
    ),
    route('put', FACTORY, async ({ request, params }) => {
      const group = groupOf(fleet, params);
      if (group instanceof Response) return group;
      const body = await readJson(request);
      return body instanceof Response ? body : putFactory(fleet, group, params, body);
    }),
    route(
      'patch',
      FACTORY,
      withEntry(async (entry, { request }) => {
        const body = await readJson(request);
        return body instanceof Response ? body : patchFactory(fleet, entry, body);
      }),
    ),
    route('delete', FACTORY, ({ params }) => {
      const group = groupOf(fleet, params);
      if (group instanceof Response) return group;
      const index = group.factories.findIndex((f) => f.factory.name.toLowerCase() === params.factory.toLowerCase());
      if (index >= 0) group.factories.splice(index, 1);
      return new HttpResponse(null, { status: index >= 0 ? 200 : 204 });
    }),
    route(
      'get',
      `${FACTORY}/pipelines`,
      withEntry((entry, { url }) => armPage(entry.pipelines, url, fleet.pageSize)),
    ),
    route(
      'get',
      `${FACTORY}/pipelines/{pipeline}`,
      withEntry((entry, { params }) => {
        const pipeline = entry.pipelines.find((p) => p.name.toLowerCase() === params.pipeline.toLowerCase());
        return pipeline ? json(pipeline) : notFound('Microsoft.DataFactory/factories/pipelines', `${params.factory}/${params.pipeline}`, params.rg);
      }),
    ),
    route(
      'post',
      `${FACTORY}/pipelines/{pipeline}/createRun`,
      withEntry(async (entry, { request, url, params }) => {
        const pipeline = entry.pipelines.find((p) => p.name.toLowerCase() === params.pipeline.toLowerCase());
        if (!pipeline) return notFound('Microsoft.DataFactory/factories/pipelines', `${params.factory}/${params.pipeline}`, params.rg);
        const body = await readJson(request);
        return body instanceof Response ? body : createRun(fleet, entry, pipeline.name, url, body);
      }),
    ),
    route(
      'post',
      `${FACTORY}/queryPipelineRuns`,
      withEntry(async (entry, { request }) => {
        const body = await readJson(request);
        return body instanceof Response ? body : queryRuns(entry.runs, body, fleet.runPageSize);
      }),
    ),
    route(
      'get',
      `${FACTORY}/pipelineruns/{runId}`,
      withEntry((entry, { params }) => {
        const run = entry.runs.find((r) => r.runId.toLowerCase() === params.runId.toLowerCase());
        return run ? json(run) : notFound('Microsoft.DataFactory/factories/pipelineruns', `${params.factory}/${params.runId}`, params.rg);
      }),
    ),
  ];
}
