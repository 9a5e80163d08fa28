// Params read back from a row's ARM resource id. A factory listed by subscription has no
// `resourceGroupName` field, but its id `/subscriptions/s/resourceGroups/rg-b/providers/…/factories/f`
// says it, in the shape of the resource's get path. So a statement that names such a param
// without giving it (`WHERE name = 'a' OR resourceGroupName = 'rg-b'`) still sees its value,
// and the condition is evaluated on every row instead of being unanswerable.

import type { MethodSpec, ResourceSpec } from '../registry/types.ts';
import { callsMethod } from '../registry/types.ts';
import { findParam } from './params.ts';

/** Path segments of a get path: literal text (lower case) or the name of the param it holds. */
export type IdSegment = { readonly text: string } | { readonly param: string };

export interface IdColumns {
  /** The row field holding the resource id. */
  readonly field: string;
  readonly segments: readonly IdSegment[];
  /** Each column and the param whose segment fills it. */
  readonly columns: readonly { readonly column: string; readonly param: string }[];
}

/** Where a resource's ids hold params: its get method and that method's path, by segment. */
export interface IdPath {
  readonly get: MethodSpec;
  readonly segments: readonly IdSegment[];
  /** The params the path holds. */
  readonly params: ReadonlySet<string>;
}

/** The resource's id path, or undefined when it has no get of one item (worked out once per resource: PlanSession.idPaths). */
export function idPathOf(resource: ResourceSpec): IdPath | undefined {
  const get = getMethodOf(resource);
  if (!get) return undefined;
  const segments = pathSegments(get.path);
  return { get, segments, params: new Set(segments.flatMap((segment) => ('param' in segment ? [segment.param] : []))) };
}

/**
 * The columns a statement names that are path params of the resource's get method but neither
 * fields nor params it gave (`taken`, lower case: asked for only when such a name is found);
 * undefined when there are none or the rows carry no id.
 */
export function idColumnsFor(
  idPath: IdPath | undefined,
  method: MethodSpec,
  mentioned: ReadonlySet<string> | 'all',
  taken: () => ReadonlySet<string>,
): IdColumns | undefined {
  if (idPath === undefined || mentioned === 'all' || !method.response.fields.some((field) => field.name === 'id')) return undefined;
  const columns: { column: string; param: string }[] = [];
  let named: Set<string> | undefined;
  for (const name of mentioned) {
    const param = findParam(idPath.get, name);
    if (param?.in !== 'path' || !idPath.params.has(param.name)) continue;
    named ??= new Set(taken());
    // Named like the param (SQLite gives that name back), and also as the statement spelled it
    // when that is another name (an alias); mentioned names are lower case.
    for (const column of [param.name, name]) {
      if (named.has(column.toLowerCase())) continue;
      named.add(column.toLowerCase());
      columns.push({ column, param: param.name });
    }
  }
  return columns.length > 0 ? { field: 'id', segments: idPath.segments, columns } : undefined;
}

/** The resource's GET of one item: the select method whose path ends in a param and has the most of them. */
function getMethodOf(resource: ResourceSpec): MethodSpec | undefined {
  const candidates = Object.values(resource.methods).filter(
    (method) => callsMethod(method, 'select') && method.httpMethod === 'GET' && /\}\/?$/.test(method.path),
  );
  return candidates.sort((a, b) => paramCount(b.path) - paramCount(a.path))[0];
}

function paramCount(path: string): number {
  return (path.match(/\{[^}]+\}/g) ?? []).length;
}

function pathSegments(path: string): IdSegment[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment)?.[1];
      return param !== undefined ? { param } : { text: segment.toLowerCase() };
    });
}

/** The params an id holds when it has the get path's shape (literal segments ignore case); undefined otherwise. */
export function paramsFromId(id: unknown, segments: readonly IdSegment[]): Record<string, string> | undefined {
  if (typeof id !== 'string') return undefined;
  const parts = id.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const values: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = segments[i];
    if ('param' in segment) values[segment.param] = safeDecode(parts[i]);
    else if (parts[i].toLowerCase() !== segment.text) return undefined;
  }
  return values;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
