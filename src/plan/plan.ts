// The plan stage's entry point: a parsed statement + the registry → the exact requests.
// Pure: no I/O beyond reading registry documents.

import { EngineError, spanAt } from '../errors.ts';
import type { ExecStatement, InsertStatement, Literal, MutationStatement, ParsedStatement, RegistryAddStatement, Span } from '../sql/ast.ts';
import { checkNames } from '../sql/templates.ts';
import type { Registry } from '../registry/load.ts';
import type { MethodSpec } from '../registry/types.ts';
import { planExplain } from './explain.ts';
import { applyBinding, prepareBinding, type Binding } from './params.ts';
import { localColumnNames } from './local-check.ts';
import { cachedHttpPlan } from './plan-cache.ts';
import { methodTarget, perStatement, resourceTarget, type Target } from './targets.ts';
import { projectFields, returningProjection } from './projection.ts';
import { buildRequest, checkHostValues } from './request.ts';
import { coerceParam, literalValue, parseJson, type ValueContext } from './values.ts';
import { fanOut } from './fan-out.ts';
import { planSelect } from './select.ts';
import type { HttpStatementPlan, InsertSelectPlan, PlanOptions, RegistryAddPlan, StatementPlan } from './types.ts';

export function planStatement(parsed: ParsedStatement, registry: Registry, options: PlanOptions): StatementPlan {
  checkNames(parsed.placeholders, options.vars);
  const { statement } = parsed;
  switch (statement.kind) {
    case 'insert': return statement.query ? planInsertSelect(statement, parsed.text, registry, options) : cachedHttpPlan(parsed, options, () => planInsert(statement, parsed.text, registry, options));
    case 'update':
    case 'delete': return cachedHttpPlan(parsed, options, () => planMutation(statement, parsed.text, registry, options));
    case 'exec': return cachedHttpPlan(parsed, options, () => planExec(statement, parsed.text, registry, options));
    case 'select': return planSelect(statement, parsed.text, registry, options);
    case 'show':
    case 'describe': return planExplain(statement, parsed.text, registry);
    case 'registry_add': return planRegistryAdd(statement, parsed.text, registry, options);
    case 'registry_list': return statement.provider === undefined ? { kind: 'registry_list' } : { kind: 'registry_list', provider: statement.provider };
    case 'registry_pull': return statement.version === undefined ? { kind: 'registry_pull', provider: statement.provider } : { kind: 'registry_pull', provider: statement.provider, version: statement.version };
  }
}

/**
 * REGISTRY ADD writes a service into the user's registry. From a script it may only add: a
 * service that exists (bundled, or the user's) is replaced only when the user allowed it.
 */
function planRegistryAdd(statement: RegistryAddStatement, script: string, registry: Registry, options: PlanOptions): RegistryAddPlan {
  const [provider, service] = statement.target.parts;
  const exists = registry.provider(provider)?.services[service] !== undefined;
  if (exists && !options.allowRegistryReplace) {
    throw new EngineError('REG_CONFLICT', `REGISTRY ADD would replace the existing service ${provider}.${service}`, {
      hint: 'add it under another name; replacing a service needs the user\'s own flag (skyql --allow-registry-replace, library: allowRegistryReplace)',
      span: spanAt(script, statement.target.span.offset, statement.target.span.length),
    });
  }
  return { kind: 'registry_add', specFile: statement.specFile, provider, service, audience: statement.audience, replaces: exists };
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
  const { resolved, method, operation, binding, projection } = perStatement(options.session, statement, () => {
    const target = resourceTarget(options.session, registry, statement.target, statement.verb, statement.columns.map((column) => column.name), script);
    return prepared(target, statement.columns, script, returningProjection(target.method, target.operation, statement.returning, script));
  });
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session };
  const requests = statement.rows.map((row) => buildRequest({ service: resolved.service, method, operation, params: applyBinding(binding, row, context) }, options));
  return httpPlan(requests, method, projection, statement.hints.await);
}

function planInsertSelect(statement: InsertStatement, script: string, registry: Registry, options: PlanOptions): InsertSelectPlan {
  const names = statement.columns.map((column) => column.name);
  const { resolved, method, operation, binding, projection } = perStatement(options.session, statement, () => {
    const target = resourceTarget(options.session, registry, statement.target, statement.verb, names, script);
    return prepared(target, statement.columns, script, returningProjection(target.method, target.operation, statement.returning, script));
  });
  const select = planSelect(statement.query!, script, registry, options);
  const width = localColumnNames(options.checker, select.query.text, select.sources).length;
  if (width !== names.length) {
    throw new EngineError('SQL_UNSUPPORTED', `INSERT has ${names.length} column(s) but its SELECT returns ${width}`, { hint: 'select one value per INSERT column, in order' });
  }
  const hostValues = hostConstants(binding, statement, operation, script);
  if (hostValues.size > 0) {
    const context = { script, vars: options.vars, operation, session: options.session };
    const named = new Map([...hostValues].map(([i, literal]) => [binding.params[i].name, coerceParam(binding.params[i], literal, context) ?? '']));
    checkHostValues(resolved.service, method, operation, named, options);
  }
  const target = { service: resolved.service, method, operation, columns: names, binding, hostValues, context: { script, vars: options.vars, operation, session: options.session }, options };
  return { kind: 'insert_select', select, target, fields: method.response.fields, projection, awaitCompletion: statement.hints.await };
}

/**
 * A host (Synapse's endpoint) decides where the token goes, so in INSERT … SELECT … FROM it is
 * taken from the statement — a literal in the select list — never from the rows the query fetched.
 */
function hostConstants(binding: Binding, statement: InsertStatement, operation: string, script: string): ReadonlyMap<number, Literal> {
  const constants = new Map<number, Literal>();
  binding.params.forEach((param, i) => {
    if (param.in !== 'host') return;
    const constant = statement.queryConstants?.[i];
    if (!constant) {
      const column = statement.columns[i];
      throw new EngineError('PLAN_INVALID_VALUE', `${operation}: ${param.name} must be a literal in the SELECT, not a value from the rows it fetches`, {
        hint: `write it as a string, e.g. SELECT 'myworkspace.dev.azuresynapse.net', …`,
        span: column.span && spanAt(script, column.span.offset, column.span.length),
      });
    }
    constants.set(i, constant);
  });
  return constants;
}

function planMutation(statement: MutationStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection } = perStatement(options.session, statement, () => {
    const given = [...statement.set, ...statement.where.map((condition) => ({ name: condition.column, span: condition.span }))];
    const target = resourceTarget(options.session, registry, statement.target, statement.kind, given.map((item) => item.name), script);
    return prepared(target, given, script, returningProjection(target.method, target.operation, statement.returning, script));
  });
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session };
  const combos = fanOut(statement.where, operation, options.vars).map((where) => [...statement.set, ...where]);
  const requests = combos.map((values) => buildRequest({ service: resolved.service, method, operation, params: applyBinding(binding, values.map((given) => given.value), context) }, options));
  return httpPlan(requests, method, projection, statement.hints.await);
}

function planExec(statement: ExecStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection, literals } = perStatement(options.session, statement, () => {
    const target = methodTarget(options.session, registry, statement.target, script);
    return { ...prepared(target, statement.args, script, projectFields(target.method.response.fields)), literals: statement.args.map((arg) => arg.value) };
  });
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session };
  const jsonBody = statement.json ? execJsonBody(method, operation, statement.json, context) : undefined;
  // A required body field `@@json` holds is given.
  const params = applyBinding(binding, literals, context, jsonBody && ((param) => bodyHolds(jsonBody, param)));
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

function bodyHolds(jsonBody: object, param: MethodSpec['params'][number]): boolean {
  if (param.in === 'payload') return true;
  return param.in === 'body' && Object.hasOwn(jsonBody, param.wireName ?? param.name);
}

function httpPlan(requests: HttpStatementPlan['requests'], method: MethodSpec, projection: HttpStatementPlan['projection'], awaitCompletion: boolean): HttpStatementPlan {
  return { kind: 'http', requests, fields: method.response.fields, projection, awaitCompletion };
}

