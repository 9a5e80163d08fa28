// One OpenAPI operation → one registry method (two for PUT: an insert and its replace twin).
import type { HttpMethod, MethodSpec, Pagination, ParamSpec, ResponseSpec, SqlVerb } from '../registry/types.ts';
import { deriveName, replaceMethodName } from './naming.ts';
import type { RawOperation } from './openapi.ts';
import type { FilterPushdown, OperationOverride, ServiceOverrides } from './overrides.ts';
import { buildParams } from './params.ts';
import type { ParamContext } from './params.ts';
import { child } from './refs.ts';
import type { Located } from './refs.ts';
import { buildResponse } from './response.ts';
import { withoutUndefined } from './schema.ts';

export interface MethodContext extends ParamContext {
  readonly hostParams: readonly Located[];
  readonly overrides: ServiceOverrides;
  /** Overrides that do not fit the operation (unused, unknown names). */
  readonly warnings: string[];
}

export interface PlacedMethod {
  readonly resource: string;
  readonly method: MethodSpec;
}

type FinalStateVia = MethodSpec['finalStateVia'];

export function methodsOf(operation: RawOperation, context: MethodContext): PlacedMethod[] {
  const override: OperationOverride = context.overrides.operations?.[operation.operationId] ?? {};
  const derived = deriveName(operation.operationId);
  const resource = override.resource ?? context.overrides.resourceRenames?.[derived.resource] ?? derived.resource;
  const pageable = child(operation.operation, 'x-ms-pageable');
  const itemName = typeof pageable?.node.itemName === 'string' ? pageable.node.itemName : 'value';
  const response = buildResponse(operation, context.refs, itemName);
  const params = withParamOverrides(buildParams(operation, context.hostParams, context), override, operation.operationId);
  if (override.filterPushdown) {
    context.warnings.push(...filterPushdownWarnings(override.filterPushdown, params, response, operation.operationId));
  }
  const method: MethodSpec = withoutUndefined({
    name: override.method ?? derived.method,
    operationId: operation.operationId,
    description: override.description ?? descriptionOf(operation.operation),
    sqlVerb: override.sqlVerb ?? sqlVerbFor(operation.httpMethod, derived.verb, response),
    httpMethod: operation.httpMethod,
    path: operation.path,
    longRunning: operation.operation.node['x-ms-long-running-operation'] === true ? true : undefined,
    finalStateVia: finalStateViaOf(operation.operation),
    pagination: override.pagination === undefined ? paginationOf(pageable) : (override.pagination ?? undefined),
    filterPushdown: override.filterPushdown,
    timeWindow: override.timeWindow,
    requestBody: requestBodyOf(operation),
    params,
    response,
  });
  const placed = [{ resource, method }];
  if (operation.httpMethod === 'PUT' && override.sqlVerb === undefined) {
    placed.push({ resource, method: { ...method, name: replaceMethodName(method.name), sqlVerb: 'replace' } });
  }
  return placed;
}

/**
 * GET → select, PUT → insert (+ a replace twin), PATCH → update, DELETE → delete, HEAD → exec.
 * POST → insert when its verb is `create` (createRun), select when its verb is `query`/`list` and
 * it returns a list (ADF/Synapse query*), otherwise exec.
 */
export function sqlVerbFor(httpMethod: HttpMethod, verb: string, response: ResponseSpec): SqlVerb {
  switch (httpMethod) {
    case 'GET':
      return 'select';
    case 'PUT':
      return 'insert';
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'delete';
    case 'HEAD':
      return 'exec';
    case 'POST':
      if (verb === 'create') return 'insert';
      if ((verb === 'query' || verb === 'list') && response.itemsPath !== undefined) return 'select';
      return 'exec';
  }
}

/** Whether the operation takes a request body, and whether the spec requires one. */
export function requestBodyOf(operation: RawOperation): MethodSpec['requestBody'] {
  const body = operation.inputs.find((input) => 'body' in input);
  if (!body || !('body' in body)) return undefined;
  return body.body.required ? 'required' : 'optional';
}

export function descriptionOf(operation: Located): string | undefined {
  const text = operation.node.description ?? operation.node.summary;
  return typeof text === 'string' ? text.trim() : undefined;
}

function paginationOf(pageable: Located | undefined): Pagination | undefined {
  const nextLinkName = pageable?.node.nextLinkName;
  return typeof nextLinkName === 'string' ? { kind: 'nextLink', nextLinkName } : undefined;
}

export function finalStateViaOf(operation: Located): FinalStateVia {
  const options = child(operation, 'x-ms-long-running-operation-options');
  const value = options?.node['final-state-via'];
  return typeof value === 'string' ? (value as FinalStateVia) : undefined;
}

function withParamOverrides(params: ParamSpec[], override: OperationOverride, operationId: string): ParamSpec[] {
  const changes = override.params ?? {};
  for (const name of Object.keys(changes)) {
    if (!params.some((param) => param.name === name)) {
      throw new Error(`overrides: operation ${operationId} has no param '${name}'`);
    }
  }
  return params.map((param) => (changes[param.name] ? { ...param, ...changes[param.name] } : param));
}

/** Pushdown columns must be row fields, and bodyField a body param, or the engine cannot use them. */
function filterPushdownWarnings(pushdown: FilterPushdown, params: readonly ParamSpec[], response: ResponseSpec, operationId: string): string[] {
  const warnings: string[] = [];
  const bodyParam = params.some((param) => param.in === 'body' && (param.name === pushdown.bodyField || param.wireName === pushdown.bodyField));
  if (!bodyParam) warnings.push(`overrides: ${operationId} filterPushdown.bodyField '${pushdown.bodyField}' is not a body param of the method`);
  for (const column of Object.keys(pushdown.columns)) {
    if (!response.fields.some((field) => field.name === column)) {
      warnings.push(`overrides: ${operationId} filterPushdown column '${column}' is not a field of the method's response rows`);
    }
  }
  return warnings;
}
