// SHOW and DESCRIBE: statements answered from the registry alone.

import { EngineError, spanAt } from '../errors.ts';
import type { DescribeStatement, ShowStatement } from '../sql/ast.ts';
import type { RegistryView } from '../registry/load.ts';
import { resolveMethod, resolveProvider, resolveResource, resolveService, serviceResources } from '../registry/resolve.ts';
import type { FieldSpec, MethodSpec, ResourceSpec } from '../registry/types.ts';
import { callsMethod, verbsOf } from '../registry/types.ts';
import { optionalParamNames, requiredParamNames } from './params.ts';
import type { LocalStatementPlan, PlanOptions, Row } from './types.ts';
import { literalValue, toSqlParam } from './values.ts';
import { insertTemplate } from '../registry/statement-templates.ts';

export function planShowOrDescribe(
  statement: ShowStatement | DescribeStatement,
  script: string,
  registry: RegistryView,
  options: PlanOptions,
): LocalStatementPlan {
  return statement.kind === 'show' ? planShow(statement, script, registry, options) : planDescribe(statement, script, registry);
}

function planShow(statement: ShowStatement, script: string, registry: RegistryView, options: PlanOptions): LocalStatementPlan {
  const listed = showRows(statement, script, registry, options).filter((row) => matchesLike(String(row.name ?? ''), statement.like));
  const columns = listed.length > 0 ? Object.keys(listed[0]) : showColumns(statement);
  const rows = statement.where ? rowsWhere(listed, columns, statement.where, script, options) : listed;
  return { kind: 'local', columns, rows };
}

/** SHOW … WHERE: the rows for which SQLite finds the condition true. */
function rowsWhere(rows: readonly Row[], columns: readonly string[], where: NonNullable<ShowStatement['where']>, script: string, options: PlanOptions): Row[] {
  const params = where.bindings.map((binding) => toSqlParam(literalValue(binding, options.vars)));
  try {
    return options.checker.filterRows(rows, columns, where.text, params).map((i) => rows[i]);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const span = spanAt(script, where.span.offset, where.span.length);
    const column = /no such column: "?([^"\s]+)"?/.exec(message)?.[1];
    if (column) throw new EngineError('PLAN_UNKNOWN_COLUMN', `SHOW has no column "${column}"`, { hint: `columns: ${columns.join(', ')}`, span });
    throw new EngineError('SQL_LOCAL', `SQLite: ${message}`, { span, cause: error });
  }
}

function showRows(statement: ShowStatement, script: string, registry: RegistryView, options: PlanOptions): Row[] {
  const scope = statement.scope!;
  switch (statement.target) {
    case 'version':
      return [statement.extended ? { ...options.build?.() } : { version: options.build?.().version ?? null }];
    case 'providers':
      return registry.providerNames().map((name) => ({ name, title: registry.provider(name)?.title ?? null }));
    case 'services': {
      const provider = resolveProvider(registry, scope, script);
      return Object.entries(provider.services).map(([name, service]) => ({
        name,
        id: `${provider.name}.${name}`,
        title: service.title ?? null,
        description: service.description ?? null,
      }));
    }
    case 'resources': {
      const { provider, service } = resolveService(registry, scope, script);
      return serviceResources(registry, provider.name, service.name).map((resource) => ({
        name: resource.name,
        id: resource.id,
        description: resource.description ?? null,
      }));
    }
    case 'methods':
      return methodRows(resolveResource(registry, scope, script).resource, statement.extended);
    case 'insert':
      return insertRows(resolveResource(registry, scope, script).resource, statement, script, scope.span);
  }
}

function showColumns(statement: ShowStatement): string[] {
  const columns: Record<ShowStatement['target'], string[]> = {
    providers: ['name', 'title'],
    services: ['name', 'id', 'title', 'description'],
    resources: ['name', 'id', 'description'],
    methods: ['name', 'accessible_by', 'required_params', 'optional_params', 'description'],
    insert: ['insert_statement'],
    version: ['version'],
  };
  return columns[statement.target];
}

function methodRows(resource: ResourceSpec, extended: boolean): Row[] {
  return Object.values(resource.methods).map((method) => ({
    name: method.name,
    accessible_by: verbsOf(method).join(', '),
    required_params: requiredParamNames(method).join(', '),
    optional_params: optionalParamNames(method).join(', '),
    description: method.description ?? null,
    ...(extended ? { http: `${method.httpMethod} ${method.path}`, operation_id: method.operationId } : {}),
  }));
}

function insertRows(resource: ResourceSpec, statement: ShowStatement, script: string, span: { offset: number; length: number }): Row[] {
  const methods = Object.values(resource.methods).filter((method) => callsMethod(method, 'insert'));
  if (methods.length === 0) {
    throw new EngineError(
      'PLAN_VERB_UNSUPPORTED',
      `INSERT not supported for this resource (${resource.id}), use SHOW METHODS to view available operations for the resource`,
      {
        hint: `SHOW METHODS IN ${resource.id};`,
        span: spanAt(script, span.offset, span.length),
      },
    );
  }
  return methods.map((method) => ({ insert_statement: insertTemplate(resource, method, statement.requiredOnly, statement.extended) }));
}

function planDescribe(statement: DescribeStatement, script: string, registry: RegistryView): LocalStatementPlan {
  if (statement.method) return describeMethod(statement, script, registry);
  const { resource } = resolveResource(registry, statement.target, script);
  const fields = selectFields(resource);
  if (!fields) {
    throw new EngineError(
      'PLAN_VERB_UNSUPPORTED',
      `SELECT not supported for this resource (${resource.id}), so it has no fields; use SHOW METHODS to view available operations for the resource`,
      {
        hint: `SHOW METHODS IN ${resource.id};`,
        span: spanAt(script, statement.target.span.offset, statement.target.span.length),
      },
    );
  }
  const rows = fields.map((field) => fieldRow(field, statement.extended));
  return { kind: 'local', columns: Object.keys(rows[0] ?? fieldRow({ name: '', type: 'string' }, statement.extended)), rows };
}

function fieldRow(field: FieldSpec, extended: boolean): Row {
  return { name: field.name, type: field.type, description: field.description ?? null, ...(extended ? { format: field.format ?? null } : {}) };
}

/** The union of the fields every SELECT method returns, in first-seen order. */
export function selectFields(resource: ResourceSpec): FieldSpec[] | undefined {
  const methods = Object.values(resource.methods).filter((method) => callsMethod(method, 'select'));
  if (methods.length === 0) return undefined;
  const byName = new Map<string, FieldSpec>();
  for (const field of methods.flatMap((method) => method.response.fields)) if (!byName.has(field.name)) byName.set(field.name, field);
  return [...byName.values()];
}

function describeMethod(statement: DescribeStatement, script: string, registry: RegistryView): LocalStatementPlan {
  const { method } = resolveMethod(registry, statement.target, script);
  const rows = [
    ...inputRows(method),
    ...method.response.fields.map((field) => ({
      name: field.name,
      direction: 'output',
      required: null,
      in: 'response',
      type: field.type,
      rules: field.format ?? null,
      description: field.description ?? null,
    })),
  ];
  if (!statement.extended) return { kind: 'local', columns: ['name', 'direction', 'required', 'in', 'type', 'rules', 'description'], rows };
  // EXTENDED: where each value goes on the wire, and the request the method sends.
  const wire = new Map(method.params.map((param) => [param.name, param.wireName ?? param.name]));
  const extendedRows = rows.map((row) => ({
    ...row,
    wire_name: row.direction === 'input' ? (wire.get(String(row.name)) ?? null) : null,
    http: `${method.httpMethod} ${method.path}`,
  }));
  return { kind: 'local', columns: ['name', 'direction', 'required', 'in', 'type', 'rules', 'description', 'wire_name', 'http'], rows: extendedRows };
}

function inputRows(method: MethodSpec): Row[] {
  const required = new Set(requiredParamNames(method));
  return method.params.map((param) => ({
    name: param.name,
    direction: 'input',
    required: required.has(param.name),
    in: param.in,
    type: param.type,
    rules: describeRules(param) || null,
    description: param.description ?? null,
  }));
}

function describeRules(param: MethodSpec['params'][number]): string {
  const rules: string[] = [];
  if (param.minLength !== undefined || param.maxLength !== undefined) rules.push(`length ${param.minLength ?? 0}–${param.maxLength ?? '∞'}`);
  if (param.pattern) rules.push(`pattern ${param.pattern}`);
  if (param.enum) rules.push(`one of ${param.enum.join(', ')}`);
  if (param.format) rules.push(`format ${param.format}`);
  if (param.default !== undefined) rules.push(`default ${param.default}`);
  if (param.defaultRelativeTime) rules.push(`default now ${param.defaultRelativeTime}`);
  return rules.join('; ');
}

/**
 * SQL LIKE, ignoring case: `%` any run of characters, `_` one character. Greedy with one
 * backtrack point (the last `%`), so it runs in linear time whatever the pattern: a regular
 * expression built from `%a%a%a…` would backtrack for ever on a long name.
 */
export function matchesLike(value: string, pattern: string | undefined): boolean {
  if (pattern === undefined) return true;
  const text = [...value.toLowerCase()];
  const like = [...pattern.toLowerCase()];
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < like.length && (like[p] === '_' || like[p] === text[t])) {
      t++;
      p++;
    } else if (p < like.length && like[p] === '%') {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < like.length && like[p] === '%') p++;
  return p === like.length;
}
