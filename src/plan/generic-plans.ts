// Plans reused across SELECTs that differ only in the strings they give params. A script or an app
// that looks runs up one by one writes a new text each time (`… AND runId = '<id>'`); parsing and
// planning each costs more than sending it. Two statements of one shape (sql/literal-shape.ts),
// planned as usual, show where each of their values went in the plan; a later statement of the
// shape gets that plan with its own values in those places, without being parsed or planned, when
// nothing about its values could have made the planner do otherwise:
// - each string that differed between the two is a value of string params that take it as it is
//   (no conversion; not the host), and the new value meets those params' rules (pattern, length, enum);
// - each such value is plain (letters, digits, `-`, `_`, `.`; not `.` first), so every encoding the
//   planner applies (path, query string, JSON, SQL) leaves it as it is;
// - the strings that were the same in both are the same in it;
// - its values are equal to one another where theirs were, and none reads as another token of the
//   statement (repeated params merge, IN lists drop repeats, `x = 5 AND x = '5'` is one value);
// - the plan sends requests only, with no clock in them (a default time window, a value SQLite
//   computed as it was planned), no dependent join and no stored view.
// Anything else plans as usual. test/unit/plan/generic-plans.test.ts holds it to the planner.

import type { Literal } from '../sql/ast.ts';
import { otherTokenValues, type LiteralShape } from '../sql/literal-shape.ts';
import type { ParamSpec } from '../registry/types.ts';
import type { PlanSession } from './session.ts';
import type { StatementPlan } from './types.ts';
import type { SelectStatementPlan } from './types-select.ts';
import { takesStringAsIs, type PlanObserver } from './values.ts';

/** What a shape's statements taught: one statement's plan so far, a plan to fill in, or that it cannot be reused. */
export type ShapeKnowledge = Witness | GenericPlan | 'refused';

interface Witness {
  readonly kind: 'witness';
  /** Statements of the shape compared with a witness that taught nothing (a value no param takes as it is…). */
  readonly misses: number;
  readonly values: readonly string[];
  readonly plan: SelectStatementPlan;
  /** By string literal (its index), the params its value was given to. */
  readonly uses: ReadonlyMap<number, readonly ParamSpec[]>;
}

interface GenericPlan {
  readonly kind: 'generic';
  readonly base: SelectStatementPlan;
  /** By literal: the value it must have, or undefined where the statement's own value goes in. */
  readonly fixed: readonly (string | undefined)[];
  readonly varying: readonly { readonly literal: number; readonly params: readonly ParamSpec[] }[];
  /** Which literals equal which (equalitiesOf), as in both statements learned from. */
  readonly equalities: string;
  /** The statement's other tokens, lower case: no value may read as one. */
  readonly reserved: ReadonlySet<string>;
  readonly edits: EditTree;
}

/** Where values go: under a key, the edits below it, or the parts of a string (text, or a literal's index). */
type EditTree = Edit[];
type Edit =
  | { readonly key: string | number; readonly below: EditTree; readonly parts?: undefined }
  | { readonly key: string | number; readonly parts: Parts; readonly below?: undefined };
type Parts = readonly (string | number)[];

/** A statement's way through: the plan to run, or a learner to plan it with (then handed the plan). */
export type ShapeLookup = { readonly reused: SelectStatementPlan } | { readonly learner: ShapeLearner } | undefined;

/** Watches a statement being planned, then learns from its plan. */
export interface ShapeLearner extends PlanObserver {
  learn(plan: StatementPlan): void;
}

/** Statements of a shape compared in vain before it is planned as usual for good. */
const MAX_MISSES = 8;

const PLAIN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** How to plan a statement of this shape. A read-only session plans every statement (a SELECT may read with an action: refused). */
export function lookupShape(shape: LiteralShape, session: PlanSession): ShapeLookup {
  const key = shape.key;
  const known = session.shapePlans.get(key);
  if (known === 'refused') return undefined;
  if (known?.kind === 'generic') {
    if (!sameFixed(known, shape.values)) return { learner: learner(key, shape, undefined, session) };
    const reused = filledIn(known, shape.values, session);
    return reused ? { reused } : undefined;
  }
  return { learner: learner(key, shape, known, session) };
}

function learner(key: string, shape: LiteralShape, witness: Witness | undefined, session: PlanSession): ShapeLearner {
  const uses = new Map<number, ParamSpec[]>();
  let computed = false;
  return {
    computed() {
      computed = true;
    },
    paramValue(literal: Literal, param: ParamSpec) {
      const at = literal.stringIndex;
      if (at === undefined || literal.fromData) return;
      const params = uses.get(at) ?? [];
      if (!params.includes(param)) uses.set(at, [...params, param]);
    },
    learn(plan: StatementPlan) {
      if (computed || !reusable(plan)) {
        session.shapePlans.set(key, 'refused');
        return;
      }
      const misses = witness ? witness.misses + 1 : 0;
      const current: Witness = { kind: 'witness', misses, values: shape.values, plan, uses };
      // The same text again learns a plan with nothing to fill in (a dashboard's query run every minute).
      const learned = witness && genericPlan(witness, current, shape, session);
      // The latest statement is the next one's witness: one odd value does not stop a shape from being learned.
      session.shapePlans.set(key, learned ?? (misses > MAX_MISSES ? 'refused' : current));
    },
  };
}

function reusable(plan: StatementPlan): plan is SelectStatementPlan {
  return (
    plan.kind === 'select' &&
    plan.sources.every((source) => !source.dependency && !source.stored && source.requests.every(({ request }) => !request.clockDefaults))
  );
}

/** What two statements of a shape, planned as usual, say about the next ones; undefined when they say it cannot be reused. */
function genericPlan(first: Witness, second: Witness, shape: LiteralShape, session: PlanSession): GenericPlan | undefined {
  const fixed = first.values.map((value, i) => (value === second.values[i] ? value : undefined));
  const varying: GenericPlan['varying'][number][] = [];
  const reserved = otherTokenValues(shape.tokens);
  for (let i = 0; i < fixed.length; i++) {
    if (fixed[i] !== undefined) continue;
    const params = first.uses.get(i) ?? [];
    const same = sameParams(params, second.uses.get(i) ?? []);
    const takes = (value: string) => takesValue(value, params, reserved, session);
    if (params.length === 0 || !same || !takes(first.values[i]) || !takes(second.values[i])) return undefined;
    varying.push({ literal: i, params });
  }
  const equalities = equalitiesOf(first.values, varying);
  if (equalities !== equalitiesOf(second.values, varying)) return undefined;
  const holes = varying.map(({ literal }) => ({ literal, first: first.values[literal], second: second.values[literal] }));
  const edits: EditTree = [];
  if (!differences(first.plan, second.plan, holes, edits)) return undefined;
  return { kind: 'generic', base: deepFrozen(first.plan), fixed, varying, equalities, reserved, edits };
}

function sameParams(a: readonly ParamSpec[], b: readonly ParamSpec[]): boolean {
  return a.length === b.length && a.every((param) => b.includes(param));
}

/** For each varying literal and every literal: equal or not (the planner compares values exactly). */
function equalitiesOf(values: readonly string[], varying: GenericPlan['varying']): string {
  let text = '';
  for (const { literal } of varying) for (let j = 0; j < values.length; j++) text += equality(values[literal], values[j]);
  return text;
}

function equality(a: string, b: string): string {
  return a === b ? '=' : '.';
}

/** Whether a varying literal may hold this value: plain, not another token of the statement, and taken as it is by each of its params. */
function takesValue(value: string, params: readonly ParamSpec[], reserved: ReadonlySet<string>, session: PlanSession): boolean {
  return PLAIN.test(value) && !reserved.has(value.toLowerCase()) && params.every((param) => takesStringAsIs(param, value, session));
}

/**
 * Whether a statement gives the strings the plan fixes. When it does not, the user has moved on (the
 * next factory's runs): the shape is learned again from it.
 */
function sameFixed(plan: GenericPlan, values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) if (plan.fixed[i] !== undefined && plan.fixed[i] !== values[i]) return false;
  return true;
}

/** The plan for a statement's values, or undefined when they are not ones the plan can take. */
function filledIn(plan: GenericPlan, values: readonly string[], session: PlanSession): SelectStatementPlan | undefined {
  for (const { literal, params } of plan.varying) if (!takesValue(values[literal], params, plan.reserved, session)) return undefined;
  if (equalitiesOf(values, plan.varying) !== plan.equalities) return undefined;
  return copyWith(plan.base, plan.edits, values) as SelectStatementPlan;
}

function copyWith(node: object, edits: EditTree, values: readonly string[], depth = 0): object {
  const copy = shallowCopy(node, depth) as Record<string | number, unknown>;
  for (const { key, below, parts } of edits) copy[key] = parts ? render(parts, values) : copyWith(copy[key] as object, below, values, depth + 1);
  return copy;
}

/**
 * One spread per depth of the plan: V8 keeps an inline cache per place in the code, and one spread
 * for every kind of object on the way (plan, source, request, filters…) was megamorphic and took
 * ~1.6 µs a plan, against ~0.7 with the few kinds each depth sees (`.scratch` microbenchmark).
 */
function shallowCopy(node: object, depth: number): object {
  // Not slice(): on a frozen array it takes V8's slow path (~300 ns against ~12).
  if (Array.isArray(node)) return [...node];
  switch (depth) {
    case 0:
      return { ...node };
    case 1:
      return { ...node };
    case 2:
      return { ...node };
    case 3:
      return { ...node };
    case 4:
      return { ...node };
    default:
      return { ...node };
  }
}

function render(parts: Parts, values: readonly string[]): string {
  let text = '';
  for (const part of parts) text += typeof part === 'number' ? values[part] : part;
  return text;
}

interface Hole {
  readonly literal: number;
  readonly first: string;
  readonly second: string;
}

/**
 * Walks two plans of a shape together: where they differ, it must be a string that is the same
 * text around each varying literal's value (recorded in `edits`); anything else, and the shape's
 * plans are not the same plan with other values.
 */
function differences(a: unknown, b: unknown, holes: readonly Hole[], edits: EditTree): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => within(item, b[i], i, holes, edits));
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  return keys.length === other.length && keys.every((key, i) => key === other[i] && within(a[key], b[key], key, holes, edits));
}

function within(a: unknown, b: unknown, key: string | number, holes: readonly Hole[], edits: EditTree): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    const parts = partsOf(a, b, holes);
    if (parts) edits.push({ key, parts });
    return parts !== undefined;
  }
  const below: EditTree = [];
  if (!differences(a, b, holes, below)) return false;
  if (below.length > 0) edits.push({ key, below });
  return true;
}

/** The plans of a shape share what their values do not change: none may change it under the others (engine.plan hands plans out). */
function deepFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFrozen(child);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * `a` and `b` as one text with the varying literals' values in places: the same parts whichever
 * way the two are matched (literal first, or text first), else undefined (the strings differ
 * otherwise, or could be read two ways).
 */
function partsOf(a: string, b: string, holes: readonly Hole[]): Parts | undefined {
  const valueFirst = match(a, b, holes, true);
  const textFirst = match(a, b, holes, false);
  if (!valueFirst || !textFirst || valueFirst.length !== textFirst.length || valueFirst.some((part, i) => part !== textFirst[i])) return undefined;
  return valueFirst.some((part) => typeof part === 'number') ? valueFirst : undefined;
}

/** `a` and `b` read as text, then values, then text…: at each step the earliest value (or the last) that lets the rest match. */
function match(a: string, b: string, holes: readonly Hole[], valueFirst: boolean): Parts | undefined {
  const failed = new Set<number>();
  const from = (i: number, j: number): (string | number)[] | undefined => {
    const state = i * (b.length + 1) + j;
    if (failed.has(state)) return undefined;
    const steps: { readonly text: number; readonly hole?: Hole }[] = [];
    for (let k = 0; ; k++) {
      for (const hole of holes) if (a.startsWith(hole.first, i + k) && b.startsWith(hole.second, j + k)) steps.push({ text: k, hole });
      if (i + k === a.length && j + k === b.length) steps.push({ text: k });
      if (i + k >= a.length || j + k >= b.length || a[i + k] !== b[j + k]) break;
    }
    if (!valueFirst) steps.reverse();
    for (const { text, hole } of steps) {
      const before = a.slice(i, i + text);
      if (!hole) return [before];
      const rest = from(i + text + hole.first.length, j + text + hole.second.length);
      if (rest) return [before, hole.literal, ...rest];
    }
    failed.add(state);
    return undefined;
  };
  return from(0, 0)?.filter((part) => part !== '');
}
