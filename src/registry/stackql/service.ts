// A StackQL service document (OpenAPI 3 + `components.x-stackQL-resources`) → a skyql
// ServiceSpec: its resources and methods, the server and its variables, and the token the
// service's requests carry. Pure: the caller reads (and caches) the document.

import { isJsonObject, createRefResolver, type Json, type Located } from '../../generator/refs.ts';
import { withoutUndefined } from '../../generator/schema.ts';
import { serverOf } from '../../generator/server.ts';
import { canonicalOrigin } from '../credential-hosts.ts';
import { SQL_VERBS, type MethodSpec, type ResourceSpec, type ServiceSpec, type SqlVerb } from '../types.ts';
import { azureAudience } from './audience.ts';
import { methodOf, paginationConfig, type MethodContext } from './method.ts';
import { methodNameOfRef } from './refs.ts';

/** Changes whenever the conversion changes what it produces: cached conversions of older versions are not used. */
export const STACKQL_CONVERTER_VERSION = 'stackql-service/7';

export interface StackqlServiceOptions {
  readonly provider: string;
  readonly service: string;
  /** For messages and relative `$ref`s. */
  readonly file: string;
  /** The provider's auth type (provider.yaml `config.auth.type`): `azure_default` binds tokens to Azure's audiences. */
  readonly authType?: string;
}

export interface StackqlServiceResult {
  readonly service: ServiceSpec;
  readonly warnings: readonly string[];
}

export function serviceFromStackql(doc: unknown, options: StackqlServiceOptions): StackqlServiceResult {
  if (!isJsonObject(doc) || !isJsonObject(doc.components) || !isJsonObject(doc.components['x-stackQL-resources'])) {
    throw new Error(`${options.file}: not a StackQL service document (no components.x-stackQL-resources)`);
  }
  const root: Located = { node: doc, file: options.file, pointer: '' };
  const refs = createRefResolver({ rootFile: options.file, rootDoc: doc });
  const warnings: string[] = [];
  const { server, hostParams } = serverOf(root, refs);
  const id = `${options.provider}.${options.service}`;
  const context: MethodContext = {
    root,
    refs,
    hostParams,
    warnings,
    notes: [],
    pagination: isJsonObject(doc['x-stackQL-config']) ? paginationConfig(doc['x-stackQL-config'].pagination) : undefined,
    arm: /^https:\/\/management\.(azure\.com|usgovcloudapi\.net|chinacloudapi\.cn)\/?$/i.test(server.url),
  };
  const resources: Record<string, ResourceSpec> = {};
  const views: Record<string, string> = {};
  for (const [name, raw] of Object.entries(doc.components['x-stackQL-resources'])) {
    const resource = isJsonObject(raw) ? resourceOf(name, raw, `${id}.${name}`, context) : undefined;
    if (resource) resources[name] = resource;
    const view = resource ? undefined : viewQuery(raw as Json);
    if (view !== undefined) views[name] = view;
  }
  const info = isJsonObject(doc.info) ? doc.info : {};
  const service: ServiceSpec = withoutUndefined({
    name: options.service,
    provider: options.provider,
    id,
    title: typeof info.title === 'string' ? info.title : undefined,
    description: typeof info.description === 'string' ? info.description.trim() : undefined,
    server,
    ...credentialOf(options, server.url, serverUrls(doc)),
    resources,
    views: Object.keys(views).length > 0 ? views : undefined,
  });
  return { service, warnings: [...refs.warnings, ...warnings] };
}

/**
 * A StackQL view's SELECT (`config.views.select.ddl`), in its SQLite dialect: the ddl whose
 * predicate names sqlite3, else the first. It is only ever parsed as a SELECT (plan/views.ts).
 */
function viewQuery(raw: Json): string | undefined {
  const select = isJsonObject(raw) && isJsonObject(raw.config) && isJsonObject(raw.config.views) ? raw.config.views.select : undefined;
  const candidates: Json[] = [];
  for (let entry = select; isJsonObject(entry); entry = entry.fallback) candidates.push(entry);
  const chosen = candidates.find((entry) => typeof entry.predicate === 'string' && entry.predicate.includes('sqlite3')) ?? candidates[0];
  return chosen && typeof chosen.ddl === 'string' && chosen.ddl.trim() !== '' ? chosen.ddl.trim().replace(/;\s*$/, '') : undefined;
}

/** A resource with methods; a StackQL view (`config.views`, no methods) is not one skyql runs. */
function resourceOf(name: string, raw: Json, id: string, context: MethodContext): ResourceSpec | undefined {
  if (!isJsonObject(raw.methods)) return undefined;
  const verbs = verbsByMethod(raw.sqlVerbs);
  const resourcePagination = isJsonObject(raw.config) ? paginationConfig(raw.config.pagination) : undefined;
  const methodContext = resourcePagination ? { ...context, pagination: resourcePagination } : context;
  const methods: Record<string, MethodSpec> = {};
  for (const [methodName, method] of Object.entries(raw.methods)) {
    const spec = isJsonObject(method) ? methodOf(methodName, method, verbs.get(methodName) ?? [], `${id}.${methodName}`, methodContext) : undefined;
    if (spec) methods[methodName] = spec;
  }
  if (Object.keys(methods).length === 0) return undefined;
  return withoutUndefined({
    name,
    id,
    methods,
    title: typeof raw.title === 'string' ? raw.title : undefined,
    description: typeof raw.description === 'string' ? raw.description : undefined,
  });
}

/** Method name → the SQL verbs whose `sqlVerbs` list names it, in SQL_VERBS order. */
function verbsByMethod(sqlVerbs: unknown): Map<string, SqlVerb[]> {
  const verbs = new Map<string, SqlVerb[]>();
  if (!isJsonObject(sqlVerbs)) return verbs;
  for (const verb of SQL_VERBS) {
    const list = sqlVerbs[verb];
    for (const entry of Array.isArray(list) ? list : []) {
      const name = methodNameOfRef(isJsonObject(entry) ? entry.$ref : undefined);
      if (!name) continue;
      const known = verbs.get(name) ?? [];
      if (!known.includes(verb)) verbs.set(name, [...known, verb]);
    }
  }
  return verbs;
}

function serverUrls(doc: Json): string[] {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  return servers.map((server) => (isJsonObject(server) && typeof server.url === 'string' ? server.url : '')).filter(Boolean);
}

/**
 * The token a service's requests carry. Azure (`azure_default`): the audience of its server, bound
 * to Microsoft's hosts for it. Any other provider (GitHub's bearer, api_key, basic): its
 * credential, which may reach the https origins of this document's servers and nothing else.
 */
function credentialOf(options: StackqlServiceOptions, serverUrl: string, urls: readonly string[]): Pick<ServiceSpec, 'audience' | 'credentialOrigins'> {
  if (options.authType === 'azure_default') return { audience: azureAudience(options.service, serverUrl) };
  const origins = [...new Set(urls.map(httpsOrigin).filter((origin): origin is string => origin !== undefined))];
  return origins.length > 0 ? { audience: origins[0], credentialOrigins: origins } : { audience: '' };
}

function httpsOrigin(url: string): string | undefined {
  if (url.includes('{')) return undefined;
  const origin = canonicalOrigin(`${url.replace(/\/+$/, '')}/`);
  return origin?.startsWith('https://') ? origin : undefined;
}
