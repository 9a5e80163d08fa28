// Builds the exact HTTP request for a method and its bound params.

import { EngineError } from '../errors.ts';
import type { MethodSpec, ParamSpec, ServiceSpec } from '../registry/types.ts';
import { callsMethod } from '../registry/types.ts';
import type { ParamValue } from './values.ts';
import type { PlanSession } from './session.ts';
import type { PlanOptions, RequestPlan } from './types.ts';
import { CredentialHosts } from '../registry/credential-hosts.ts';
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

/** What buildRequest needs of a method, worked out once per method (it runs once per request). */
interface Recipe {
  /** Registry defaults that are constants, and those worked out from the clock per request. */
  readonly fixedDefaults: ReadonlyMap<ParamSpec, ParamValue>;
  readonly clockDefaults: readonly ParamSpec[];
  readonly query: readonly ParamSpec[];
  readonly header: readonly ParamSpec[];
  readonly body: readonly ParamSpec[];
  readonly payload?: ParamSpec;
  /** The spec requires a body: `{}` when the statement gives none of it. */
  readonly bodyRequired: boolean;
  /** The operation declares a body: its requests say `content-type: application/json`, as the SDK's do. */
  readonly declaresBody: boolean;
  readonly idempotent: boolean;
  /** The path template as literal text and params. */
  readonly path: readonly PathPart[];
  /** For actions: the SELECT that shows whether one happened. */
  readonly check?: CheckRecipe;
}

/** What buildRequest needs of a method, worked out once per method in the planner's session. */
function recipeOf(input: RequestInput, session: PlanSession): Recipe {
  const { method } = input;
  return session.methods.getOrCompute(method, () => {
    const of = (where: ParamSpec['in']) => method.params.filter((param) => param.in === where);
    const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method.httpMethod) || (method.httpMethod === 'POST' && callsMethod(method, 'select'));
    return {
      fixedDefaults: new Map(method.params.filter((param) => param.default !== undefined).map((param) => [param, param.default as ParamValue])),
      clockDefaults: method.params.filter((param) => param.default === undefined && param.defaultRelativeTime !== undefined),
      query: of('query'),
      header: of('header'),
      body: of('body'),
      payload: of('payload')[0],
      bodyRequired: method.requestBody === 'required',
      declaresBody: method.requestBody !== undefined,
      idempotent,
      path: pathParts(method),
      check: checkRecipeOf(input, idempotent),
    };
  }) as Recipe;
}

export function buildRequest(input: RequestInput, options: PlanOptions): RequestPlan {
  const { method } = input;
  const recipe = recipeOf(input, options.session);
  const defaults = defaultsOf(recipe, input.params, input.jsonBody, options);
  const values = new ParamValues(input.params, defaults);
  const base = staticBaseUrl(input, options);
  const url = (base ?? baseUrl(input, values.byName(), options)) + fillPath(recipe.path, values) + queryString(recipe, values);
  // The path always starts with "/", so a checked fixed base stays the URL's origin.
  if (input.service.audience && base === undefined) checkTokenUrl(input, url, options);
  const body = requestBody(recipe, input.jsonBody, input.params, values);
  const headers: Record<string, string> =
    recipe.header.length > 0 ? { accept: 'application/json', ...headerParams(recipe, values) } : { accept: 'application/json' };
  if (body !== undefined || recipe.declaresBody) headers['content-type'] = 'application/json';
  const request: RequestPlan = {
    method: method.httpMethod,
    url,
    headers,
    body,
    provider: input.service.provider,
    audience: input.service.audience,
    operation: input.operation,
    expectedStatus: method.response.statusCodes,
    itemsPath: method.response.itemsPath,
    ...(method.response.rowTransform && { rowTransform: method.response.rowTransform }),
    ...(input.service.credentialOrigins && { credentialOrigins: input.service.credentialOrigins }),
    pagination: method.pagination,
    longRunning: method.longRunning ?? false,
    idempotent: recipe.idempotent,
    // Shown only when an action fails in a way that leaves its outcome unknown.
    ...(recipe.check && { check: checkText(recipe.check, values.byName()) }),
    // defaultsOf copies the constant defaults only when it adds a value from the clock.
    ...(defaults !== recipe.fixedDefaults && { clockDefaults: clockDefaultsOf(recipe, defaults, input.params) }),
  };
  return request;
}

/** Whether a request holds a value worked out from the clock (a param defaulting to "now - 1d"). */
export function usesClockDefaults(request: RequestPlan): boolean {
  return request.clockDefaults !== undefined;
}

function clockDefaultsOf(
  recipe: Recipe,
  defaults: ReadonlyMap<ParamSpec, ParamValue>,
  bound: ReadonlyMap<ParamSpec, ParamValue>,
): NonNullable<RequestPlan['clockDefaults']> {
  return recipe.clockDefaults
    .filter((param) => !bound.has(param) && defaults.has(param))
    .map((param) => ({ name: param.name, value: String(defaults.get(param)), relative: param.defaultRelativeTime! }));
}

/** The registry's defaults of the params not given, in params or in `@@json` (those from the clock read now). */
function defaultsOf(
  recipe: Recipe,
  params: ReadonlyMap<ParamSpec, ParamValue>,
  jsonBody: object | undefined,
  options: PlanOptions,
): ReadonlyMap<ParamSpec, ParamValue> {
  const fromClock = recipe.clockDefaults.filter((param) => !params.has(param) && !inJson(jsonBody, param));
  if (fromClock.length === 0) return recipe.fixedDefaults;
  const defaults = new Map(recipe.fixedDefaults);
  for (const param of fromClock) defaults.set(param, relativeTime(options.now(), param.defaultRelativeTime!));
  return defaults;
}

/** A request's param values: the bound ones, then the registry's defaults. */
class ParamValues {
  private readonly bound: ReadonlyMap<ParamSpec, ParamValue>;
  private readonly defaults: ReadonlyMap<ParamSpec, ParamValue>;
  private names?: Map<string, ParamValue>;

  constructor(bound: ReadonlyMap<ParamSpec, ParamValue>, defaults: ReadonlyMap<ParamSpec, ParamValue>) {
    this.bound = bound;
    this.defaults = defaults;
  }

  get(param: ParamSpec | undefined): ParamValue | undefined {
    if (!param) return undefined;
    const value = this.bound.get(param);
    return value !== undefined ? value : this.defaults.get(param);
  }

  /** By param name (host params, the check hint): made when first asked for. */
  byName(): ReadonlyMap<string, ParamValue> {
    if (!this.names) {
      this.names = new Map();
      for (const [param, value] of this.defaults) this.names.set(param.name, value);
      for (const [param, value] of this.bound) this.names.set(param.name, value);
    }
    return this.names;
  }
}

/**
 * The base URL when it takes no host param (ARM's), worked out and checked once per service in
 * the planner's session (whose endpoints do not change); undefined when each request fills it in
 * (Synapse's workspace endpoint).
 */
function staticBaseUrl(input: RequestInput, options: PlanOptions): string | undefined {
  const base = options.session.baseUrls.getOrCompute(input.service, () => {
    const fixed = baseTemplate(input.service, options).includes('{') ? null : baseUrl(input, new Map(), options);
    if (fixed !== null && input.service.audience) checkTokenUrl(input, `${fixed}/`, options);
    return fixed;
  });
  return base ?? undefined;
}

function baseUrl(input: RequestInput, values: ReadonlyMap<string, ParamValue>, options: PlanOptions): string {
  const { service } = input;
  const template = baseTemplate(service, options);
  const filled = template.includes('{') ? fillHostTemplate(service, template, values, input.operation) : template;
  return filled.endsWith('/') ? filled.replace(/\/+$/, '') : filled;
}

/** The endpoint override for the service (or its provider, when the service has no host param), else the spec's server. */
function baseTemplate(service: ServiceSpec, options: PlanOptions): string {
  const override = options.endpoints[service.id] ?? (service.server.url.includes('{') ? undefined : options.endpoints[service.provider]);
  return override ?? service.server.url;
}

/**
 * A server URL with host params (`{endpoint}`, `https://{account}.example.com`), filled in. A
 * value names a host and nothing else: a whole-URL param may be `host[:port]` or
 * `scheme://host[:port][/]`, a part of a host only letters, digits, `-` and `.`. The result is
 * rebuilt from its parsed form, so it is the URL the transport will connect to.
 */
function fillHostTemplate(service: ServiceSpec, template: string, values: ReadonlyMap<string, ParamValue>, operation: string): string {
  const whole = /^\{([^}]+)\}$/.exec(template)?.[1];
  const filled =
    whole !== undefined
      ? originValue(service, whole, hostValue(whole, values), operation)
      : template.replace(/\{([^}]+)\}/g, (_match, name: string) => hostPart(name, hostValue(name, values), operation));
  let parsed: URL;
  try {
    parsed = new URL(filled);
  } catch {
    throw invalidHost(operation, filled, 'is not a valid URL');
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) throw invalidHost(operation, filled, 'must name a host only');
  return parsed.origin + parsed.pathname;
}

function hostValue(name: string, values: ReadonlyMap<string, ParamValue>): string {
  const value = String(values.get(name) ?? '');
  if (value === '') throw new EngineError('PLAN_MISSING_PARAM', `host param "${name}" has no value`, { details: { missing: [name] } });
  return value;
}

const HOST_AND_PORT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

function originValue(service: ServiceSpec, name: string, value: string, operation: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  const rest = scheme ? value.slice(scheme[0].length).replace(/\/$/, '') : value;
  if (!HOST_AND_PORT.test(rest)) throw invalidHost(operation, value, `${name} must be a host name, e.g. myworkspace.dev.azuresynapse.net`);
  return scheme ? `${scheme[1]}://${rest}` : `${service.server.defaultScheme ?? 'https'}://${rest}`;
}

function hostPart(name: string, value: string, operation: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value)) throw invalidHost(operation, value, `${name} must be letters, digits, "-" and "."`);
  return value;
}

function invalidHost(operation: string, value: string, rule: string): EngineError {
  return new EngineError('PLAN_INVALID_VALUE', `${operation}: host ${JSON.stringify(value)} ${rule}`, { details: { value, rule } });
}

/** Checks before anything is sent that host values give a base URL a token may go to. */
export function checkHostValues(
  service: ServiceSpec,
  method: MethodSpec,
  operation: string,
  values: ReadonlyMap<string, ParamValue>,
  options: PlanOptions,
): void {
  const input = { service, method, operation, params: new Map() };
  const base = baseUrl(input, values, options);
  if (service.audience) checkTokenUrl(input, `${base}/`, options);
}

/** A URL that will carry a token: https (or http to this machine), and one of the audience's hosts. */
function checkTokenUrl(input: RequestInput, url: string, options: PlanOptions): void {
  checkUrlIsSafe(url, input.operation);
  (options.hosts ?? new CredentialHosts(options.endpoints)).check(
    input.service.provider,
    input.service.audience,
    url,
    input.operation,
    input.service.credentialOrigins,
  );
}

type PathPart = string | { readonly name: string; readonly param?: ParamSpec; readonly raw: boolean };

/** The path template as literal text and params. */
function pathParts(method: MethodSpec): readonly PathPart[] {
  // A path that does not start with "/" would be glued onto the host name.
  const path = method.path.startsWith('/') ? method.path : `/${method.path}`;
  return path
    .split(/(\{[^}]+\})/)
    .filter(Boolean)
    .map((part): PathPart => {
      if (!part.startsWith('{')) return part;
      const name = part.slice(1, -1);
      const param =
        method.params.find((candidate) => candidate.in === 'path' && candidate.name === name) ?? method.params.find((candidate) => candidate.name === name);
      return { name, param, raw: param?.skipUrlEncoding === true };
    });
}

function fillPath(parts: readonly PathPart[], values: ParamValues): string {
  let path = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      path += part;
      continue;
    }
    const value = values.get(part.param);
    // A param a dependent join fills in later stays a placeholder (dry-run shows it so).
    if (value === undefined) path += `{${part.name}}`;
    // ARM scopes and resource ids (`/subscriptions/…/resourceGroups/…`) are paths themselves.
    else path += part.raw ? pathValue(String(value).replace(/^\/+/, '')) : encodeURIComponent(String(value));
  }
  return path;
}

/**
 * A value that is a path itself (an ARM scope): its slashes stay, and each segment is encoded as
 * a path segment is, so a `?` or `#` in it cannot start a query or a fragment.
 */
function pathValue(value: string): string {
  return value
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%(3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (encoded) => decodeURIComponent(encoded)))
    .join('/');
}

function queryString(recipe: Recipe, values: ParamValues): string {
  let query = '';
  for (const param of recipe.query) {
    const value = values.get(param);
    if (value !== undefined) query += `${query === '' ? '?' : '&'}${encodeURIComponent(param.name)}=${encodeURIComponent(wireText(value))}`;
  }
  return query;
}

function headerParams(recipe: Recipe, values: ParamValues): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const param of recipe.header) {
    const value = values.get(param);
    if (value !== undefined) headers[param.name.toLowerCase()] = wireText(value);
  }
  return headers;
}

/**
 * The JSON body: `@@json` first; a param the statement gives replaces its key; a registry default
 * only fills a key `@@json` does not have (the user's values win over defaults).
 */
function requestBody(recipe: Recipe, jsonBody: object | undefined, bound: ReadonlyMap<ParamSpec, ParamValue>, values: ParamValues): string | undefined {
  const payload = values.get(recipe.payload);
  if (payload !== undefined) return JSON.stringify(payload);
  const bodyParams = [...recipe.body, ...undeclaredBody(recipe, bound)].filter(
    (param) => values.get(param) !== undefined && (bound.has(param) || !inJson(jsonBody, param)),
  );
  if (bodyParams.length === 0 && jsonBody === undefined) return recipe.bodyRequired ? '{}' : undefined;
  const body: Record<string, unknown> = { ...(jsonBody as Record<string, unknown> | undefined) };
  for (const param of bodyParams) body[param.wireName ?? param.name] = values.get(param);
  return JSON.stringify(body);
}

/** Body fields the statement gives that the method does not declare (`data__<field>`, see freeBodyParam). */
function undeclaredBody(recipe: Recipe, bound: ReadonlyMap<ParamSpec, ParamValue>): ParamSpec[] {
  const extra: ParamSpec[] = [];
  for (const param of bound.keys()) if (param.in === 'body' && param.type === 'any' && !recipe.body.includes(param)) extra.push(param);
  return extra;
}

function inJson(jsonBody: object | undefined, param: ParamSpec): boolean {
  return jsonBody !== undefined && Object.hasOwn(jsonBody, param.wireName ?? param.name);
}

function wireText(value: ParamValue): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** How to find out whether an action happened: the SELECT of its resource, and which params it repeats. */
interface CheckRecipe {
  readonly reader: string;
  readonly params: readonly string[];
  /** createRun: the runs are listed per factory; the pipeline narrows them. */
  readonly pipeline: boolean;
}

function checkRecipeOf(input: RequestInput, idempotent: boolean): CheckRecipe | undefined {
  if (idempotent) return undefined;
  const runs = /\/createRun$/.test(input.method.path) ? input.service.resources.pipeline_runs : undefined;
  const reader = runs ?? Object.values(input.service.resources).find((resource) => input.operation.startsWith(`${resource.id}.`));
  const select = reader && Object.values(reader.methods).find((method) => callsMethod(method, 'select'));
  if (!reader || !select) return undefined;
  const params = select.params.filter((param) => param.required && param.default === undefined).map((param) => param.name);
  return { reader: reader.id, params, pipeline: runs !== undefined };
}

/** The SELECT that shows whether an action that failed half-way happened (text for a hint, never run). */
function checkText(check: CheckRecipe, values: ReadonlyMap<string, ParamValue>): string {
  const quoted = (name: string) => `${name} = '${String(values.get(name)).replace(/'/g, "''")}'`;
  const where = check.params.filter((name) => values.has(name)).map(quoted);
  if (check.pipeline && values.has('pipelineName')) where.push(quoted('pipelineName'));
  return `SELECT * FROM ${check.reader}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
}
