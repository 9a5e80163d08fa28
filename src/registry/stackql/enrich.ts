// What skyql's own document of a service knows that StackQL's does not say, carried over to the
// pulled service's same operations (matched by operationId and HTTP method): the continuation-token
// paging of Data Factory's and Synapse's `query*` lists, their default time window and server-side
// filters, and the values a param takes by default. Without it, a pulled `pipeline_runs` would read
// only a first page, and its SELECT would need a window StackQL's docs never give.

import type { MethodSpec, ParamSpec, ResourceSpec, ServiceSpec } from '../types.ts';

export function withSkyqlKnowledge(pulled: ServiceSpec, own: ServiceSpec): ServiceSpec {
  const known = new Map<string, MethodSpec>();
  for (const resource of Object.values(own.resources)) {
    for (const method of Object.values(resource.methods)) known.set(operationKey(method), method);
  }
  const resources: Record<string, ResourceSpec> = {};
  for (const [name, resource] of Object.entries(pulled.resources)) resources[name] = enrichResource(resource, known);
  return { ...pulled, resources };
}

function enrichResource(resource: ResourceSpec, known: ReadonlyMap<string, MethodSpec>): ResourceSpec {
  let changed = false;
  const methods: Record<string, MethodSpec> = {};
  for (const [name, method] of Object.entries(resource.methods)) {
    const match = known.get(operationKey(method));
    methods[name] = match ? enrichMethod(method, match) : method;
    changed ||= methods[name] !== method;
  }
  return changed ? { ...resource, methods } : resource;
}

/** `Pipelines_CreateRun` and `Pipelines_create_run` name one operation. */
function operationKey(method: MethodSpec): string {
  return `${method.httpMethod} ${method.operationId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

function enrichMethod(method: MethodSpec, own: MethodSpec): MethodSpec {
  const params = method.params.map((param) => enrichParam(param, own.params));
  const fields = new Set(method.response.fields.map((field) => field.name));
  const bodyField = (name: string) => params.some((param) => param.in === 'body' && (param.wireName ?? param.name) === name);
  const pagination = method.pagination ?? (own.pagination?.kind === 'continuationToken' && bodyField(own.pagination.tokenField) ? own.pagination : undefined);
  const window =
    own.timeWindow && bodyField(own.timeWindow.after) && bodyField(own.timeWindow.before)
      ? { ...own.timeWindow, columns: own.timeWindow.columns.filter((column) => fields.has(column)) }
      : undefined;
  const pushdownColumns =
    own.filterPushdown && bodyField(own.filterPushdown.bodyField)
      ? Object.fromEntries(Object.entries(own.filterPushdown.columns).filter(([column]) => fields.has(column)))
      : {};
  return {
    ...method,
    params,
    ...(pagination && { pagination }),
    ...(window && !method.timeWindow && { timeWindow: window }),
    ...(Object.keys(pushdownColumns).length > 0 &&
      !method.filterPushdown && { filterPushdown: { bodyField: own.filterPushdown!.bodyField, columns: pushdownColumns } }),
  };
}

/** A param's default relative to now (a window's end) and whether '' is a value, from skyql's own param of the same wire name. */
function enrichParam(param: ParamSpec, own: readonly ParamSpec[]): ParamSpec {
  const match = own.find((candidate) => candidate.in === param.in && (candidate.wireName ?? candidate.name) === (param.wireName ?? param.name));
  if (!match) return param;
  return {
    ...param,
    ...(match.defaultRelativeTime !== undefined && param.default === undefined && { defaultRelativeTime: match.defaultRelativeTime }),
    ...(match.emptyIsValue && !param.emptyIsValue && { emptyIsValue: true }),
  };
}
