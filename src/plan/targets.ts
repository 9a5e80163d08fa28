// Resolving a name and choosing a method depend only on the registry and on names the statement
// gives, never on its values: statements of one shape (the same statement run again with other
// values) find them here. A REGISTRY ADD makes a new Registry, so nothing here outlives a change.
// Failures are not kept: their errors point into the statement that caused them.

import type { Registry } from '../registry/load.ts';
import { resolveMethod, resolveResource, type ResolvedMethod, type ResolvedResource } from '../registry/resolve.ts';
import type { MethodSpec, SqlVerb } from '../registry/types.ts';
import type { QualifiedName, Span } from '../sql/ast.ts';
import { chooseMethod } from './choose-method.ts';

export interface Target {
  readonly resolved: ResolvedMethod;
  readonly method: MethodSpec;
  readonly operation: string;
}

const MAX_ENTRIES = 2_000;
const memos = new WeakMap<Registry, Map<string, unknown>>();

function memo<T>(registry: Registry, key: string, compute: () => T): T {
  let entries = memos.get(registry);
  if (!entries) memos.set(registry, (entries = new Map()));
  let value = entries.get(key) as T | undefined;
  if (value === undefined) {
    value = compute();
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
  }
  return value;
}

const byStatement = new WeakMap<Registry, WeakMap<object, unknown>>();

/**
 * What planning one statement object needs beyond its values (its target, its params): parsed
 * statements are cached per text, so a statement run again with other vars finds it here.
 */
export function perStatement<T>(registry: Registry, statement: object, prepare: () => T): T {
  let prepared = byStatement.get(registry);
  if (!prepared) byStatement.set(registry, (prepared = new WeakMap()));
  let value = prepared.get(statement) as T | undefined;
  if (value === undefined) prepared.set(statement, (value = prepare()));
  return value;
}

const nameKey = (name: QualifiedName) => name.parts.join('.');

export function cachedResource(registry: Registry, name: QualifiedName, script: string): ResolvedResource {
  return memo(registry, `resource\0${nameKey(name)}`, () => resolveResource(registry, name, script));
}

/** The method of a resource a statement calls, chosen by its verb and the params it names. */
export function resourceTarget(registry: Registry, name: QualifiedName, verb: SqlVerb, givenNames: readonly string[], script: string, allowExtraNames = false): Target {
  return memo(registry, `${verb}\0${nameKey(name)}\0${givenNames.join('\0')}\0${allowExtraNames}`, () => {
    const resource = cachedResource(registry, name, script);
    return targetFrom({ ...resource, method: chooseMethod(resource, verb, givenNames, script, name.span, allowExtraNames) });
  });
}

/** `provider.service.resource.method` of an EXEC. */
export function methodTarget(registry: Registry, name: QualifiedName, script: string): Target {
  return memo(registry, `exec\0${nameKey(name)}`, () => targetFrom(resolveMethod(registry, name, script)));
}

function targetFrom(resolved: ResolvedMethod): Target {
  return { resolved, method: resolved.method, operation: `${resolved.resource.id}.${resolved.method.name}` };
}
