// Checks a parsed service document against the registry format (providers/README.md) and
// fills in the names that YAML carries as keys.

import type { MethodSpec, ParamSpec, ResourceSpec, ServiceSpec } from './types.ts';
import { SQL_VERBS } from './types.ts';
import { EngineError } from '../errors.ts';

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'HEAD'];
const LOCATIONS = ['path', 'query', 'header', 'host', 'body', 'payload'];

export function normalizeService(doc: any, file: string, provider: string, name: string): ServiceSpec {
  if (!doc || typeof doc !== 'object' || typeof doc.resources !== 'object') throw invalid(file, 'a service document needs `resources`');
  if (typeof doc.server?.url !== 'string') throw invalid(file, 'a service document needs `server.url`');
  const resources: Record<string, ResourceSpec> = {};
  for (const [resourceName, resource] of Object.entries<any>(doc.resources)) {
    const id = `${provider}.${name}.${resourceName}`;
    const methods: Record<string, MethodSpec> = {};
    for (const [methodName, method] of Object.entries<any>(resource?.methods ?? {})) {
      methods[methodName] = checkMethod({ ...method, name: methodName }, `${file}: ${id}.${methodName}`, doc.server.url);
    }
    resources[resourceName] = { ...resource, name: resourceName, id, methods };
  }
  // Where a credential may go beyond its audience's hosts is the registry's to say, for pulled StackQL documents only.
  const { credentialOrigins: _notTrusted, ...fields } = doc;
  return { ...fields, name, provider, id: `${provider}.${name}`, audience: doc.audience ?? '', resources };
}

function checkMethod(method: any, where: string, serverUrl: string): MethodSpec {
  const fail = (message: string) => invalid(where, message);
  if (!SQL_VERBS.includes(method.sqlVerb)) throw fail(`sqlVerb must be one of ${SQL_VERBS.join(', ')}`);
  if (
    method.sqlVerbs !== undefined &&
    (!Array.isArray(method.sqlVerbs) || method.sqlVerbs[0] !== method.sqlVerb || !method.sqlVerbs.every((verb: unknown) => SQL_VERBS.includes(verb as never)))
  ) {
    throw fail('sqlVerbs must list SQL verbs, starting with sqlVerb');
  }
  const transform = method.response?.rowTransform;
  if (
    transform !== undefined &&
    !(transform?.kind === 'hoist' && typeof transform.property === 'string') &&
    !(transform?.kind === 'wrap' && typeof transform.field === 'string' && typeof transform.each === 'boolean')
  ) {
    throw fail('response.rowTransform must be { kind: hoist, property } or { kind: wrap, field, each }');
  }
  if (!HTTP_METHODS.includes(method.httpMethod)) throw fail(`httpMethod must be one of ${HTTP_METHODS.join(', ')}`);
  if (typeof method.path !== 'string') throw fail('path is missing');
  const params: ParamSpec[] = method.params ?? [];
  for (const param of params) {
    if (typeof param?.name !== 'string' || !LOCATIONS.includes(param.in)) throw fail(`param ${param?.name}: \`in\` must be one of ${LOCATIONS.join(', ')}`);
  }
  checkPlaceholders(method.path, params, 'path', fail);
  checkPlaceholders(serverUrl, params, 'host', fail);
  const payloads = params.filter((param) => param.in === 'payload').length;
  if (payloads > 1 || (payloads === 1 && params.some((param) => param.in === 'body'))) throw fail('at most one payload param, and not with body params');
  if (!Array.isArray(method.response?.statusCodes) || method.response.statusCodes.length === 0) throw fail('response.statusCodes is empty');
  if (method.requestBody !== undefined && method.requestBody !== 'required' && method.requestBody !== 'optional')
    throw fail('requestBody must be required or optional');
  return { ...method, params, response: { ...method.response, fields: method.response.fields ?? [] } };
}

function checkPlaceholders(template: string, params: readonly ParamSpec[], location: 'path' | 'host', fail: (message: string) => Error): void {
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    if (!params.some((param) => param.in === location && param.name === match[1])) throw fail(`{${match[1]}} has no ${location} param`);
  }
}

export function invalid(file: string, message: string): EngineError {
  return new EngineError('REG_INVALID', `${file}: ${message}`);
}
