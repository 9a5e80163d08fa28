// The `$ref`s inside a StackQL service document that point at its own parts: a method's
// `operation.$ref` into `paths` (whose keys may carry a fixed query: `/x?api-version=2018-06-01`)
// and the `sqlVerbs` entries that point at methods.

import type { HttpMethod } from '../types.ts';

const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'HEAD'];

export interface OperationRef {
  /** The `paths` key, as written (it may hold `?name=value`). */
  readonly pathKey: string;
  readonly httpMethod: HttpMethod;
}

/** `#/paths/~1subscriptions~1{id}?api-version=1/get` → the paths key and the HTTP method; undefined otherwise. */
export function parseOperationRef(ref: unknown): OperationRef | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#/paths/')) return undefined;
  const rest = ref.slice('#/paths/'.length);
  const slash = rest.lastIndexOf('/');
  const httpMethod = rest.slice(slash + 1).toUpperCase() as HttpMethod;
  if (slash <= 0 || !HTTP_METHODS.includes(httpMethod)) return undefined;
  return { pathKey: unescapePointer(rest.slice(0, slash)), httpMethod };
}

/** `#/components/x-stackQL-resources/<resource>/methods/<method>` → the method's name. */
export function methodNameOfRef(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /\/methods\/([^/]+)$/.exec(ref);
  return match ? unescapePointer(match[1]) : undefined;
}

/** A paths key split into the path template and the query it always sends. */
export function splitPathKey(pathKey: string): { readonly path: string; readonly fixedQuery: ReadonlyMap<string, string> } {
  const question = pathKey.indexOf('?');
  if (question === -1) return { path: pathKey, fixedQuery: new Map() };
  return { path: pathKey.slice(0, question), fixedQuery: new Map(new URLSearchParams(pathKey.slice(question + 1))) };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
