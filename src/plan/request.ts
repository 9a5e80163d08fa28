// Builds the exact HTTP request for a method and its bound params.

import { EngineError } from '../errors.ts';
import type { MethodSpec, ParamSpec, ServiceSpec } from '../registry/types.ts';
import type { ParamValue } from './values.ts';
import type { PlanOptions, RequestPlan } from './types.ts';
import { checkUrlIsSafe } from './url-safety.ts';
import { relativeTime } from './time.ts';

export interface RequestInput {
  readonly service: ServiceSpec;
  readonly method: MethodSpec;
  readonly operation: string;
  readonly params: ReadonlyMap<ParamSpec, ParamValue>;
  /** `@@json`: the whole body; explicit body params override its keys. */
  readonly jsonBody?: object;
}

export function buildRequest(input: RequestInput, options: PlanOptions): RequestPlan {
  const values = withDefaults(input.method, input.params, options);
  const url = baseUrl(input, values, options) + fillPath(input.method, values) + queryString(input.method, values);
  if (input.service.audience) checkUrlIsSafe(url, input.operation);
  const body = requestBody(input, values);
  const headers: Record<string, string> = { accept: 'application/json', ...headerParams(input.method, values) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: input.method.httpMethod,
    url,
    headers,
    body,
    provider: input.service.provider,
    audience: input.service.audience,
    operation: input.operation,
    expectedStatus: input.method.response.statusCodes,
    itemsPath: input.method.response.itemsPath,
    pagination: input.method.pagination,
    longRunning: input.method.longRunning ?? false,
    idempotent: isIdempotent(input.method),
    // Computed only when an action fails in a way that leaves its outcome unknown.
    get checkHint() {
      return checkHint(input, values);
    },
  };
}

function withDefaults(method: MethodSpec, params: ReadonlyMap<ParamSpec, ParamValue>, options: PlanOptions): Map<string, ParamValue> {
  const values = new Map<string, ParamValue>();
  for (const param of method.params) {
    const value = params.get(param) ?? param.default ?? (param.defaultRelativeTime ? relativeTime(options.now(), param.defaultRelativeTime) : undefined);
    if (value !== undefined) values.set(param.name, value);
  }
  return values;
}

function baseUrl(input: RequestInput, values: ReadonlyMap<string, ParamValue>, options: PlanOptions): string {
  const { service } = input;
  const override = options.endpoints[service.id] ?? (service.server.url.includes('{') ? undefined : options.endpoints[service.provider]);
  const template = override ?? service.server.url;
  const filled = template.includes('{') ? template.replace(/\{([^}]+)\}/g, (_match, name: string) => hostValue(service, name, values)) : template;
  return filled.endsWith('/') ? filled.replace(/\/+$/, '') : filled;
}

function hostValue(service: ServiceSpec, name: string, values: ReadonlyMap<string, ParamValue>): string {
  const value = String(values.get(name) ?? '');
  if (value === '') throw new EngineError('INTERNAL_INVARIANT', `host param "${name}" has no value`);
  const scheme = service.server.defaultScheme;
  return scheme && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `${scheme}://${value}` : value;
}

type PathPart = string | { readonly name: string; readonly raw: boolean };
const compiledPaths = new WeakMap<MethodSpec, readonly PathPart[]>();

/** The path template as literal text and params, split once per method. */
function pathParts(method: MethodSpec): readonly PathPart[] {
  let parts = compiledPaths.get(method);
  if (!parts) {
    parts = method.path.split(/(\{[^}]+\})/).filter(Boolean).map((part): PathPart => {
      if (!part.startsWith('{')) return part;
      const name = part.slice(1, -1);
      const param = method.params.find((candidate) => candidate.in === 'path' && candidate.name === name);
      return { name, raw: param?.skipUrlEncoding === true };
    });
    compiledPaths.set(method, parts);
  }
  return parts;
}

function fillPath(method: MethodSpec, values: ReadonlyMap<string, ParamValue>): string {
  let path = '';
  for (const part of pathParts(method)) {
    if (typeof part === 'string') path += part;
    // A param a dependent join fills in later stays a placeholder (dry-run shows it so).
    else if (!values.has(part.name)) path += `{${part.name}}`;
    // ARM scopes and resource ids (`/subscriptions/…/resourceGroups/…`) are paths themselves.
    else path += part.raw ? String(values.get(part.name)).replace(/^\/+/, '') : encodeURIComponent(String(values.get(part.name)));
  }
  return path;
}

function queryString(method: MethodSpec, values: ReadonlyMap<string, ParamValue>): string {
  const pairs = method.params
    .filter((param) => param.in === 'query' && values.has(param.name))
    .map((param) => `${encodeURIComponent(param.name)}=${encodeURIComponent(wireText(values.get(param.name)!))}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function headerParams(method: MethodSpec, values: ReadonlyMap<string, ParamValue>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const param of method.params) {
    if (param.in === 'header' && values.has(param.name)) headers[param.name.toLowerCase()] = wireText(values.get(param.name)!);
  }
  return headers;
}

function requestBody(input: RequestInput, values: ReadonlyMap<string, ParamValue>): string | undefined {
  const payload = input.method.params.find((param) => param.in === 'payload');
  if (payload && values.has(payload.name)) return JSON.stringify(values.get(payload.name));
  const bodyParams = input.method.params.filter((param) => param.in === 'body' && values.has(param.name));
  if (bodyParams.length === 0 && input.jsonBody === undefined) return undefined;
  const body: Record<string, unknown> = { ...(input.jsonBody as Record<string, unknown> | undefined) };
  for (const param of bodyParams) body[param.wireName ?? param.name] = values.get(param.name);
  return JSON.stringify(body);
}

function wireText(value: ParamValue): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isIdempotent(method: MethodSpec): boolean {
  return ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method.httpMethod) || (method.httpMethod === 'POST' && method.sqlVerb === 'select');
}

/** How to find out whether an action that failed half-way happened: its resource's SELECT. */
function checkHint(input: RequestInput, values: ReadonlyMap<string, ParamValue>): string | undefined {
  if (isIdempotent(input.method)) return undefined;
  const runs = /\/createRun$/.test(input.method.path) ? input.service.resources.pipeline_runs : undefined;
  const reader = runs ?? Object.values(input.service.resources).find((resource) => input.operation.startsWith(`${resource.id}.`));
  const select = reader && Object.values(reader.methods).find((method) => method.sqlVerb === 'select');
  if (!reader || !select) return undefined;
  const given = select.params.filter((param) => param.required && param.default === undefined && values.has(param.name));
  const where = given.map((param) => `${param.name} = '${String(values.get(param.name))}'`).join(' AND ');
  const pipeline = runs && values.has('pipelineName') ? ` AND pipelineName = '${String(values.get('pipelineName'))}'` : '';
  return `SELECT * FROM ${reader.id}${where ? ` WHERE ${where}${pipeline}` : ''}`;
}
