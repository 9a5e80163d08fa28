// The service's base URL and the params that fill placeholders in it.
import type { ServerSpec } from '../registry/types.ts';
import { child, isJsonObject } from './refs.ts';
import type { Located, RefResolver } from './refs.ts';
import { isOpenApi3 } from './openapi.ts';

export interface ServerInfo {
  readonly server: ServerSpec;
  /** Param objects for `{placeholders}` in server.url; they become `in: host` params. */
  readonly hostParams: readonly Located[];
}

export function serverOf(doc: Located, refs: RefResolver): ServerInfo {
  return isOpenApi3(doc) ? openApi3Server(doc) : openApi2Server(doc, refs);
}

function openApi2Server(doc: Located, refs: RefResolver): ServerInfo {
  const schemes = Array.isArray(doc.node.schemes) ? doc.node.schemes : [];
  const scheme = typeof schemes[0] === 'string' ? schemes[0] : 'https';
  const basePath = typeof doc.node.basePath === 'string' && doc.node.basePath !== '/' ? doc.node.basePath : '';
  const parameterized = child(doc, 'x-ms-parameterized-host');
  if (parameterized) {
    const template = `${String(parameterized.node.hostTemplate)}${basePath}`;
    const hostParams = hostParamList(parameterized, refs);
    if (parameterized.node.useSchemePrefix === false) return { server: { url: template, defaultScheme: scheme }, hostParams };
    return { server: { url: `${scheme}://${template}` }, hostParams };
  }
  const host = typeof doc.node.host === 'string' ? doc.node.host : '';
  return { server: { url: host === '' ? basePath : `${scheme}://${host}${basePath}` }, hostParams: [] };
}

function hostParamList(parameterized: Located, refs: RefResolver): Located[] {
  const list = Array.isArray(parameterized.node.parameters) ? parameterized.node.parameters : [];
  return list
    .map((_, i) => child(parameterized, 'parameters', i))
    .map((param) => param && refs.deref(param))
    .filter((param): param is Located => param !== undefined);
}

/** servers[0]; each server variable becomes an optional host param defaulting to its `default`. */
function openApi3Server(doc: Located): ServerInfo {
  const first = child(doc, 'servers', 0);
  if (!first) return { server: { url: '' }, hostParams: [] };
  const variables = isJsonObject(first.node.variables) ? Object.keys(first.node.variables) : [];
  const hostParams = variables.flatMap((name) => {
    const variable = child(first, 'variables', name);
    if (!variable) return [];
    const { default: defaultValue, enum: values, description } = variable.node;
    const schema = { type: 'string', default: defaultValue, enum: values };
    return [{ ...variable, node: { name, in: 'path', required: false, description, schema } }];
  });
  return { server: { url: String(first.node.url) }, hostParams };
}
