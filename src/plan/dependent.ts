// Dependent joins: a source whose required params come from other sources' rows. Planning says
// which sources give the values and the SQL that reads them (dependencyOf), which of those rows
// can matter (withDependencyRows: the statement's joins between them, its conditions on them);
// running makes one request per distinct combination of values (dependentRequest).

import { EngineError, spanAt } from '../errors.ts';
import type { ParamSpec } from '../registry/types.ts';
import type { JoinBinding, SelectStatement } from '../sql/ast.ts';
import { quoteIdentifier } from '../sql/identifiers.ts';
import type { RequestFactory } from './templates.ts';
import type { PlanOptions, RequestTemplate, SqlValue } from './types.ts';
import type { DependencyFilter, SourceDependency, SourcePlan, SourceRequest, SqlText } from './types-select.ts';
import { literalValue, toSqlParam } from './values.ts';

/** What a dependent source's plan knows when its dependency is made. */
export interface DependencyInput {
  readonly joins: readonly JoinBinding[];
  /** The param each join fills, in the joins' order. */
  readonly params: readonly ParamSpec[];
  /** The source's param columns that show each param. */
  readonly columnsOf: (param: ParamSpec) => readonly string[];
  readonly template: RequestTemplate;
  readonly baseValues: Readonly<Record<string, SqlValue>>;
}

/** The dependency of a source whose params `input.joins` fill; its links and filters come with withDependencyRows. */
export function dependencyOf(input: DependencyInput, statement: SelectStatement, options: PlanOptions): SourceDependency {
  const indexes = [...new Set(input.joins.map((join) => join.from.sources[0]))];
  const qualified = indexes.length > 1;
  return {
    sources: indexes.map((source) => ({ source, alias: sourceAlias(statement, source) })),
    params: input.joins.map((join, i) => ({
      param: input.params[i].name,
      value: joinValue(join, statement, options, qualified),
      columns: input.columnsOf(input.params[i]),
    })),
    links: [],
    template: input.template,
    baseValues: input.baseValues,
  };
}

/**
 * A dependent source asks once per distinct combination of values of the rows that can be in a
 * result: with several sources, only rows the statement's joins between them put together (a key
 * with the vault it was listed from, not with every vault); rows the statement's own conditions
 * on a source exclude ask for nothing. A condition counts when its column is that source's alone
 * (unqualified, another source could own it).
 */
export function withDependencyRows(sources: readonly SourcePlan[], statement: SelectStatement, options: PlanOptions): SourcePlan[] {
  return sources.map((source) => {
    const dependency = source.dependency;
    if (!dependency) return source;
    const indexes = dependency.sources.map((entry) => entry.source);
    const links = indexes.length > 1 ? linksBetween(indexes, sources, statement, options) : [];
    const filters = indexes.flatMap((from) => filtersOn(from, sources, statement, options));
    if (links.length === 0 && filters.length === 0) return source;
    return { ...source, dependency: { ...dependency, links, ...(filters.length > 0 && { filters }) } };
  });
}

/** The statement's join equalities from one of the sources to others of them, each once. */
function linksBetween(indexes: readonly number[], sources: readonly SourcePlan[], statement: SelectStatement, options: PlanOptions): SqlText[] {
  const links = new Map<string, SqlText>();
  for (const join of statement.joins) {
    const [at] = join.sources;
    const column = join.sources.length === 1 ? columnNamed(sources[at].storedColumns, join.column) : undefined;
    const between = indexes.includes(at) && join.from.sources.length > 0 && join.from.sources.every((from) => from !== at && indexes.includes(from));
    // A column the other table does not hold would make the values' query fail: without the link, more combinations are asked for.
    const read = join.from.expression !== undefined || columnNamed(sources[join.from.sources[0]].storedColumns, join.from.column!) !== undefined;
    if (column === undefined || !between || !read) continue;
    const value = joinValue(join, statement, options, true);
    const left = `${quoteIdentifier(sourceAlias(statement, at))}.${quoteIdentifier(column)}`;
    // `a.x = b.y` binds both ways: one link says it.
    const key = join.from.expression ? `${left} = ${value.text}` : [left, value.text].sort().join(' = ');
    if (!links.has(key)) links.set(key, { text: `${left} = (${value.text})`, params: value.params });
  }
  return [...links.values()];
}

function filtersOn(from: number, sources: readonly SourcePlan[], statement: SelectStatement, options: PlanOptions): DependencyFilter[] {
  const alias = sourceAlias(statement, from);
  return statement.conditions.flatMap((condition) => {
    if (!condition.sources.includes(from)) return [];
    const column = columnNamed(sources[from].storedColumns, condition.column);
    const elsewhere = condition.sources.some((index) => index !== from && columnNamed(sources[index].columns, condition.column) !== undefined);
    if (column === undefined || elsewhere) return [];
    return [{ alias, column, values: condition.values.map((value) => toSqlParam(literalValue(value, options.vars))) }];
  });
}

/** A cycle of dependencies (`a` from `b`'s rows, `b` from `a`'s) cannot be run: refused. */
export function checkDependencies(sources: readonly SourcePlan[], statement: SelectStatement, script: string): void {
  const visiting = new Set<number>();
  const visit = (index: number): void => {
    if (visiting.has(index)) {
      const span = statement.sources[index].name.span;
      throw new EngineError('SQL_UNSUPPORTED', 'joins whose params depend on each other in a cycle', { span: spanAt(script, span.offset, span.length) });
    }
    const dependency = sources[index].dependency;
    if (!dependency) return;
    visiting.add(index);
    for (const entry of dependency.sources) visit(entry.source);
    visiting.delete(index);
  };
  sources.forEach((_, index) => visit(index));
}

/** `values`: one per joined param, in the dependency's order. */
export function dependentRequest(dependency: SourceDependency, values: readonly SqlValue[], requests: RequestFactory): SourceRequest {
  const request = requests.fromTemplate(
    dependency.template,
    dependency.params.map((joined, i) => ({ param: joined.param, value: values[i] })),
  );
  const paramValues: Record<string, SqlValue> = { ...dependency.baseValues };
  dependency.params.forEach((joined, i) => {
    for (const column of joined.columns) paramValues[column] = values[i];
  });
  return { request, paramValues };
}

/**
 * The SQL whose values fill a joined param: the column, or the expression (which the statement
 * qualifies as it wrote it), over the other source's table; `qualified` when several tables are read.
 */
function joinValue(join: JoinBinding, statement: SelectStatement, options: PlanOptions, qualified: boolean): SqlText {
  if (join.from.expression)
    return { text: join.from.expression.text, params: join.from.expression.bindings.map((binding) => toSqlParam(literalValue(binding, options.vars))) };
  const column = quoteIdentifier(join.from.column!);
  return { text: qualified ? `${quoteIdentifier(sourceAlias(statement, join.from.sources[0]))}.${column}` : column, params: [] };
}

/** The name a statement's columns are qualified by for a source: its alias, or its resource name. */
function sourceAlias(statement: SelectStatement, index: number): string {
  const source = statement.sources[index];
  return source.alias ?? source.name.parts[source.name.parts.length - 1];
}

/** The column of that name, as SQLite finds it: ignoring case. */
function columnNamed(columns: readonly string[], name: string): string | undefined {
  const key = name.toLowerCase();
  return columns.find((column) => column.toLowerCase() === key);
}
