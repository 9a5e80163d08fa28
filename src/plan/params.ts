// Matches the names a statement gives (columns, @params, WHERE columns) to a method's params,
// then checks that nothing is unknown, given twice or missing.

import { EngineError, spanAt } from '../errors.ts';
import type { Literal, Span } from '../sql/ast.ts';
import type { MethodSpec, ParamSpec } from '../registry/types.ts';
import { isUserRequired } from '../registry/param-order.ts';
import { didYouMean } from '../util/suggest.ts';

export { isUserRequired };
import { coerceParam, type ParamValue, type ValueContext } from './values.ts';
import { sameName } from '../util/same-name.ts';

export interface NamedValue {
  readonly name: string;
  readonly value: Literal;
  readonly span?: Span;
}

export type BoundParams = ReadonlyMap<ParamSpec, ParamValue>;

/** StackQL's SQL prefix for a request-body field: `data__location` is the body's `location`. */
const BODY_PREFIX = /^data__/i;

/**
 * The param a name means: its wire name, then ignoring case, then an alias; `data__<field>` means
 * the body field (by its name, alias or wire name).
 */
export function findParam(method: MethodSpec, name: string): ParamSpec | undefined {
  const found = byName(method.params, name);
  if (found || !BODY_PREFIX.test(name)) return found;
  const field = name.slice(6);
  const body = method.params.filter((param) => param.in === 'body' || param.in === 'payload');
  return byName(body, field) ?? body.find((param) => param.wireName !== undefined && sameName(param.wireName, field));
}

/** Called for every condition and column of every statement: loops, and sameName makes no string. */
function byName(params: readonly ParamSpec[], name: string): ParamSpec | undefined {
  for (const param of params) if (param.name === name) return param;
  for (const param of params) if (sameName(param.name, name)) return param;
  for (const param of params) {
    if (param.aliases === undefined) continue;
    for (const alias of param.aliases) if (sameName(alias, name)) return param;
  }
  return undefined;
}

/**
 * A `data__<field>` name no param answers to, for a method that takes a body of named fields: as
 * in StackQL, the field is sent in the body as written (JSON when the text is an object or array).
 * The provider documents do not list every field their APIs take (StackQL's 2025 network
 * documents leave out `location` and `tags`).
 */
export function freeBodyParam(method: MethodSpec, name: string): ParamSpec | undefined {
  if (!BODY_PREFIX.test(name) || name.length <= 6 || method.requestBody === undefined) return undefined;
  if (method.params.some((param) => param.in === 'payload')) return undefined;
  return { name: name.slice(6), in: 'body', required: false, type: 'any' };
}

export function requiredParamNames(method: MethodSpec): string[] {
  return method.params.filter(isUserRequired).map((param) => param.name);
}

export function optionalParamNames(method: MethodSpec): string[] {
  return method.params.filter((param) => !isUserRequired(param)).map((param) => param.name);
}

/** `deferred`: required params whose values come later (a dependent join), not missing. */
export function bindParams(
  method: MethodSpec,
  operation: string,
  values: readonly NamedValue[],
  context: ValueContext,
  deferred: readonly ParamSpec[] = [],
): Map<ParamSpec, ParamValue> {
  return applyBinding(
    prepareBinding(method, operation, values, context.script, deferred),
    values.map((given) => given.value),
    context,
  );
}

/** The params a statement's names mean, resolved and checked once per statement (not per run). */
export interface Binding {
  readonly method: MethodSpec;
  readonly operation: string;
  /** One per given name, in order. */
  readonly params: readonly ParamSpec[];
  readonly deferred: readonly ParamSpec[];
  /** Whether every required param is named (values may still be empty). */
  readonly namesAll: boolean;
  /**
   * A param named again (`SET location = 'x' … WHERE location = 'x'`, as StackQL's docs write
   * REPLACE): the index of its first name, by position. Its values must agree.
   */
  readonly repeats?: ReadonlyMap<number, { readonly first: number; readonly span?: Span; readonly script: string }>;
}

/** Throws for a name the method does not take. */
export function prepareBinding(
  method: MethodSpec,
  operation: string,
  given: readonly { readonly name: string; readonly span?: Span }[],
  script: string,
  deferred: readonly ParamSpec[] = [],
): Binding {
  const params: ParamSpec[] = [];
  let repeats: Map<number, { first: number; span?: Span; script: string }> | undefined;
  given.forEach((item, at) => {
    const param = findParam(method, item.name) ?? freeBodyParam(method, item.name);
    if (!param) throw unknownParam(method, operation, item, script);
    const first = params.findIndex((known) => known === param || (known.in === 'body' && param.in === 'body' && (known.wireName ?? known.name) === param.name));
    if (first !== -1) (repeats ??= new Map()).set(at, { first, span: item.span, script });
    params.push(param);
  });
  const namesAll = method.params.every((param) => !isUserRequired(param) || params.includes(param) || deferred.includes(param));
  return repeats ? { method, operation, params, deferred, namesAll, repeats } : { method, operation, params, deferred, namesAll };
}

/**
 * The typed values of one run: `literals` line up with the binding's names. `givenElsewhere`: a
 * required param the statement gives another way (a body field in EXEC's `@@json`).
 */
export function applyBinding(
  binding: Binding,
  literals: readonly Literal[],
  context: ValueContext,
  givenElsewhere?: (param: ParamSpec) => boolean,
): Map<ParamSpec, ParamValue> {
  const bound = new Map<ParamSpec, ParamValue>();
  let emptyRequired: string[] | undefined;
  for (let i = 0; i < binding.params.length; i++) {
    const param = binding.params[i];
    const value = coerceParam(param, literals[i], context);
    const repeat = binding.repeats?.get(i);
    if (repeat) {
      // The same param named twice is one value, or an error: never the last one silently.
      if (!sameValue(value, coerceParam(param, literals[repeat.first], context))) throw duplicateParam(param, repeat, repeat.script);
      continue;
    }
    if (value !== undefined) bound.set(param, value);
    else if (isUserRequired(param)) (emptyRequired ??= []).push(param.name);
  }
  if (binding.namesAll && !emptyRequired) return bound;
  const { method, operation, deferred } = binding;
  const missing = method.params
    .filter((param) => isUserRequired(param) && !bound.has(param) && !deferred.includes(param) && !givenElsewhere?.(param))
    .map((param) => param.name);
  if (missing.length > 0) throw missingParams(method, operation, missing, emptyRequired);
  return bound;
}

export function missingParams(method: MethodSpec, operation: string, missing: readonly string[], empty: readonly string[] = []): EngineError {
  const names = missing.map((name) => `"${name}"`).join(', ');
  const emptyNote = empty.length > 0 ? ` (${empty.join(', ')} ${empty.length > 1 ? 'are' : 'is'} empty or NULL)` : '';
  const inBody = allInBody(method, missing);
  return new EngineError('PLAN_MISSING_PARAM', `${operation} needs ${names}${emptyNote}`, {
    hint: `required: ${requiredParamNames(method).join(', ')}`,
    details: { missing, required: requiredParamNames(method), inBody },
  });
}

/** Whether every one of the names is a request-body field of the method. */
export function allInBody(method: MethodSpec, names: readonly string[]): boolean {
  return names.every((name) => method.params.some((param) => param.name === name && (param.in === 'body' || param.in === 'payload')));
}

function unknownParam(method: MethodSpec, operation: string, given: { readonly name: string; readonly span?: Span }, script: string): EngineError {
  const suggestion = didYouMean(
    given.name,
    method.params.map((param) => param.name),
  );
  return new EngineError('PLAN_UNKNOWN_PARAM', `${operation} has no param "${given.name}"`, {
    hint: [suggestion, `params: ${method.params.map((param) => param.name).join(', ')}`].filter(Boolean).join('; '),
    span: given.span && spanAt(script, given.span.offset, given.span.length),
  });
}

function sameValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

function duplicateParam(param: ParamSpec, given: { readonly span?: Span }, script: string): EngineError {
  return new EngineError('PLAN_DUPLICATE_PARAM', `param "${param.name}" is given more than once, with different values`, {
    hint: 'give it once (or the same value each time)',
    span: given.span && spanAt(script, given.span.offset, given.span.length),
  });
}
