// SELECT → for each resource it reads: its resolution (source-resolution.ts: the method its params
// pick, its params, pushdown and joins, once per statement shape), then this statement's requests
// (one per combination of IN values, or per distinct value of a dependent join) and its local
// table; then the local query, checked by SQLite before anything is sent.

import { EngineError, spanAt } from '../errors.ts';
import type { RegistryView } from '../registry/load.ts';
import type { MethodSpec, ParamSpec } from '../registry/types.ts';
import { callsMethod } from '../registry/types.ts';
import { LOCAL_TABLE_PREFIX, type DirectQuery, type Literal, type SelectStatement } from '../sql/ast.ts';
import { planAggregate } from './aggregate.ts';
import { checkLocalQuery, localColumnNames, preparedCancellableText } from './local-check.ts';
import { allInBody, bindParams, findParam, requiredParamNames, type NamedValue } from './params.ts';
import { fanOut, mergeByParam } from './fan-out.ts';
import { pushdownFilters } from './pushdown.ts';
import { templateOf } from './templates.ts';
import { windowStart, type WindowStart } from './time-window.ts';
import { buildRequest } from './request.ts';
import type { PlanSession } from './session.ts';
import type { PlanOptions, SqlValue } from './types.ts';
import type { DirectPlan, LocalQueryPlan, SelectStatementPlan, SourcePlan, SourceRequest } from './types-select.ts';
import { storedSource, storedViewOf } from './stored-views.ts';
import { checkDependencies, dependencyOf, withDependencyRows } from './dependent.ts';
import { sourceResolutions, type SourceResolution } from './source-resolution.ts';
import { countValue, literalValue, localParam, toSqlParam, type ParamValue, type ValueContext } from './values.ts';
import { uniqueColumnNames } from '../util/column-names.ts';
import { sameName } from '../util/same-name.ts';

export function planSelect(statement: SelectStatement, script: string, registry: RegistryView, options: PlanOptions): SelectStatementPlan {
  const stored = statement.sources.map((source) => storedViewOf(options, source.name, source.method));
  const resolutions = sourceResolutions(statement, script, registry, options.session, options.paramDefaults, stored);
  const planned = resolutions.map((resolution, index) =>
    resolution ? planSource(index, resolution, statement, script, options) : storedSource(index, stored[index]!),
  );
  const readsStored = stored.some((view) => view !== undefined);
  checkDependencies(planned, statement, script);
  const sources = withDependencyRows(planned, statement, options);
  const { text, bindings, cancellable } = statement.local;
  try {
    checkLocalQuery(options.checker, text, sources, (name) => locateName(script, statement, name));
  } catch (error) {
    throw paramNotColumn(error, resolutions) ?? columnOfUncalledMethod(error, resolutions, statement) ?? error;
  }
  if (cancellable && 'error' in cancellable) throw cancellable.error;
  const query: LocalQueryPlan = {
    text,
    params: bindings.map((binding) => localParam(binding, script, options.vars)),
    cancellableText: cancellable && preparedCancellableText(options.checker, cancellable.texts, sources),
  };
  // A materialized view's rows are not pages: they go into its table, and SQLite runs the query.
  const aggregate =
    statement.aggregate && sources.length === 1 && !sources[0].dependency && !readsStored
      ? planAggregate(statement.aggregate, sources[0], statement.conditions, uniqueColumnNames(localColumnNames(options.checker, query.text, sources)), options)
      : undefined;
  const streaming =
    sources.some((source) => source.dependency) || readsStored || !statement.streaming
      ? undefined
      : {
          limit: count(statement.streaming.limit, script, options),
          offset: count(statement.streaming.offset, script, options) ?? 0,
          direct: directPlan(statement.streaming.direct, sources[0], options),
        };
  return aggregate ? { kind: 'select', sources, query, aggregate } : { kind: 'select', sources, query, streaming };
}

/** A LIMIT's or an OFFSET's number, a placeholder's checked (`LIMIT {{ n }}`). */
function count(value: number | Literal | undefined, script: string, options: PlanOptions): number | undefined {
  return typeof value === 'object' ? countValue(value, script, options.vars) : value;
}

function planSource(index: number, resolution: SourceResolution, statement: SelectStatement, script: string, options: PlanOptions): SourcePlan {
  const { resolved, method, operation, joins, deferred, paramColumns } = resolution;
  if (options.readOnly && !callsMethod(method, 'select')) {
    throw new EngineError('SERVER_READ_ONLY', `${operation} is an action (${method.sqlVerb}), refused: this session is read-only`, {
      span: spanAt(script, statement.sources[index].name.span.offset, statement.sources[index].name.span.length),
    });
  }
  const context: ValueContext = {
    script,
    vars: options.vars,
    operation,
    session: options.session,
    observer: options.observer,
    statementAt: statement.sources[index].name.span.offset,
  };
  const given = mergeByParam(
    [...resolution.used.map((at) => statement.conditions[at]), ...resolution.defaults],
    (column) => findParam(method, column),
    options.vars,
  );
  const combos = fanOut(given, operation, options.vars);
  const pushdown = pushdownFilters(
    method,
    resolution.pushdown.map((at) => statement.conditions[at]),
    options.vars,
  );
  const start = windowStart(method, index, statement, given, options, script, operation);
  const requests = combos.map((combo): SourceRequest => {
    const bound = withPushdown(withWindow(bindParams(method, operation, combo, context, deferred), start), method, pushdown);
    const request = buildRequest({ service: resolved.service, method, operation, params: bound }, options);
    const withDefaults = resolution.defaults.length > 0 ? { ...request, paramDefaults: resolution.defaults.map((condition) => condition.column) } : request;
    return { request: withDefaults, paramValues: paramValuesOf(method, combo, options, paramColumns), pushed: pushedOf(method, combo, options) };
  });
  // No value left for a param (`rg = 'a' AND rg = 'b'`): no request, no row, nothing to join.
  const dependency =
    joins.length > 0 && combos.length > 0
      ? dependencyOf(
          {
            joins,
            params: deferred,
            columnsOf: (param) => paramColumns.filter((column) => findParam(method, column) === param),
            template: templateOf(
              resolved.service,
              resolved.resource.name,
              method,
              operation,
              withPushdown(withWindow(bindParams(method, operation, combos[0], context, deferred), start), method, pushdown),
            ),
            baseValues: requests[0].paramValues,
          },
          statement,
          options,
        )
      : undefined;
  if (dependency && combos.length > 1)
    throw unsupported(`${operation}: a dependent join cannot also fan out over IN values`, script, statement.sources[index].name.span);
  return {
    table: `${LOCAL_TABLE_PREFIX}${index}`,
    operation,
    fields: resolution.fields,
    storedFields: resolution.storedFields,
    storedColumns: resolution.storedColumns,
    columns: resolution.columns,
    paramColumns,
    idColumns: resolution.idColumns,
    requests,
    dependency,
  };
}

/** The conditions a request answers, by the param's name. */
function pushedOf(method: MethodSpec, combo: readonly NamedValue[], options: PlanOptions): Record<string, SqlValue> {
  const pushed: Record<string, SqlValue> = {};
  for (const given of combo) pushed[findParam(method, given.name)!.name] = literalValue(given.value, options.vars);
  return pushed;
}

function paramValuesOf(method: MethodSpec, combo: readonly NamedValue[], options: PlanOptions, columns: readonly string[]): Record<string, SqlValue> {
  const values: Record<string, SqlValue> = {};
  if (columns.length === 0) return values;
  const columnParams = columns.map((column) => findParam(method, column));
  for (const given of combo) {
    const param = findParam(method, given.name)!;
    const value: SqlValue = literalValue(given.value, options.vars);
    for (let i = 0; i < columns.length; i++) if (columnParams[i] === param) values[columns[i]] = value;
  }
  return values;
}

function withWindow(bound: Map<ParamSpec, ParamValue>, start: WindowStart | undefined): Map<ParamSpec, ParamValue> {
  return start ? bound.set(start.param, start.value) : bound;
}

function withPushdown(bound: Map<ParamSpec, ParamValue>, method: MethodSpec, filters: readonly object[]): Map<ParamSpec, ParamValue> {
  const target = method.filterPushdown && method.params.find((param) => (param.wireName ?? param.name) === method.filterPushdown!.bodyField);
  if (!target || filters.length === 0) return bound;
  const existing = bound.get(target);
  return new Map(bound).set(target, [...(Array.isArray(existing) ? existing : []), ...filters]);
}

/** A column's index, its name in any case (SQLite's names ignore case); -1 when there is none. */
function columnIndex(columns: readonly string[], name: string): number {
  const exact = columns.indexOf(name);
  if (exact !== -1) return exact;
  return columns.findIndex((column) => sameName(column, name));
}

/** A streaming statement's columns and filters over the stored columns; undefined when one is not among them (SQLite runs it then). */
function directPlan(direct: DirectQuery | undefined, source: SourcePlan, options: PlanOptions): DirectPlan | undefined {
  if (!direct) return undefined;
  const columns = directColumns(direct, source.storedColumns, options.session);
  const filters = direct.filters.map((filter) => ({
    index: columnIndex(source.storedColumns, filter.column),
    values: filter.values.map((value) => toSqlParam(literalValue(value, options.vars))),
  }));
  if (columns === undefined || filters.some((entry) => entry.index === -1)) return undefined;
  return { columns, filters };
}

/**
 * The columns a direct plan gives, and where each is among the stored ones (undefined when one is
 * not there): the same for every statement of a shape over the same stored columns, so made once
 * (`SELECT *` of a resource is tens of columns).
 */
function directColumns(direct: DirectQuery, storedColumns: readonly string[], session: PlanSession): DirectPlan['columns'] | undefined {
  const key = direct.columns ?? storedColumns;
  // Shared by the plans of the shape's statements (engine.plan hands plans out): frozen.
  const known = session.directColumns.getOrCompute(key, () => ({ storedColumns, columns: frozen(columnsOver(direct, storedColumns)) }));
  return known.storedColumns === storedColumns ? known.columns : columnsOver(direct, storedColumns);
}

function frozen(columns: DirectPlan['columns'] | undefined): DirectPlan['columns'] | undefined {
  return columns && Object.freeze(columns.map((column) => Object.freeze(column)));
}

function columnsOver(direct: DirectQuery, storedColumns: readonly string[]): DirectPlan['columns'] | undefined {
  if (!direct.columns) return storedColumns.map((name, i) => ({ name, index: i }));
  const columns = direct.columns.map((column) => {
    const at = columnIndex(storedColumns, column.column);
    // SQLite names a plain column as its table declares it (`SELECT NAME` gives `name`).
    return { name: column.alias ?? storedColumns[at], index: at };
  });
  if (columns.some((column) => column.index === -1)) return undefined;
  const names = uniqueColumnNames(columns.map((column) => column.name));
  return columns.map((column, i) => (names[i] === column.name ? column : { ...column, name: names[i] }));
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

/** The name an unknown-column error is about (`no column "f.name"` → `name`). */
function unknownColumnName(error: unknown): string | undefined {
  if (!(error instanceof EngineError) || error.code !== 'PLAN_UNKNOWN_COLUMN') return undefined;
  return /no column "(?:[^"]*\.)?([^".]+)"/.exec(error.message)?.[1];
}

/**
 * `SELECT gitHubAccessToken FROM azure.data_factory.factories WHERE …` (StackQL's 2026 document
 * lists get_github_access_token among the resource's SELECT methods): the column is another
 * method's, one the statement's params do not pick because it needs more. Says which, and what it needs.
 */
function columnOfUncalledMethod(error: unknown, resolutions: readonly (SourceResolution | undefined)[], statement: SelectStatement): EngineError | undefined {
  const name = unknownColumnName(error)?.toLowerCase();
  if (name === undefined) return undefined;
  for (const resolution of resolutions) {
    if (!resolution) continue;
    const fieldOf = (method: MethodSpec) => method.response.fields.find((field) => field.name.toLowerCase() === name);
    const other = Object.values(resolution.resolved.resource.methods).find(
      (method) => method !== resolution.method && callsMethod(method, 'select') && fieldOf(method) !== undefined,
    );
    if (!other) continue;
    const given = new Set(
      [...resolution.used.map((at) => statement.conditions[at].column), ...resolution.defaults.map((condition) => condition.column)].map((column) =>
        column.toLowerCase(),
      ),
    );
    const missing = requiredParamNames(other).filter((param) => !given.has(param.toLowerCase()));
    if (missing.length === 0) continue;
    const operation = `${resolution.resolved.resource.id}.${other.name}`;
    const column = fieldOf(other)!.name;
    const inBody = allInBody(other, missing);
    return new EngineError('PLAN_MISSING_PARAM', `${column} is a column of ${operation}, which needs ${missing.map((param) => `"${param}"`).join(', ')}`, {
      hint: `give ${missing.map((param) => `${param} = '…'`).join(' AND ')} in the WHERE; ${resolution.operation}, which the params given pick, has no ${column}`,
      span: (error as EngineError).span,
      details: { missing, required: requiredParamNames(other), inBody },
    });
  }
  return undefined;
}

/**
 * `lastUpdatedAfter = datetime('now', '-2 days')`: a name SQLite does not know that is a param of
 * the method a source reads (not one of its columns, since the statement does not give it as one).
 */
function paramNotColumn(error: unknown, resolutions: readonly (SourceResolution | undefined)[]): EngineError | undefined {
  const name = unknownColumnName(error);
  const owner = name === undefined ? undefined : resolutions.find((resolution) => resolution && findParam(resolution.method, name));
  if (!owner || !name) return undefined;
  return new EngineError('PLAN_UNKNOWN_COLUMN', `${name} is a param of ${owner.operation}, not a column: it is given, not compared`, {
    hint: `give it at the top level of the WHERE, joined by AND: ${name} = 'value' (a literal or a '{{ placeholder }}'), or ${name} IN ('a', 'b')`,
    span: (error as EngineError).span,
  });
}
