// Matches the names a statement gives (columns, @params, WHERE columns) to a method's params,
// then checks that nothing is unknown, given twice or missing.

import { EngineError, spanAt } from '../errors.ts';
import type { Literal, Span } from '../sql/ast.ts';
import type { MethodSpec, ParamSpec } from '../registry/types.ts';
import { didYouMean } from '../util/suggest.ts';
import { coerceParam, type ParamValue, type ValueContext } from './values.ts';

export interface NamedValue {
  readonly name: string;
  readonly value: Literal;
  readonly span?: Span;
}

export type BoundParams = ReadonlyMap<ParamSpec, ParamValue>;

const paramsByName = new WeakMap<MethodSpec, Map<string, ParamSpec | null>>();

/** The param a name means: its wire name, then ignoring case, then an alias (memoised per method). */
export function findParam(method: MethodSpec, name: string): ParamSpec | undefined {
  let byName = paramsByName.get(method);
  if (!byName) paramsByName.set(method, (byName = new Map()));
  let param = byName.get(name);
  if (param === undefined) byName.set(name, (param = lookupParam(method, name) ?? null));
  return param ?? undefined;
}

function lookupParam(method: MethodSpec, name: string): ParamSpec | undefined {
  const lower = name.toLowerCase();
  return method.params.find((param) => param.name === name)
    ?? method.params.find((param) => param.name.toLowerCase() === lower)
    ?? method.params.find((param) => param.aliases?.some((alias) => alias.toLowerCase() === lower));
}

/** A param the user must give: required, with no registry default. */
export function isUserRequired(param: ParamSpec): boolean {
  return param.required && param.default === undefined && param.defaultRelativeTime === undefined;
}

export function requiredParamNames(method: MethodSpec): string[] {
  return method.params.filter(isUserRequired).map((param) => param.name);
}

export function optionalParamNames(method: MethodSpec): string[] {
  return method.params.filter((param) => !isUserRequired(param)).map((param) => param.name);
}

/** `deferred`: required params whose values come later (a dependent join), not missing. */
export function bindParams(method: MethodSpec, operation: string, values: readonly NamedValue[], context: ValueContext, deferred: readonly ParamSpec[] = []): Map<ParamSpec, ParamValue> {
  const bound = new Map<ParamSpec, ParamValue>();
  const seen = new Set<ParamSpec>();
  const emptyRequired: string[] = [];
  for (const given of values) {
    const param = findParam(method, given.name);
    if (!param) throw unknownParam(method, operation, given, context.script);
    if (seen.has(param)) throw duplicateParam(param, given, context.script);
    seen.add(param);
    const value = coerceParam(param, given.value, context);
    if (value !== undefined) bound.set(param, value);
    else if (isUserRequired(param)) emptyRequired.push(param.name);
  }
  const missing = method.params.filter((param) => isUserRequired(param) && !bound.has(param) && !deferred.includes(param)).map((param) => param.name);
  if (missing.length > 0) throw missingParams(method, operation, missing, emptyRequired);
  return bound;
}

export function missingParams(method: MethodSpec, operation: string, missing: readonly string[], empty: readonly string[] = []): EngineError {
  const names = missing.map((name) => `"${name}"`).join(', ');
  const emptyNote = empty.length > 0 ? ` (${empty.join(', ')} ${empty.length > 1 ? 'are' : 'is'} empty or NULL)` : '';
  return new EngineError('PLAN_MISSING_PARAM', `${operation} needs ${names}${emptyNote}`, {
    hint: `required: ${requiredParamNames(method).join(', ')}`,
    details: { missing, required: requiredParamNames(method) },
  });
}

function unknownParam(method: MethodSpec, operation: string, given: NamedValue, script: string): EngineError {
  const suggestion = didYouMean(given.name, method.params.map((param) => param.name));
  return new EngineError('PLAN_UNKNOWN_PARAM', `${operation} has no param "${given.name}"`, {
    hint: [suggestion, `params: ${method.params.map((param) => param.name).join(', ')}`].filter(Boolean).join('; '),
    span: given.span && spanAt(script, given.span.offset, given.span.length),
  });
}

function duplicateParam(param: ParamSpec, given: NamedValue, script: string): EngineError {
  return new EngineError('PLAN_DUPLICATE_PARAM', `param "${param.name}" is given more than once`, {
    span: given.span && spanAt(script, given.span.offset, given.span.length),
  });
}
