// The plan stage's entry point: a parsed statement + the registry → the exact requests.
// Pure: no I/O beyond reading registry documents.

import { EngineError, spanAt } from '../errors.ts';
import type { ExecStatement, InsertStatement, MutationStatement, ParsedStatement, Span } from '../sql/ast.ts';
import { checkStatementVars } from '../sql/templates.ts';
import type { Registry } from '../registry/load.ts';
import type { MethodSpec } from '../registry/types.ts';
import { planExplain } from './explain.ts';
import { applyBinding, prepareBinding, type Binding } from './params.ts';
import { localColumnNames } from './local-check.ts';
import { cachedHttpPlan } from './plan-cache.ts';
import { methodTarget, perStatement, resourceTarget, type Target } from './targets.ts';
import { projectFields, returningProjection } from './projection.ts';
import { buildRequest } from './request.ts';
import { literalValue, parseJson, type ValueContext } from './values.ts';
import { fanOut, planSelect } from './select.ts';
import type { HttpStatementPlan, InsertSelectPlan, PlanOptions, StatementPlan } from './types.ts';

export function planStatement(parsed: ParsedStatement, registry: Registry, options: PlanOptions): StatementPlan {
  checkStatementVars(parsed, options.vars);
  const { statement } = parsed;
  switch (statement.kind) {
    case 'insert': return statement.query ? planInsertSelect(statement, parsed.text, registry, options) : cachedHttpPlan(parsed, registry, options, () => planInsert(statement, parsed.text, registry, options));
    case 'update':
    case 'delete': return cachedHttpPlan(parsed, registry, options, () => planMutation(statement, parsed.text, registry, options));
    case 'exec': return cachedHttpPlan(parsed, registry, options, () => planExec(statement, parsed.text, registry, options));
    case 'select': return planSelect(statement, parsed.text, registry, options);
    case 'show':
    case 'describe': return planExplain(statement, parsed.text, registry);
    case 'registry_add': {
      const [provider, service] = statement.target.parts;
      return { kind: 'registry_add', specFile: statement.specFile, provider, service, audience: statement.audience };
    }
  }
}

/** Target, params and result columns of an HTTP statement: once per statement object. */
interface Prepared extends Target {
  readonly binding: Binding;
  readonly projection: HttpStatementPlan['projection'];
}

function prepared(target: Target, given: readonly { readonly name: string; readonly span?: Span }[], script: string, projection: HttpStatementPlan['projection']): Prepared {
  return { ...target, binding: prepareBinding(target.method, target.operation, given, script), projection };
}

function planInsert(statement: InsertStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection } = perStatement(registry, statement, () => {
    const target = resourceTarget(registry, statement.target, statement.verb, statement.columns.map((column) => column.name), script);
    return prepared(target, statement.columns, script, returningProjection(target.method, target.operation, statement.returning, script));
  });
  const context: ValueContext = { script, vars: options.vars, operation };
  const requests = statement.rows.map((row) => buildRequest({ service: resolved.service, method, operation, params: applyBinding(binding, row, context) }, options));
  return httpPlan(requests, method, projection, statement.hints.await);
}

function planInsertSelect(statement: InsertStatement, script: string, registry: Registry, options: PlanOptions): InsertSelectPlan {
  const names = statement.columns.map((column) => column.name);
  const { resolved, method, operation, binding, projection } = perStatement(registry, statement, () => {
    const target = resourceTarget(registry, statement.target, statement.verb, names, script);
    return prepared(target, statement.columns, script, returningProjection(target.method, target.operation, statement.returning, script));
  });
  const select = planSelect(statement.query!, script, registry, options);
  const width = localColumnNames(select.query.text, select.sources).length;
  if (width !== names.length) {
    throw new EngineError('SQL_UNSUPPORTED', `INSERT has ${names.length} column(s) but its SELECT returns ${width}`, { hint: 'select one value per INSERT column, in order' });
  }
  const target = { service: resolved.service, method, operation, columns: names, binding, context: { script, vars: options.vars, operation }, options };
  return { kind: 'insert_select', select, target, fields: method.response.fields, projection, awaitCompletion: statement.hints.await };
}

function planMutation(statement: MutationStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection } = perStatement(registry, statement, () => {
    const given = [...statement.set, ...statement.where.map((condition) => ({ name: condition.column, span: condition.span }))];
    const target = resourceTarget(registry, statement.target, statement.kind, given.map((item) => item.name), script);
    return prepared(target, given, script, returningProjection(target.method, target.operation, statement.returning, script));
  });
  const context: ValueContext = { script, vars: options.vars, operation };
  const combos = fanOut(statement.where, operation).map((where) => [...statement.set, ...where]);
  const requests = combos.map((values) => buildRequest({ service: resolved.service, method, operation, params: applyBinding(binding, values.map((given) => given.value), context) }, options));
  return httpPlan(requests, method, projection, statement.hints.await);
}

function planExec(statement: ExecStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection, literals } = perStatement(registry, statement, () => {
    const target = methodTarget(registry, statement.target, script);
    return { ...prepared(target, statement.args, script, projectFields(target.method.response.fields)), literals: statement.args.map((arg) => arg.value) };
  });
  const context: ValueContext = { script, vars: options.vars, operation };
  const params = applyBinding(binding, literals, context);
  const jsonBody = statement.json ? execJsonBody(method, operation, statement.json, context) : undefined;
  const request = buildRequest({ service: resolved.service, method, operation, params, jsonBody }, options);
  return httpPlan([request], method, projection, statement.hints.await);
}

function execJsonBody(method: MethodSpec, operation: string, literal: ExecStatement['json'] & object, context: ValueContext): object {
  if (['GET', 'HEAD', 'DELETE'].includes(method.httpMethod)) {
    throw new EngineError('PLAN_UNKNOWN_PARAM', `${operation} (${method.httpMethod}) takes no request body, so @@json has nowhere to go`);
  }
  const parsed = parseJson(String(literalValue(literal, context.vars) ?? ''), '@@json', context);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EngineError('PLAN_INVALID_JSON', '@@json must be a JSON object');
  }
  return parsed;
}

function httpPlan(requests: HttpStatementPlan['requests'], method: MethodSpec, projection: HttpStatementPlan['projection'], awaitCompletion: boolean): HttpStatementPlan {
  return { kind: 'http', requests, fields: method.response.fields, projection, awaitCompletion };
}

