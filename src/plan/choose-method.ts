// Picks the method of a resource that a statement calls, from its SQL verb and the params
// it gives: the most specific method whose required params are all given (for a SELECT, among
// those that take or return every name it gives, when there are such).

import { EngineError, spanAt } from '../errors.ts';
import type { Span } from '../sql/ast.ts';
import type { ResolvedResource } from '../registry/resolve.ts';
import type { MethodSpec, SqlVerb } from '../registry/types.ts';
import { callsMethod, verbsOf } from '../registry/types.ts';
import { findParam, freeBodyParam, isUserRequired, missingParams, requiredParamNames } from './params.ts';

export function chooseMethod(
  resolved: ResolvedResource,
  verb: SqlVerb,
  givenNames: readonly string[],
  script: string,
  span: Span,
  allowExtraNames = false,
): MethodSpec {
  const candidates = Object.values(resolved.resource.methods).filter((method) => callsMethod(method, verb));
  if (candidates.length === 0) throw verbUnsupported(resolved, verb, script, span);
  const satisfied = candidates.filter((method) => missingFor(method, givenNames).length === 0 && (allowExtraNames || knowsAll(method, givenNames)));
  if (satisfied.length > 0) {
    // A SELECT's names a method neither takes nor returns (`lastUpdatedAfter` beside `runId`, for
    // the GET of one run) would be unknown columns: a method that reads them all comes first.
    const readingAll = allowExtraNames ? satisfied.filter((method) => readsAll(method, givenNames)) : satisfied;
    return mostSpecific(readingAll.length > 0 ? readingAll : satisfied);
  }
  if (candidates.length === 1) {
    const [method] = candidates;
    const missing = missingFor(method, givenNames);
    if (missing.length > 0) throw missingParams(method, `${resolved.resource.id}.${method.name}`, missing);
    return method;
  }
  throw noMatchingMethod(resolved, verb, candidates);
}

function missingFor(method: MethodSpec, givenNames: readonly string[]): string[] {
  const given = new Set(givenNames.map((name) => findParam(method, name)).filter(Boolean));
  return method.params.filter((param) => isUserRequired(param) && !given.has(param)).map((param) => param.name);
}

function knowsAll(method: MethodSpec, givenNames: readonly string[]): boolean {
  return givenNames.every((name) => findParam(method, name) !== undefined || freeBodyParam(method, name) !== undefined);
}

/** Whether every name is a param of the method or a field of its response (a condition it can check on the rows). */
function readsAll(method: MethodSpec, givenNames: readonly string[]): boolean {
  return givenNames.every(
    (name) =>
      findParam(method, name) !== undefined ||
      freeBodyParam(method, name) !== undefined ||
      method.response.fields.some((field) => field.name.toLowerCase() === name.toLowerCase()),
  );
}

function mostSpecific(methods: readonly MethodSpec[]): MethodSpec {
  return [...methods].sort((a, b) => requiredParamNames(b).length - requiredParamNames(a).length)[0];
}

function verbUnsupported(resolved: ResolvedResource, verb: SqlVerb, script: string, span: Span): EngineError {
  const verbs = [...new Set(Object.values(resolved.resource.methods).flatMap((method) => verbsOf(method).map((name) => name.toUpperCase())))];
  return new EngineError(
    'PLAN_VERB_UNSUPPORTED',
    `${verb.toUpperCase()} not supported for this resource (${resolved.resource.id}), use SHOW METHODS to view available operations for the resource`,
    {
      hint: `SHOW METHODS IN ${resolved.resource.id};${verbs.length ? ` it supports ${verbs.join(', ')}` : ''}`,
      span: spanAt(script, span.offset, span.length),
    },
  );
}

function noMatchingMethod(resolved: ResolvedResource, verb: SqlVerb, candidates: readonly MethodSpec[]): EngineError {
  const needs = candidates.map((method) => `${method.name} (${requiredParamNames(method).join(', ') || 'no params'})`).join('; ');
  return new EngineError('PLAN_NO_MATCHING_METHOD', `no ${verb.toUpperCase()} method of ${resolved.resource.id} matches the params given`, {
    hint: `methods and the params each needs: ${needs}`,
  });
}
