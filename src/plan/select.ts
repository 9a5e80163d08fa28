// SELECT → for each resource it reads: the method its params pick, the requests (one per
// combination of IN values, or per distinct value of a dependent join), the local table;
// then the local query, checked by SQLite before anything is sent.

import { EngineError, spanAt } from '../errors.ts';
import type { Registry } from '../registry/load.ts';
import type { ResolvedResource } from '../registry/resolve.ts';
import type { MethodSpec, ParamSpec } from '../registry/types.ts';
import { callsMethod } from '../registry/types.ts';
import { LOCAL_TABLE_PREFIX, type DirectQuery, type JoinBinding, type SelectStatement, type SourceCondition } from '../sql/ast.ts';
import { cachedResource, resourceTarget } from './targets.ts';
import { planAggregate } from './aggregate.ts';
import { checkLocalQuery, localColumnNames, preparedCancellableText } from './local-check.ts';
import { bindParams, findParam, type NamedValue } from './params.ts';
import { fanOut, mergeByParam } from './fan-out.ts';
import { idColumnsFor, type IdColumns } from './id-params.ts';
import { pushdownFilters } from './pushdown.ts';
import { windowStart, type WindowStart } from './time-window.ts';
import { buildRequest } from './request.ts';
import type { PlanSession } from './session.ts';
import type { PlanOptions, SqlValue } from './types.ts';
import type { DirectPlan, LocalQueryPlan, SelectStatementPlan, SourceDependency, SourcePlan, SourceRequest } from './types-select.ts';
import { literalValue, toSqlParam, type ValueContext } from './values.ts';

export function planSelect(statement: SelectStatement, script: string, registry: Registry, options: PlanOptions): SelectStatementPlan {
  const shapes = sourceShapes(statement, script, registry, options.session);
  const sources = shapes.map((shape, index) => planSource(index, shape, statement, script, options));
  checkDependencies(sources, statement, script);
  const { text, bindings, cancellable } = statement.local;
  checkLocalQuery(options.checker, text, sources, (name) => locateName(script, statement, name));
  if (cancellable && 'error' in cancellable) throw cancellable.error;
  const query: LocalQueryPlan = {
    text,
    params: bindings.map((binding) => toSqlParam(literalValue(binding, options.vars))),
    cancellableText: cancellable && preparedCancellableText(options.checker, cancellable.texts, sources),
  };
  const aggregate = statement.aggregate && sources.length === 1 && !sources[0].dependency
    ? planAggregate(statement.aggregate, sources[0], statement.conditions, localColumnNames(options.checker, query.text, sources), options)
    : undefined;
  const streaming = sources.some((source) => source.dependency) || !statement.streaming
    ? undefined
    : { limit: statement.streaming.limit, offset: statement.streaming.offset, direct: directPlan(statement.streaming.direct, sources[0], options) };
  return aggregate ? { kind: 'select', sources, query, aggregate } : { kind: 'select', sources, query, streaming };
}

/** What planning a source needs that depends only on the statement's shape and the registry. */
interface SourceShape {
  readonly resolved: ResolvedResource;
  readonly method: MethodSpec;
  readonly operation: string;
  /** Indexes into the statement's conditions: params the method takes, and filters to push down. */
  readonly used: readonly number[];
  readonly pushdown: readonly number[];
  readonly join?: JoinBinding;
  readonly deferred: readonly ParamSpec[];
  readonly paramColumns: readonly string[];
  readonly fields: SourcePlan['fields'];
  readonly storedFields: readonly number[];
  readonly storedColumns: readonly string[];
  readonly columns: readonly string[];
  readonly idColumns?: IdColumns;
}

/** Resolved once per statement shape (in the planner's session): statements that differ only in their values share it. */
function sourceShapes(statement: SelectStatement, script: string, registry: Registry, session: PlanSession): readonly SourceShape[] {
  return session.sourceShapes.getOrCompute(statement.shape, () => {
    const resolved = statement.sources.map((source) => cachedResource(session, registry, source.name, script));
    const owners = conditionOwners(statement, resolved);
    return resolved.map((resource, index) => sourceShape(index, resource, registry, session, statement, script, owners));
  }) as readonly SourceShape[];
}

/**
 * An unqualified condition may give a param to several sources (`WHERE subscriptionId = …` in a
 * join), but only its first source exposes it as a column, so SQLite finds one such column.
 */
function conditionOwners(statement: SelectStatement, resolved: readonly ResolvedResource[]): Map<SourceCondition, number> {
  const owners = new Map<SourceCondition, number>();
  for (const condition of statement.conditions) {
    const owner = condition.sources.find((index) => isSelectParam(resolved[index], condition.column));
    if (owner !== undefined) owners.set(condition, owner);
  }
  return owners;
}

function isSelectParam(resolved: ResolvedResource, column: string): boolean {
  return Object.values(resolved.resource.methods).some((method) => callsMethod(method, 'select') && findParam(method, column));
}

function sourceShape(index: number, resolved: ResolvedResource, registry: Registry, session: PlanSession, statement: SelectStatement, script: string, owners: ReadonlyMap<SourceCondition, number>): SourceShape {
  const isParam = (column: string) => isSelectParam(resolved, column);
  const conditions = statement.conditions.filter((condition) => condition.sources.includes(index));
  const paramConditions = conditions.filter((condition) => isParam(condition.column));
  const joins = statement.joins.filter((join) => join.sources.length === 1 && join.sources[0] === index && isParam(join.column) && !join.from.sources.includes(index));
  const givenNames = [...paramConditions.map((condition) => condition.column), ...joins.map((join) => join.column)];
  const { method, operation } = resourceTarget(session, registry, statement.sources[index].name, 'select', givenNames, script, true);
  const used = paramConditions.filter((condition) => findParam(method, condition.column));
  const join = pickJoin(method, joins, used, operation);
  const exposed = used.filter((condition) => owners.get(condition) === index);
  const paramColumns = columnsOf(method, [...exposed.map((condition) => condition.column), ...(join ? [join.column] : [])]);
  const indexOf = (condition: SourceCondition) => statement.conditions.indexOf(condition);
  const fields = method.response.fields;
  const mentioned = statement.mentioned;
  const mentionedFields = fields.flatMap((field, at) => (mentioned === 'all' || mentioned.has(field.name.toLowerCase()) ? [at] : []));
  // Params the statement names but does not give, read from each row's resource id (one source
  // only: in a join, a second column of the same name would make unqualified names ambiguous).
  const taken = new Set([...fields.map((field) => field.name), ...paramColumns, ...used.map((condition) => condition.column)].map((name) => name.toLowerCase()));
  const idColumns = statement.sources.length === 1 ? idColumnsFor(resolved.resource, method, mentioned, taken) : undefined;
  const derived = idColumns?.columns.map((entry) => entry.column) ?? [];
  const idField = idColumns ? fields.findIndex((field) => field.name === idColumns.field) : -1;
  const withId = idField !== -1 && !mentionedFields.includes(idField) ? [...mentionedFields, idField] : mentionedFields;
  // SQLite has no table without columns (`SELECT count(*)` names none).
  const storedFields = withId.length === 0 && paramColumns.length === 0 && fields.length > 0 ? [0] : withId;
  return {
    resolved, method, operation, join, paramColumns, fields, idColumns,
    used: used.map(indexOf),
    pushdown: conditions.filter((condition) => !findParam(method, condition.column)).map(indexOf),
    deferred: join ? [findParam(method, join.column)!] : [],
    storedFields,
    storedColumns: [...storedFields.map((at) => fields[at].name), ...paramColumns, ...derived],
    columns: [...fields.map((field) => field.name), ...paramColumns, ...derived],
  };
}

function planSource(index: number, shape: SourceShape, statement: SelectStatement, script: string, options: PlanOptions): SourcePlan {
  const { resolved, method, operation, join, deferred, paramColumns } = shape;
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session };
  const given = mergeByParam(shape.used.map((at) => statement.conditions[at]), (column) => findParam(method, column), options.vars);
  const combos = fanOut(given, operation, options.vars);
  const pushdown = pushdownFilters(method, shape.pushdown.map((at) => statement.conditions[at]), options.vars);
  const start = windowStart(method, index, statement, given, options.vars, operation);
  const requests = combos.map((combo): SourceRequest => {
    const bound = withPushdown(withWindow(bindParams(method, operation, combo, context, deferred), start), method, pushdown);
    return { request: buildRequest({ service: resolved.service, method, operation, params: bound }, options), paramValues: paramValuesOf(method, combo, options, paramColumns) };
  });
  // No value left for a param (`rg = 'a' AND rg = 'b'`): no request, no row, nothing to join.
  const dependency: SourceDependency | undefined = join && combos.length > 0 ? {
    source: join.from.sources[0], column: join.from.column, param: deferred[0], service: resolved.service, method,
    base: withPushdown(withWindow(bindParams(method, operation, combos[0], context, deferred), start), method, pushdown), baseValues: requests[0].paramValues, columns: paramColumns, context, options,
  } : undefined;
  if (dependency && combos.length > 1) throw unsupported(`${operation}: a dependent join cannot also fan out over IN values`, script, statement.sources[index].name.span);
  return { table: `${LOCAL_TABLE_PREFIX}${index}`, operation, fields: shape.fields, storedFields: shape.storedFields, storedColumns: shape.storedColumns, columns: shape.columns, paramColumns, idColumns: shape.idColumns, requests, dependency };
}

function pickJoin(method: MethodSpec, joins: readonly JoinBinding[], given: readonly SourceCondition[], operation: string): JoinBinding | undefined {
  // A host (Synapse's endpoint) decides where the token goes: it is never taken from rows.
  const usable = joins.filter((join) => findParam(method, join.column)?.required && findParam(method, join.column)?.in !== 'host' && !given.some((condition) => findParam(method, condition.column) === findParam(method, join.column)));
  if (usable.length > 1) throw new EngineError('SQL_UNSUPPORTED', `${operation}: params from more than one join (${usable.map((join) => join.column).join(', ')})`, { hint: 'give all but one of them as literal values' });
  return usable[0];
}

/** Param columns are named like the params; a field of the same name wins. */
/**
 * Param columns are named like the params, and also as the statement spelled them
 * (`subscription_id`); a field of the same name wins. SQLite names ignore case.
 */
function columnsOf(method: MethodSpec, names: readonly string[]): string[] {
  const taken = new Set(method.response.fields.map((field) => field.name.toLowerCase()));
  const columns: string[] = [];
  for (const name of names.flatMap((given) => [findParam(method, given)!.name, given])) {
    if (taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    columns.push(name);
  }
  return columns;
}

function paramValuesOf(method: MethodSpec, combo: readonly NamedValue[], options: PlanOptions, columns: readonly string[]): Record<string, SqlValue> {
  const values: Record<string, SqlValue> = {};
  for (const given of combo) {
    const param = findParam(method, given.name)!;
    const value: SqlValue = literalValue(given.value, options.vars);
    for (const column of columns) if (findParam(method, column) === param) values[column] = value;
  }
  return values;
}

function withWindow(bound: Map<ParamSpec, unknown>, start: WindowStart | undefined): Map<ParamSpec, unknown> {
  return start ? bound.set(start.param, start.value) : bound;
}

function withPushdown(bound: Map<ParamSpec, unknown>, method: MethodSpec, filters: readonly object[]): Map<ParamSpec, any> {
  const target = method.filterPushdown && method.params.find((param) => (param.wireName ?? param.name) === method.filterPushdown!.bodyField);
  if (!target || filters.length === 0) return bound;
  const existing = bound.get(target);
  return new Map(bound).set(target, [...(Array.isArray(existing) ? existing : []), ...filters]);
}

function checkDependencies(sources: readonly SourcePlan[], statement: SelectStatement, script: string): void {
  const visiting = new Set<number>();
  const visit = (index: number): void => {
    if (visiting.has(index)) throw unsupported('joins whose params depend on each other in a cycle', script, statement.sources[index].name.span);
    const dependency = sources[index].dependency;
    if (!dependency) return;
    visiting.add(index);
    visit(dependency.source);
    visiting.delete(index);
  };
  sources.forEach((_, index) => visit(index));
}

/** Column names resolve as SQLite resolves them: ignoring case. The local check has vouched for them. */
function directPlan(direct: DirectQuery | undefined, source: SourcePlan, options: PlanOptions): DirectPlan | undefined {
  if (!direct) return undefined;
  const index = (name: string) => source.storedColumns.findIndex((column) => column.toLowerCase() === name.toLowerCase());
  const columns = direct.columns?.map((column) => ({ name: column.name, index: index(column.column) })) ?? source.storedColumns.map((name, i) => ({ name, index: i }));
  const filters = direct.filters.map((filter) => ({ index: index(filter.column), values: filter.values.map((value) => toSqlParam(literalValue(value, options.vars))) }));
  if ([...columns, ...filters].some((entry) => entry.index === -1)) return undefined;
  return { columns, filters };
}

function locateName(script: string, statement: SelectStatement, name: string) {
  const start = statement.sources[0]?.name.span.offset ?? 0;
  const pattern = new RegExp(`(?<![\\w.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
  const statementStart = script.lastIndexOf(';', start) + 1;
  pattern.lastIndex = statementStart;
  const match = pattern.exec(script);
  return match ? spanAt(script, match.index, name.length) : undefined;
}


function unsupported(message: string, script: string, span: { offset: number; length: number }): EngineError {
  return new EngineError('SQL_UNSUPPORTED', message, { span: spanAt(script, span.offset, span.length) });
}
