// Resolving a name and choosing a method depend only on the registry and on names the statement
// gives, never on its values: statements of one shape (the same statement run again with other
// values) find them here, in the planner's session, which forgets them when the registry changes.
// Failures are not kept: their errors point into the statement that caused them.

import type { RegistryView } from '../registry/load.ts';
import { resolveMethod, resolveResource, type ResolvedMethod, type ResolvedResource } from '../registry/resolve.ts';
import type { MethodSpec, SqlVerb } from '../registry/types.ts';
import type { QualifiedName, Span } from '../sql/ast.ts';
import { chooseMethod } from './choose-method.ts';
import type { PlanSession } from './session.ts';

export interface Target {
  readonly resolved: ResolvedMethod;
  readonly method: MethodSpec;
  readonly operation: string;
}

/**
 * What planning one statement object needs beyond its values (its target, its params): parsed
 * statements are kept per text, so a statement run again with other vars finds it here.
 */
export function perStatement<T>(session: PlanSession, statement: object, prepare: () => T): T {
  return session.statements.getOrCompute(statement, prepare) as T;
}

const nameKey = (name: QualifiedName) => name.parts.join('.');

export function cachedResource(session: PlanSession, registry: RegistryView, name: QualifiedName, script: string): ResolvedResource {
  return session.targets.getOrCompute(`resource\0${nameKey(name)}`, () => resolveResource(registry, name, script)) as ResolvedResource;
}

/** The method of a resource a statement calls, chosen by its verb and the params it names. */
export function resourceTarget(session: PlanSession, registry: RegistryView, name: QualifiedName, verb: SqlVerb, givenNames: readonly string[], script: string, allowExtraNames = false): Target {
  return session.targets.getOrCompute(`${verb}\0${nameKey(name)}\0${givenNames.join('\0')}\0${allowExtraNames}`, () => {
    const resource = cachedResource(session, registry, name, script);
    return targetFrom({ ...resource, method: chooseMethod(resource, verb, givenNames, script, name.span, allowExtraNames) });
  }) as Target;
}

/** `provider.service.resource.method` of an EXEC. */
export function methodTarget(session: PlanSession, registry: RegistryView, name: QualifiedName, script: string): Target {
  return session.targets.getOrCompute(`exec\0${nameKey(name)}`, () => targetFrom(resolveMethod(registry, name, script))) as Target;
}

function targetFrom(resolved: ResolvedMethod): Target {
  return { resolved, method: resolved.method, operation: `${resolved.resource.id}.${resolved.method.name}` };
}
