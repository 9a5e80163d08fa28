// Turns SQL literals into typed param values and checks them against the spec's rules,
// before anything is sent.

import { EngineError, spanAt } from '../errors.ts';
import type { Literal } from '../sql/ast.ts';
import { substituteTemplates, type TemplateVars } from '../sql/templates.ts';
import { stringLiteralSpan } from '../sql/literal-shape.ts';
import type { ParamSpec, ValueRules } from '../registry/types.ts';
import { specPattern } from './patterns.ts';
import type { PlanSession } from './session.ts';
import { valueProblem } from './value-checks.ts';
import { constantSet } from '../util/caches.ts';

export type ParamValue = string | number | boolean | object;

export interface ValueContext {
  readonly script: string;
  readonly vars: TemplateVars;
  readonly operation: string;
  /** The planner's session: compiled patterns and the values each rule set accepted. */
  readonly session: PlanSession;
  /** Told what planning makes of the statement's values (plan/generic-plans.ts learns from it). */
  readonly observer?: PlanObserver;
  /** An offset inside the statement (its resource's name): where a literal the parser made is found, for errors. */
  readonly statementAt?: number;
}

/** What planning tells of the statement's values, for plan/generic-plans.ts. */
export interface PlanObserver {
  /** A literal was given to a param. */
  paramValue(literal: Literal, param: ParamSpec): void;
  /** SQLite computed a value as the statement was planned (`datetime('now', '-1 day')`): another time, it may compute another. */
  computed(): void;
}

const SINGLE_PLACEHOLDER = /^\{\{\s*([^{}\s]+)\s*\}\}$/;

/** The literal's value after template substitution. A lone placeholder keeps its var's type. */
export function literalValue(literal: Literal, vars: TemplateVars): string | number | boolean | null {
  const text = literal.value;
  if (typeof text !== 'string' || !text.includes('{{')) return text;
  const lone = SINGLE_PLACEHOLDER.exec(text)?.[1];
  if (lone !== undefined) {
    const value = vars[lone];
    return value === undefined ? text : value;
  }
  return substituteTemplates(text, vars);
}

/** undefined: no value (NULL, or '' where the spec does not make '' a value), so the param is omitted. */
export function coerceParam(param: ParamSpec, literal: Literal, context: ValueContext): ParamValue | undefined {
  const raw = literal.fromData ? literal.value : literalValue(literal, context.vars);
  if (raw === null || (raw === '' && param.emptyIsValue !== true)) return undefined;
  context.observer?.paramValue(literal, param);
  const fail = (rule: string) => invalidValue(param, raw, rule, literal, context);
  const value = coerceType(param, raw, fail, context);
  checkValue(param, value, fail, context.session);
  return value;
}

/**
 * Whether coerceParam would take this string as it is: a string param of the path, query, headers
 * or body (a host's value is where the request goes: never taken without planning), with rules it meets.
 */
export function takesStringAsIs(param: ParamSpec, value: string, session: PlanSession): boolean {
  if (param.type !== 'string' || !AS_IS_LOCATIONS.has(param.in) || param.skipUrlEncoding || value === '') return false;
  try {
    checkValue(param, value, () => new Error(), session);
    return true;
  } catch {
    return false;
  }
}

const AS_IS_LOCATIONS = constantSet<ParamSpec['in']>(['path', 'query', 'header', 'body']);

function checkValue(param: ParamSpec, value: ParamValue, fail: (rule: string) => Error, session: PlanSession): void {
  checkRules(param, value, fail, session);
  const problem = valueProblem(param, value);
  if (problem !== undefined) throw fail(problem);
}

function coerceType(param: ParamSpec, raw: string | number | boolean, fail: (rule: string) => EngineError, context: ValueContext): ParamValue {
  switch (param.type) {
    case 'boolean':
      return toBoolean(raw, fail);
    case 'integer':
      return toNumber(raw, true, fail);
    case 'number':
      return toNumber(raw, false, fail);
    case 'object':
    case 'array':
      return toJson(param, raw, context);
    case 'any':
      return asWritten(raw);
    default:
      return String(raw);
  }
}

function toBoolean(raw: string | number | boolean, fail: (rule: string) => EngineError): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw fail('must be a boolean: true, false, 1 or 0');
}

function toNumber(raw: string | number | boolean, integer: boolean, fail: (rule: string) => EngineError): number {
  const text = String(raw).trim();
  const valid = integer ? /^-?\d+$/.test(text) : /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
  if (typeof raw === 'boolean' || !valid) throw fail(integer ? 'must be an integer' : 'must be a number');
  return Number(text);
}

function toJson(param: ParamSpec, raw: string | number | boolean, context: ValueContext): object {
  const parsed = parseJson(String(raw), param.name, context);
  const isArray = Array.isArray(parsed);
  if (parsed === null || typeof parsed !== 'object' || isArray !== (param.type === 'array')) {
    throw new EngineError('PLAN_INVALID_JSON', `${param.name} must be a JSON ${param.type === 'array' ? 'array' : 'object'}`, {
      details: { param: param.name },
    });
  }
  return parsed;
}

/** JSON when the text is an object or array, else the value itself. */
function asWritten(raw: string | number | boolean): ParamValue {
  if (typeof raw !== 'string' || !/^\s*[[{]/.test(raw)) return raw;
  try {
    return JSON.parse(raw) as object;
  } catch {
    return raw;
  }
}

export function parseJson(text: string, name: string, context: ValueContext): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new EngineError('PLAN_INVALID_JSON', `${name} in ${context.operation} is not valid JSON: ${reason}`, { details: { param: name } });
  }
}

/** The last string each rule set accepted: calls against one resource repeat their names. */
function checkRules(rules: ValueRules, value: ParamValue, fail: (rule: string) => Error, session: PlanSession): void {
  // The last string each rule set accepted: calls against one resource repeat their names.
  if (typeof value === 'string' && session.accepted.get(rules) !== value) {
    checkStringRules(rules, value, fail, session);
    session.accepted.set(rules, value);
  }
  if (typeof value === 'number') {
    if (rules.minimum !== undefined && value < rules.minimum) throw fail(`must be ≥ ${rules.minimum}`);
    if (rules.maximum !== undefined && value > rules.maximum) throw fail(`must be ≤ ${rules.maximum}`);
  }
}

function checkStringRules(rules: ValueRules, value: string, fail: (rule: string) => Error, session: PlanSession): void {
  const { minLength, maxLength } = rules;
  const length = minLength === undefined && maxLength === undefined ? 0 : codePoints(value);
  if ((minLength !== undefined && length < minLength) || (maxLength !== undefined && length > maxLength)) {
    throw fail(`length is ${length}; must be ${minLength ?? 0}–${maxLength ?? '∞'} characters`);
  }
  if (rules.pattern !== undefined && !specPattern(rules.pattern, session).test(value)) throw fail(`must match ${rules.pattern}`);
  if (rules.enum && !rules.enum.includes(value)) throw fail(`must be one of ${rules.enum.join(', ')}`);
}

/** Characters as a user counts them: a surrogate pair is one. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) count--;
  }
  return count;
}

function invalidValue(param: ParamSpec, raw: unknown, rule: string, literal: Literal, context: ValueContext): EngineError {
  const at =
    literal.span ??
    (literal.stringIndex !== undefined && context.statementAt !== undefined
      ? stringLiteralSpan(context.script, context.statementAt, literal.stringIndex)
      : undefined);
  const span = at && spanAt(context.script, at.offset, at.length);
  return new EngineError('PLAN_INVALID_VALUE', `${param.name} = ${JSON.stringify(raw)} is invalid: ${rule}`, {
    span,
    details: { param: param.name, value: raw, rule },
  });
}

/**
 * A local query's param as SQLite takes it. A LIMIT's or an OFFSET's (`LIMIT {{ n }}`) must be a
 * whole number of rows, known before anything is sent: SQLite would refuse `'ten'` only once the
 * rows were fetched, and take `'-1'` as no limit.
 */
export function localParam(literal: Literal, script: string, vars: TemplateVars): string | number | null {
  return literal.count ? countValue(literal, script, vars) : toSqlParam(literalValue(literal, vars));
}

/** A LIMIT's or an OFFSET's value (`LIMIT {{ n }}`): a whole number of rows, or PLAN_INVALID_VALUE at the literal. */
export function countValue(literal: Literal, script: string, vars: TemplateVars): number {
  const value = literalValue(literal, vars);
  const text = String(value).trim();
  if (/^\+?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  const span = literal.span ? spanAt(script, literal.span.offset, literal.span.length) : undefined;
  throw new EngineError('PLAN_INVALID_VALUE', `LIMIT and OFFSET take a whole number of rows (0 or more), not ${JSON.stringify(value)}`, {
    span,
    details: { value, rule: 'a whole number, 0 or more' },
  });
}

/** A value as SQLite holds it: booleans are 1 and 0. */
export function toSqlParam(value: string | number | boolean | null): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
