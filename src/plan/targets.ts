// Resolving a name and choosing a method depend only on the registry and on names the statement
// gives, never on its values: statements of one shape (the same statement run again with other
// values) find them here, in the planner's session, which forgets them when the registry changes.
// Failures are not kept: their errors point into the statement that caused them.

import { EngineError } from '../errors.ts';
import { constantSet } from '../util/caches.ts';
import type { RegistryView } from '../registry/load.ts';
import { resolveMethod, resolveResource, type ResolvedMethod, type ResolvedResource } from '../registry/resolve.ts';
import type { MethodSpec, SqlVerb } from '../registry/types.ts';
import type { QualifiedName } from '../sql/ast.ts';
import { chooseMethod } from './choose-method.ts';
import type { PlanSession } from './session.ts';
import type { ParamDefault } from './types.ts';
import { findParam, isUserRequired } from './params.ts';
import type { Literal } from '../sql/ast.ts';

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
export function resourceTarget(
  session: PlanSession,
  registry: RegistryView,
  name: QualifiedName,
  verb: SqlVerb,
  givenNames: readonly string[],
  script: string,
  allowExtraNames = false,
): Target {
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

/** A target, and the names of the params it takes from the user's defaults. */
export interface DefaultedTarget {
  readonly target: Target;
  readonly defaulted: readonly string[];
}

const NEEDS_MORE = constantSet(['PLAN_MISSING_PARAM', 'PLAN_NO_MATCHING_METHOD']);

/**
 * The method a statement calls, with the user's defaults added only when no method takes the
 * names it gives: a statement that names subscriptionId, or calls a method without one, never
 * gets the default. Without a method for the names with the defaults either, the first error stands.
 */
export function targetWithDefaults(defaults: PlanDefaults, given: readonly string[], choose: (names: readonly string[]) => Target): DefaultedTarget {
  try {
    return { target: choose(given), defaulted: [] };
  } catch (error) {
    const extra = Object.keys(defaults ?? {}).filter((name) => !given.some((item) => sameName(item, name)));
    if (extra.length === 0 || !(error instanceof EngineError) || !NEEDS_MORE.has(error.code)) throw error;
    let target: Target;
    try {
      target = choose([...given, ...extra]);
    } catch {
      throw error;
    }
    return { target, defaulted: extra.filter((name) => findParam(target.method, name)) };
  }
}

/** For a method chosen by name (EXEC): the defaults of the required params the statement does not give. */
export function defaultsFor(defaults: PlanDefaults, target: Target, given: readonly string[]): string[] {
  const givenParams = new Set(given.map((name) => findParam(target.method, name)));
  return Object.keys(defaults ?? {}).filter((name) => {
    const param = findParam(target.method, name);
    return param !== undefined && isUserRequired(param) && !givenParams.has(param);
  });
}

export type PlanDefaults = Readonly<Record<string, ParamDefault>> | undefined;

/** A default as the literal the statement would have written (data: never expanded as a template). */
export function defaultLiteral(defaults: PlanDefaults, name: string): Literal {
  return { kind: 'literal', value: defaults![name].value, quoted: true, fromData: true };
}

/** subscription_id, subscriptionId and SubscriptionID name one param. */
function sameName(a: string, b: string): boolean {
  const plain = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  return plain(a) === plain(b);
}
