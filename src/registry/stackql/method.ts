// One method of a StackQL resource (`components.x-stackQL-resources.<r>.methods.<m>`) → a
// MethodSpec: the operation its `operation.$ref` points at, read by the generator's OpenAPI
// reader, plus what StackQL adds: the query a paths key always sends, its response config, paging.

import { descriptionOf, finalStateViaOf, requestBodyOf } from '../../generator/methods.ts';
import type { RawOperation } from '../../generator/openapi.ts';
import { operationAt } from '../../generator/openapi.ts';
import { buildParams } from '../../generator/params.ts';
import { child, isJsonObject, type Json, type Located, type RefResolver } from '../../generator/refs.ts';
import { withoutUndefined } from '../../generator/schema.ts';
import { constantSet } from '../../util/caches.ts';
import type { FieldSpec, MethodSpec, Pagination, ParamSpec, ResponseSpec, SqlVerb } from '../types.ts';
import { withVintageAliases } from './names.ts';
import { parseOperationRef, splitPathKey } from './refs.ts';
import { declaredNextLink, responseOf } from './response.ts';

export interface MethodContext {
  readonly root: Located;
  readonly refs: RefResolver;
  /** The server's variables, as params (`in: path` nodes, made `host` params). */
  readonly hostParams: readonly Located[];
  /** Paging the document (or its resource) declares for every method: `x-stackQL-config.pagination`. */
  readonly pagination?: Pagination;
  /** The server is ARM's: a path that starts with a param takes a resource path there (`/{scope}/providers/…`). */
  readonly arm: boolean;
  readonly warnings: string[];
  readonly notes: string[];
}

export function methodOf(name: string, raw: Json, verbs: readonly SqlVerb[], where: string, context: MethodContext): MethodSpec | undefined {
  const ref = parseOperationRef(isJsonObject(raw.operation) ? raw.operation.$ref : undefined);
  if (!ref) return void context.warnings.push(`${where}: its operation.$ref does not point into paths; skipped`);
  const operation = operationAt(context.root, context.refs, context.warnings, ref.pathKey, ref.httpMethod);
  if (!operation) return void context.warnings.push(`${where}: ${ref.httpMethod} ${ref.pathKey} is not in paths; skipped`);
  const { path, fixedQuery } = splitPathKey(ref.pathKey);
  const response = responseOf(operation, raw.response, context.refs, context.warnings, where);
  const params = paramsOf(operation, fixedQuery, context).map((param) =>
    context.arm && isResourcePath(param, path) ? { ...param, skipUrlEncoding: true } : param,
  );
  return withoutUndefined({
    name,
    operationId: operation.operationId,
    description: descriptionOf(operation.operation),
    sqlVerb: verbs[0] ?? 'exec',
    sqlVerbs: verbs.length > 1 ? verbs : undefined,
    httpMethod: operation.httpMethod,
    path,
    longRunning: operation.operation.node['x-ms-long-running-operation'] === true ? true : undefined,
    finalStateVia: finalStateViaOf(operation.operation),
    pagination: paginationOf(operation, raw, response.spec.itemsPath, response.bodySchema, context),
    requestBody: requestBodyOf(operation),
    params,
    response: context.arm ? withArmResourceFields(response.spec, operation.httpMethod, path) : response.spec,
  });
}

const ARM_RESOURCE_FIELDS: readonly FieldSpec[] = [
  { name: 'id', type: 'string', description: 'The resource ID (every ARM resource has it; the document leaves it out).' },
  { name: 'name', type: 'string', description: 'The resource name (every ARM resource has it; the document leaves it out).' },
  { name: 'type', type: 'string', description: 'The resource type (every ARM resource has it; the document leaves it out).' },
];

/**
 * A GET of ARM resources (`…/providers/Namespace/type[/{name}]`) whose row schema leaves out the
 * id, name and type every ARM resource carries (StackQL's 2025 documents drop the base Resource
 * schema): they are columns, so statements can select them and params can be read from the id.
 */
function withArmResourceFields(spec: ResponseSpec, httpMethod: string, path: string): ResponseSpec {
  if (httpMethod !== 'GET' || !/\/providers\/[^/{}]+\/[^/{}]+/.test(path) || spec.rowTransform || spec.fields.length === 0) return spec;
  const names = new Set(spec.fields.map((field) => field.name));
  if (names.has('id')) return spec;
  return { ...spec, fields: [...ARM_RESOURCE_FIELDS.filter((field) => !names.has(field.name)), ...spec.fields] };
}

function paramsOf(operation: RawOperation, fixedQuery: ReadonlyMap<string, string>, context: MethodContext): ParamSpec[] {
  const apiVersion = fixedQuery.get('api-version') ?? '';
  const declared = buildParams(operation, context.hostParams, { refs: context.refs, apiVersion, openApi3: true, notes: context.notes });
  const fixed = [...fixedQuery].filter(([key]) => !declared.some((param) => param.in === 'query' && param.name === key));
  const params = [
    ...declared.map((param) => withFixedQuery(hostParamRequired(withoutSchemaDefault(param)), fixedQuery)),
    ...fixed.map(([key, value]): ParamSpec => ({ name: key, in: 'query', required: false, type: 'string', default: value })),
  ];
  return withVintageAliases(params);
}

/** ARM params whose values are resource paths: a path's leading param (`scope`, `resource_uri`), and the generic resource's parent path and type. */
const RESOURCE_PATH_PARAMS = constantSet(['parent_resource_path', 'parentResourcePath', 'resource_type', 'resourceType']);

/**
 * A resource path goes into the URL as a path (StackQL inserts every path value as written; the
 * 2025 documents say x-ms-skip-url-encoding for these, the 2026 ones do not). Its segments are
 * still checked: `.` and `..` are refused before sending.
 */
function isResourcePath(param: ParamSpec, path: string): boolean {
  return param.in === 'path' && (path.startsWith(`/{${param.name}}`) || RESOURCE_PATH_PARAMS.has(param.name));
}

/**
 * StackQL sends the query params a statement gives, and a schema's `default` only documents what
 * the server assumes: GitHub's `per_page: 30` must not be sent unasked. Header params and server
 * variables keep theirs, as StackQL sends and fills those from their defaults.
 */
function withoutSchemaDefault(param: ParamSpec): ParamSpec {
  if (param.default === undefined || param.in !== 'query' || (param.name === 'api-version' && param.default !== '')) return param;
  const { default: _documented, ...rest } = param;
  return rest;
}

/** A server variable without a default names a host the statement must give. */
function hostParamRequired(param: ParamSpec): ParamSpec {
  if (param.in !== 'host' || (param.default !== undefined && param.default !== '')) return param;
  const { default: _none, ...rest } = param;
  return { ...rest, required: true };
}

/** A query the paths key always sends (`?api-version=2018-06-01`) is the param's default: a statement may still give another. */
function withFixedQuery(param: ParamSpec, fixedQuery: ReadonlyMap<string, string>): ParamSpec {
  const value = param.in === 'query' ? fixedQuery.get(param.name) : undefined;
  return value === undefined ? param : { ...param, required: false, default: value };
}

/**
 * x-ms-pageable's nextLink (2025 documents); the paging the document's `x-stackQL-config` declares
 * (GitHub's Link header); else ARM's nextLink when a list response declares one beside its items.
 */
function paginationOf(
  operation: RawOperation,
  raw: Json,
  itemsPath: string | undefined,
  bodySchema: Located | undefined,
  context: MethodContext,
): Pagination | undefined {
  const pageable = child(operation.operation, 'x-ms-pageable');
  if (pageable) return typeof pageable.node.nextLinkName === 'string' ? { kind: 'nextLink', nextLinkName: pageable.node.nextLinkName } : undefined;
  const declared = isJsonObject(raw.config) ? paginationConfig(raw.config.pagination) : undefined;
  if (declared ?? context.pagination) return declared ?? context.pagination;
  const nextLink = itemsPath === undefined ? undefined : declaredNextLink(bodySchema, context.refs);
  return nextLink ? { kind: 'nextLink', nextLinkName: nextLink } : undefined;
}

/** StackQL's pagination config: a response token in the Link header, or a next-page URL in a body property. */
export function paginationConfig(config: unknown): Pagination | undefined {
  const token = isJsonObject(config) && isJsonObject(config.responseToken) ? config.responseToken : undefined;
  if (!token || typeof token.key !== 'string') return undefined;
  if (token.location === 'header' && token.key.toLowerCase() === 'link') return { kind: 'linkHeader' };
  const request = isJsonObject(config) && isJsonObject(config.requestToken) ? config.requestToken : undefined;
  // A body token that is the next page's whole URL (the request token's location is the request itself).
  if (token.location === 'body' && request?.location === 'request') return { kind: 'nextLink', nextLinkName: token.key };
  return undefined;
}
