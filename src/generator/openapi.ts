// Reads the operations of an OpenAPI 2 (Swagger) or OpenAPI 3 document into one shape, so the
// rest of the generator never asks which version it is looking at.
import type { HttpMethod } from '../registry/types.ts';
import { child, isJsonObject } from './refs.ts';
import type { Located, RefResolver } from './refs.ts';

export interface RawBody {
  /** The body param's name (OpenAPI 2) or `x-ms-requestBody-name` / `body` (OpenAPI 3). */
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  readonly schema: Located;
}

/** A request input in declaration order: a path/query/header param, or the request body. */
export type RawInput = { readonly param: Located } | { readonly body: RawBody };

export interface RawResponse {
  readonly code: string;
  readonly schema?: Located;
}

export interface RawOperation {
  readonly operationId: string;
  readonly httpMethod: HttpMethod;
  readonly path: string;
  readonly operation: Located;
  readonly inputs: readonly RawInput[];
  readonly responses: readonly RawResponse[];
}

const HTTP_METHODS: Readonly<Record<string, HttpMethod>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  patch: 'PATCH',
  delete: 'DELETE',
  head: 'HEAD',
};

export function isOpenApi3(doc: Located): boolean {
  return typeof doc.node.openapi === 'string' && doc.node.openapi.startsWith('3');
}

export function collectOperations(doc: Located, refs: RefResolver, warnings: string[]): RawOperation[] {
  const operations: RawOperation[] = [];
  const paths = isJsonObject(doc.node.paths) ? Object.keys(doc.node.paths) : [];
  for (const path of paths) {
    const pathItem = derefChild(doc, refs, 'paths', path);
    if (!pathItem) continue;
    for (const [key, httpMethod] of Object.entries(HTTP_METHODS)) {
      const operation = child(pathItem, key);
      if (operation) operations.push(readOperation(doc, refs, warnings, { path, httpMethod, pathItem, operation }));
    }
  }
  return operations;
}

/** The operation at `paths[path][method]` (a StackQL method's `operation.$ref`), or undefined when there is none. */
export function operationAt(doc: Located, refs: RefResolver, warnings: string[], path: string, httpMethod: HttpMethod): RawOperation | undefined {
  const pathItem = derefChild(doc, refs, 'paths', path);
  const operation = pathItem && child(pathItem, httpMethod.toLowerCase());
  return operation && readOperation(doc, refs, warnings, { path, httpMethod, pathItem, operation });
}

interface OperationSite {
  readonly path: string;
  readonly httpMethod: HttpMethod;
  readonly pathItem: Located;
  readonly operation: Located;
}

function readOperation(doc: Located, refs: RefResolver, warnings: string[], site: OperationSite): RawOperation {
  const declaredId = site.operation.node.operationId;
  const operationId = typeof declaredId === 'string' ? declaredId : syntheticOperationId(site);
  if (typeof declaredId !== 'string') warnings.push(`${site.httpMethod} ${site.path} has no operationId; using ${operationId}`);
  const inputs = mergedParams(site, refs).flatMap((param) => toInput(param, operationId, warnings));
  const requestBody = isOpenApi3(doc) ? openApi3Body(site.operation, refs) : undefined;
  if (requestBody) inputs.push({ body: requestBody });
  return {
    operationId,
    httpMethod: site.httpMethod,
    path: site.path,
    operation: site.operation,
    inputs,
    responses: readResponses(doc, site.operation, refs),
  };
}

/** Path-item params, overridden in place by same-named operation params, then the operation's own. */
function mergedParams(site: OperationSite, refs: RefResolver): Located[] {
  const pathLevel = resolvedList(site.pathItem, 'parameters', refs);
  const operationLevel = resolvedList(site.operation, 'parameters', refs);
  const keyOf = (param: Located): string => `${String(param.node.in)}:${String(param.node.name)}`;
  const overrides = new Map(operationLevel.map((param) => [keyOf(param), param]));
  const merged = pathLevel.map((param) => overrides.get(keyOf(param)) ?? param);
  const mergedKeys = new Set(merged.map(keyOf));
  return [...merged, ...operationLevel.filter((param) => !mergedKeys.has(keyOf(param)))];
}

function toInput(param: Located, operationId: string, warnings: string[]): RawInput[] {
  const location = param.node.in;
  if (location === 'body') {
    const schema = child(param, 'schema') ?? { node: {}, file: param.file, pointer: `${param.pointer}/schema` };
    return [{ body: bodyOf(param, schema) }];
  }
  if (location === 'path' || location === 'query' || location === 'header') return [{ param }];
  warnings.push(`${operationId}: ${String(location)} param ${String(param.node.name)} is not supported; skipped`);
  return [];
}

function bodyOf(param: Located, schema: Located): RawBody {
  return {
    name: String(param.node.name),
    required: param.node.required === true,
    description: trimmedString(param.node.description),
    schema,
  };
}

function openApi3Body(operation: Located, refs: RefResolver): RawBody | undefined {
  const requestBody = derefChild(operation, refs, 'requestBody');
  const schema = requestBody && jsonContentSchema(requestBody);
  if (!requestBody || !schema) return undefined;
  const name = requestBody.node['x-ms-requestBody-name'];
  return {
    name: typeof name === 'string' ? name : 'body',
    required: requestBody.node.required === true,
    description: trimmedString(requestBody.node.description),
    schema,
  };
}

function trimmedString(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

function readResponses(doc: Located, operation: Located, refs: RefResolver): RawResponse[] {
  const codes = isJsonObject(operation.node.responses) ? Object.keys(operation.node.responses) : [];
  return codes.map((code) => {
    const response = derefChild(operation, refs, 'responses', code);
    const schema = response && (isOpenApi3(doc) ? jsonContentSchema(response) : child(response, 'schema'));
    return schema ? { code, schema } : { code };
  });
}

/** The schema of the `application/json` (or first JSON-like) media type of an OpenAPI 3 body. */
function jsonContentSchema(holder: Located): Located | undefined {
  const types = isJsonObject(holder.node.content) ? Object.keys(holder.node.content) : [];
  const json = types.find((type) => type === 'application/json') ?? types.find((type) => type.includes('json'));
  return json === undefined ? undefined : child(holder, 'content', json, 'schema');
}

function resolvedList(holder: Located, key: string, refs: RefResolver): Located[] {
  const list = holder.node[key];
  const entries = Array.isArray(list) ? list.map((_, i) => derefChild(holder, refs, key, i)) : [];
  return entries.filter((entry): entry is Located => entry !== undefined);
}

function derefChild(holder: Located, refs: RefResolver, ...keys: (string | number)[]): Located | undefined {
  const located = child(holder, ...keys);
  return located && refs.deref(located);
}

function syntheticOperationId(site: OperationSite): string {
  const segments = site.path.split('/').filter((segment) => segment !== '' && !segment.startsWith('{'));
  const noun = segments.at(-1) ?? 'root';
  const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
  return `${capital(noun)}_${capital(site.httpMethod.toLowerCase())}`;
}
