// What a SELECT's sources are, worked out once per statement shape: for each resource it reads,
// the method its params pick, which conditions are params and which are filters to push down, the
// joins that give params from another source's rows, and the columns of its local table. Values
// never enter here; plan/select.ts makes each statement's requests from a resolution.

import type { RegistryView } from '../registry/load.ts';
import type { ResolvedResource } from '../registry/resolve.ts';
import type { FieldSpec, MethodSpec, ParamSpec } from '../registry/types.ts';
import { callsMethod } from '../registry/types.ts';
import type { JoinBinding, SelectStatement, SourceCondition } from '../sql/ast.ts';
import { idColumnsFor, idPathOf, type IdPath } from './id-params.ts';
import { findParam } from './params.ts';
import type { PlanSession } from './session.ts';
import { BoundedCache } from '../util/caches.ts';
import { cachedResource, defaultLiteral, methodTarget, resourceTarget, targetWithDefaults, type PlanDefaults, type Target } from './targets.ts';
import type { SourcePlan, StoredViewShape } from './types-select.ts';

/**
 * What planning a source needs that depends only on the statement's shape and the registry: the
 * source plan's table layout (its fields and columns, as SourcePlan says them), and how to make
 * its requests.
 */
export interface SourceResolution extends Pick<SourcePlan, 'fields' | 'columns' | 'storedColumns' | 'storedFields' | 'paramColumns' | 'idColumns'> {
  readonly resolved: ResolvedResource;
  readonly method: MethodSpec;
  readonly operation: string;
  /** Indexes into the statement's conditions: params the method takes, and filters to push down. */
  readonly used: readonly number[];
  readonly pushdown: readonly number[];
  /** The joins that give required params values from another source's rows, one per param. */
  readonly joins: readonly JoinBinding[];
  readonly deferred: readonly ParamSpec[];
  /** Params the user's defaults give (the statement does not, and the method needs them), as conditions. */
  readonly defaults: readonly SourceCondition[];
}

/**
 * Resolved once per statement shape (in the planner's session): statements that differ only in
 * their values share it. A materialized view has no resolution (undefined); a statement that reads
 * one is resolved afresh, since the view's columns change when it is replaced.
 */
export function sourceResolutions(
  statement: SelectStatement,
  script: string,
  registry: RegistryView,
  session: PlanSession,
  defaults: PlanDefaults,
  stored: readonly (StoredViewShape | undefined)[],
): readonly (SourceResolution | undefined)[] {
  const resolve = () => {
    const resolved = statement.sources.map((source, index) => (stored[index] ? undefined : cachedResource(session, registry, source.name, script)));
    const named = statement.sources.map((source, index) =>
      source.method === undefined || stored[index]
        ? undefined
        : methodTarget(session, registry, { parts: [...source.name.parts, source.method], span: source.name.span }, script),
    );
    const owners = conditionOwners(statement, resolved, named, session);
    const resolveOne = (index: number, useJoins: boolean) => {
      const resource = resolved[index];
      return resource && resolveSource(index, resource, named[index], registry, session, statement, script, owners, defaults, useJoins);
    };
    return withoutCycles(
      resolved.map((_, index) => resolveOne(index, true)),
      (index) => resolveOne(index, false),
    );
  };
  if (stored.some((view) => view !== undefined)) return resolve();
  return session.sourceResolutions.getOrCompute(statement.shape, resolve) as readonly SourceResolution[];
}

/**
 * `subscriptions s JOIN resource_groups g ON g.subscriptionId = s.subscriptionId` binds both ways:
 * g takes subscriptionId from s, and s could take it from g (its get method). A source in such a
 * cycle that can be read without its joins (s lists every subscription) is read so; a cycle no
 * source can leave stays, and is reported.
 */
function withoutCycles(
  resolutions: readonly (SourceResolution | undefined)[],
  alone: (index: number) => SourceResolution | undefined,
): (SourceResolution | undefined)[] {
  const result = [...resolutions];
  for (let index = 0; index < result.length; index++) {
    if (!inCycle(result, index)) continue;
    try {
      result[index] = alone(index);
    } catch {
      // This source needs its joins: another source of the cycle may leave it instead.
    }
  }
  return result;
}

function inCycle(resolutions: readonly (SourceResolution | undefined)[], start: number): boolean {
  const seen = new Set<number>();
  const reaches = (at: number): boolean => {
    if (at === start) return true;
    if (seen.has(at)) return false;
    seen.add(at);
    return dependsOn(resolutions[at]).some(reaches);
  };
  return dependsOn(resolutions[start]).some(reaches);
}

/** The sources whose rows a resolution's joins read. */
function dependsOn(resolution: SourceResolution | undefined): number[] {
  return resolution ? resolution.joins.map((join) => join.from.sources[0]) : [];
}

/**
 * An unqualified condition may give a param to several sources (`WHERE subscriptionId = …` in a
 * join), but only its first source exposes it as a column, so SQLite finds one such column.
 */
function conditionOwners(
  statement: SelectStatement,
  resolved: readonly (ResolvedResource | undefined)[],
  named: readonly (Target | undefined)[],
  session: PlanSession,
): Map<SourceCondition, number> {
  const owners = new Map<SourceCondition, number>();
  for (const condition of statement.conditions) {
    const owner = condition.sources.find((index) => resolved[index] && isParamOf(resolved[index], named[index], condition.column, session));
    if (owner !== undefined) owners.set(condition, owner);
  }
  return owners;
}

/** Names remembered per resource, the oldest forgotten first (a statement names a few). */
const MAX_NAMES_PER_RESOURCE = 1_000;

/**
 * A param of the named method, or of any SELECT method of the resource. The second is asked twice
 * per condition of every new statement shape, and looks through every param of every method: the
 * answer is kept per resource, by the name as written.
 */
function isParamOf(resolved: ResolvedResource, named: Target | undefined, column: string, session: PlanSession): boolean {
  if (named) return findParam(named.method, column) !== undefined;
  const answers = session.selectParams.getOrCompute(resolved.resource, () => new BoundedCache('plan.select-params', MAX_NAMES_PER_RESOURCE));
  return answers.getOrCompute(column, () =>
    Object.values(resolved.resource.methods).some((method) => callsMethod(method, 'select') && findParam(method, column) !== undefined),
  );
}

function resolveSource(
  index: number,
  resolved: ResolvedResource,
  named: Target | undefined,
  registry: RegistryView,
  session: PlanSession,
  statement: SelectStatement,
  script: string,
  owners: ReadonlyMap<SourceCondition, number>,
  paramDefaults: PlanDefaults,
  useJoins: boolean,
): SourceResolution {
  const isParam = (column: string) => isParamOf(resolved, named, column, session);
  const conditions = statement.conditions.filter((condition) => condition.sources.includes(index));
  const paramConditions = conditions.filter((condition) => isParam(condition.column));
  const joins = !useJoins
    ? []
    : statement.joins.filter((join) => join.sources.length === 1 && join.sources[0] === index && isParam(join.column) && !join.from.sources.includes(index));
  const givenNames = [...paramConditions.map((condition) => condition.column), ...joins.map((join) => join.column)];
  const chosen = named
    ? { target: named, defaulted: [] as string[] }
    : targetWithDefaults(paramDefaults, givenNames, (names) => resourceTarget(session, registry, statement.sources[index].name, 'select', names, script, true));
  const {
    target: { method, operation },
    defaulted,
  } = chosen;
  const defaults = defaulted.map((name): SourceCondition => ({ sources: [index], column: name, values: [defaultLiteral(paramDefaults, name)] }));
  const used = paramConditions.filter((condition) => findParam(method, condition.column));
  const picked = pickJoins(method, joins, used);
  const exposed = used.filter((condition) => owners.get(condition) === index);
  // A default is a column of a lone source (in a join, two such columns would make the name ambiguous).
  const exposedDefaults = statement.sources.length === 1 ? defaulted : [];
  const paramColumns = columnsOf(method, session, [...exposed.map((condition) => condition.column), ...exposedDefaults, ...picked.map((join) => join.column)]);
  const indexOf = (condition: SourceCondition) => statement.conditions.indexOf(condition);
  const fields = method.response.fields;
  const mentioned = statement.mentioned;
  const lowerNames = lowerNamesOf(fields, session);
  const mentionedFields: number[] = [];
  for (let at = 0; at < fields.length; at++) if (mentioned === 'all' || mentioned.has(lowerNames[at])) mentionedFields.push(at);
  // Params the statement names but does not give, read from each row's resource id (one source
  // only: in a join, a second column of the same name would make unqualified names ambiguous).
  const taken = () => new Set([...lowerNames, ...paramColumns.map((name) => name.toLowerCase()), ...used.map((condition) => condition.column.toLowerCase())]);
  const idColumns = statement.sources.length === 1 ? idColumnsFor(idPathFor(resolved, session), method, mentioned, taken) : undefined;
  const derived = idColumns?.columns.map((entry) => entry.column) ?? [];
  const idField = idColumns ? fields.findIndex((field) => field.name === idColumns.field) : -1;
  const withId = idField !== -1 && !mentionedFields.includes(idField) ? [...mentionedFields, idField] : mentionedFields;
  // SQLite has no table without columns (`SELECT count(*)` names none).
  const storedFields = withId.length === 0 && paramColumns.length === 0 && fields.length > 0 ? [0] : withId;
  return {
    resolved,
    method,
    operation,
    joins: picked,
    paramColumns,
    fields,
    idColumns,
    defaults,
    used: used.map(indexOf),
    pushdown: conditions.filter((condition) => !findParam(method, condition.column)).map(indexOf),
    deferred: picked.map((join) => findParam(method, join.column)!),
    storedFields,
    storedColumns: [...storedFields.map((at) => fields[at].name), ...paramColumns, ...derived],
    columns: [...fields.map((field) => field.name), ...paramColumns, ...derived],
  };
}

/**
 * The joins that fill the method's required params not given as values: one per param, from the
 * rows of one other source or of several (their rows joined as the statement joins them).
 */
function pickJoins(method: MethodSpec, joins: readonly JoinBinding[], given: readonly SourceCondition[]): JoinBinding[] {
  // A host (Synapse's endpoint) decides where the token goes: it is never taken from rows.
  const usable = joins.filter(
    (join) =>
      findParam(method, join.column)?.required &&
      findParam(method, join.column)?.in !== 'host' &&
      !given.some((condition) => findParam(method, condition.column) === findParam(method, join.column)),
  );
  const byParam = new Map<ParamSpec, JoinBinding>();
  for (const join of usable) {
    const param = findParam(method, join.column)!;
    const chosen = byParam.get(param);
    // A plain column is the simplest source of values; of two, the first written wins.
    if (!chosen || (chosen.from.expression && !join.from.expression)) byParam.set(param, join);
  }
  return [...byParam.values()];
}

/**
 * Param columns are named like the params, and also as the statement spelled them
 * (`subscription_id`); a field of the same name wins. SQLite names ignore case.
 */
function columnsOf(method: MethodSpec, session: PlanSession, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const { fields } = method.response;
  const taken = new Set(lowerNamesOf(fields, session));
  const columns: string[] = [];
  for (const name of names.flatMap((given) => [findParam(method, given)!.name, given])) {
    if (taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    columns.push(name);
  }
  return columns;
}

/** The fields' names in lower case, worked out once per response. */
function lowerNamesOf(fields: readonly FieldSpec[], session: PlanSession): readonly string[] {
  return session.lowerFieldNames.getOrCompute(fields, () => fields.map((field) => field.name.toLowerCase()));
}

/** Where the resource's ids hold params (undefined: they hold none), worked out once per resource. */
function idPathFor(resolved: ResolvedResource, session: PlanSession): IdPath | undefined {
  return session.idPaths.getOrCompute(resolved.resource, () => idPathOf(resolved.resource) ?? null) ?? undefined;
}
