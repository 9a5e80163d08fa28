// The plan stage's entry point: a parsed statement + the registry → the exact requests.
// Pure: no I/O beyond reading registry documents.

import { EngineError, spanAt } from '../errors.ts';
import type {
  ExecStatement,
  GivenValue,
  InsertStatement,
  Literal,
  Statement,
  MutationStatement,
  ParsedStatement,
  RegistryAddStatement,
  Span,
} from '../sql/ast.ts';
import { checkNames } from '../sql/templates.ts';
import type { RegistryView } from '../registry/load.ts';
import type { MethodSpec, ParamSpec } from '../registry/types.ts';
import { planShowOrDescribe } from './show-describe.ts';
import { applyBinding, prepareBinding, type Binding } from './params.ts';
import { localColumnNames } from './local-check.ts';
import { cachedHttpPlan } from './plan-cache.ts';
import { defaultLiteral, defaultsFor, methodTarget, perStatement, resourceTarget, targetWithDefaults, type Target } from './targets.ts';
import { projectFields, returningProjection } from './projection.ts';
import { buildRequest, checkHostValues } from './request.ts';
import { templateOf } from './templates.ts';
import { coerceParam, literalValue, parseJson, type ParamValue, type ValueContext } from './values.ts';
import { fanOut } from './fan-out.ts';
import { givenLiterals } from './given-values.ts';
import { planSelect } from './select.ts';
import { planCreateView, planDropView, withViewsExpanded } from './views.ts';
import { planCreateMaterialized, planRefresh, withStoredViewsMarked } from './stored-views.ts';
import type { ExplainPlan, HttpStatementPlan, InsertSelectPlan, PlanOptions, RegistryAddPlan, RequestPlan, ReturningQuery, StatementPlan } from './types.ts';
import { returningQuery } from './returning.ts';

export function planStatement(given: ParsedStatement, registry: RegistryView, options: PlanOptions): StatementPlan {
  checkNames(given.placeholders, options.vars);
  if (options.readOnly) refuseChanges(given.statement);
  const parsed = readsTables(given) ? withStoredViewsMarked(withViewsExpanded(given, options.views), options.storedViews) : given;
  const { statement } = parsed;
  switch (statement.kind) {
    case 'insert':
      if (statement.query) return planInsertSelect(statement, parsed.text, registry, options);
      // An expression's value may change between runs (datetime('now')): its plan is not kept.
      return statement.rows.some(hasExpression)
        ? planInsert(statement, parsed.text, registry, options)
        : cachedHttpPlan(parsed, options, () => planInsert(statement, parsed.text, registry, options));
    case 'update':
    case 'replace':
    case 'delete':
      if (hasExpression(statement.set.map((item) => item.value))) return planMutation(statement, parsed.text, registry, options);
      return cachedHttpPlan(parsed, options, () => planMutation(statement, parsed.text, registry, options));
    case 'exec':
      return cachedHttpPlan(parsed, options, () => planExec(statement, parsed.text, registry, options));
    case 'select':
      // A view's query put in the statement's place has strings of its own: which param takes which of the statement's strings is not known then.
      return planSelect(statement, parsed.text, registry, parsed === given ? options : { ...options, observer: undefined });
    case 'show':
    case 'describe':
      return planShowOrDescribe(statement, parsed.text, registry, options);
    case 'registry_add':
      return planRegistryAdd(statement, parsed.text, registry, options);
    case 'registry_list':
      return statement.provider === undefined ? { kind: 'registry_list' } : { kind: 'registry_list', provider: statement.provider };
    case 'registry_pull':
      return statement.version === undefined
        ? { kind: 'registry_pull', provider: statement.provider }
        : { kind: 'registry_pull', provider: statement.provider, version: statement.version };
    case 'create_view':
      if (statement.materialized) return planCreateMaterialized(statement, parsed.text, options, (query) => planStatement(query, registry, options));
      return planCreateView(statement, parsed.text, registry, options);
    case 'drop_view':
      return planDropView(statement, parsed.text, options);
    case 'refresh_view':
      return planRefresh(statement, parsed.text, options, (query) => planStatement(query, registry, options));
    // EXPLAIN sends nothing: what it explains may be an action even in a read-only session.
    case 'explain':
      return {
        kind: 'explain',
        format: statement.format,
        plan: planStatement({ ...parsed, statement: statement.statement, span: statement.span }, registry, {
          ...options,
          readOnly: false,
        }) as ExplainPlan['plan'],
      };
  }
}

/** What a read-only session may run: reads, and EXPLAIN of anything (it sends nothing). */
const READ_KINDS: readonly string[] = ['select', 'show', 'describe', 'explain'];

function refuseChanges(statement: Statement): void {
  if (READ_KINDS.includes(statement.kind)) return;
  const verb = statement.kind === 'insert' ? statement.verb : statement.kind;
  throw new EngineError('SERVER_READ_ONLY', `${verb.toUpperCase().replace('_', ' ')} is refused: this session is read-only`);
}

/** A SELECT, or an INSERT … SELECT … FROM: a statement that may read a view. */
function readsTables(parsed: ParsedStatement): boolean {
  return parsed.statement.kind === 'select' || (parsed.statement.kind === 'insert' && parsed.statement.query !== undefined);
}

function hasExpression(values: readonly GivenValue[]): boolean {
  return values.some((value) => value.kind === 'expression');
}

/**
 * REGISTRY ADD writes a service into the user's registry. From a script it may only add: a
 * service that exists (bundled, or the user's) is replaced only when the user allowed it.
 */
function planRegistryAdd(statement: RegistryAddStatement, script: string, registry: RegistryView, options: PlanOptions): RegistryAddPlan {
  const [provider, service] = statement.target.parts;
  const exists = registry.provider(provider)?.services[service] !== undefined;
  if (exists && !options.allowRegistryReplace) {
    throw new EngineError('REG_CONFLICT', `REGISTRY ADD would replace the existing service ${provider}.${service}`, {
      hint: "add it under another name; replacing a service needs the user's own flag (skyql --allow-registry-replace, library: allowRegistryReplace)",
      span: spanAt(script, statement.target.span.offset, statement.target.span.length),
    });
  }
  return { kind: 'registry_add', specFile: statement.specFile, provider, service, audience: statement.audience, replaces: exists };
}

/** Target, params and result columns of an HTTP statement: once per statement object. */
interface Prepared extends Target {
  readonly binding: Binding;
  readonly projection: HttpStatementPlan['projection'];
  /** Params taken from the user's defaults (bound after the statement's own), and their values. */
  readonly defaulted: readonly string[];
  readonly defaultValues: readonly Literal[];
}

function prepared(
  target: Target,
  given: readonly { readonly name: string; readonly span?: Span }[],
  script: string,
  projection: HttpStatementPlan['projection'],
  defaulted: readonly string[],
  options: PlanOptions,
): Prepared {
  const names = [...given, ...defaulted.map((name) => ({ name }))];
  const defaultValues = defaulted.map((name) => defaultLiteral(options.paramDefaults, name));
  return { ...target, binding: prepareBinding(target.method, target.operation, names, script), projection, defaulted, defaultValues };
}

/** The request, marked with the params the user's defaults gave (the engine says so once). */
function withDefaultsNoted(request: RequestPlan, defaulted: readonly string[]): RequestPlan {
  return defaulted.length === 0 ? request : { ...request, paramDefaults: defaulted };
}

function planInsert(statement: InsertStatement, script: string, registry: RegistryView, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection, defaulted, defaultValues } = perStatement(options.session, statement, () => {
    const names = statement.columns.map((column) => column.name);
    const { target, defaulted } = targetWithDefaults(options.paramDefaults, names, (given) =>
      resourceTarget(options.session, registry, statement.target, statement.verb, given, script),
    );
    return prepared(target, statement.columns, script, returningProjection(target.method, target.operation, statement.returning, script), defaulted, options);
  });
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session };
  const requests = statement.rows.map((row) =>
    withDefaultsNoted(
      buildRequest(
        { service: resolved.service, method, operation, params: applyBinding(binding, [...givenLiterals(row, options, script), ...defaultValues], context) },
        options,
      ),
      defaulted,
    ),
  );
  return httpPlan(requests, method, projection, statement.hints.await, returningQuery(method, operation, statement.returning, options));
}

function planInsertSelect(statement: InsertStatement, script: string, registry: RegistryView, options: PlanOptions): InsertSelectPlan {
  const names = statement.columns.map((column) => column.name);
  const { resolved, method, operation, binding, projection } = perStatement(options.session, statement, () => {
    const target = resourceTarget(options.session, registry, statement.target, statement.verb, names, script);
    return prepared(target, statement.columns, script, returningProjection(target.method, target.operation, statement.returning, script), [], options);
  });
  const select = planSelect(statement.query!, script, registry, options);
  const width = localColumnNames(options.checker, select.query.text, select.sources).length;
  if (width !== names.length) {
    throw new EngineError('SQL_UNSUPPORTED', `INSERT has ${names.length} column(s) but its SELECT returns ${width}`, {
      hint: 'select one value per INSERT column, in order',
    });
  }
  const hostValues = hostConstants(binding, statement, operation, script);
  const given = new Map<ParamSpec, ParamValue>();
  if (hostValues.size > 0) {
    const context = { script, vars: options.vars, operation, session: options.session };
    for (const [i, literal] of hostValues) given.set(binding.params[i], coerceParam(binding.params[i], literal, context) ?? '');
    checkHostValues(resolved.service, method, operation, new Map([...given].map(([param, value]) => [param.name, value])), options);
  }
  const target = {
    template: templateOf(resolved.service, resolved.resource.name, method, operation, given),
    params: binding.params.map((param) => param.name),
    fromStatement: [...hostValues.keys()],
  };
  const returning = returningQuery(method, operation, statement.returning, options);
  return {
    kind: 'insert_select',
    select,
    target,
    fields: method.response.fields,
    projection,
    ...(returning && { returning }),
    awaitCompletion: statement.hints.await,
  };
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

function planMutation(statement: MutationStatement, script: string, registry: RegistryView, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection, defaulted, defaultValues } = perStatement(options.session, statement, () => {
    const given = [...statement.set, ...statement.where.map((condition) => ({ name: condition.column, span: condition.span }))];
    const { target, defaulted } = targetWithDefaults(
      options.paramDefaults,
      given.map((item) => item.name),
      (names) => resourceTarget(options.session, registry, statement.target, statement.kind, names, script),
    );
    return prepared(target, given, script, returningProjection(target.method, target.operation, statement.returning, script), defaulted, options);
  });
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session, statementAt: statement.target.span.offset };
  const set = givenLiterals(
    statement.set.map((item) => item.value),
    options,
    script,
  );
  const combos = fanOut(statement.where, operation, options.vars).map((where) => [...set, ...where.map((given) => given.value)]);
  const requests = combos.map((values) =>
    withDefaultsNoted(
      buildRequest({ service: resolved.service, method, operation, params: applyBinding(binding, [...values, ...defaultValues], context) }, options),
      defaulted,
    ),
  );
  return httpPlan(requests, method, projection, statement.hints.await, returningQuery(method, operation, statement.returning, options));
}

function planExec(statement: ExecStatement, script: string, registry: RegistryView, options: PlanOptions): HttpStatementPlan {
  const { resolved, method, operation, binding, projection, literals, defaulted } = perStatement(options.session, statement, () => {
    const target = methodTarget(options.session, registry, statement.target, script);
    const defaulted = defaultsFor(
      options.paramDefaults,
      target,
      statement.args.map((arg) => arg.name),
    );
    const ready = prepared(target, statement.args, script, projectFields(target.method.response.fields), defaulted, options);
    return { ...ready, literals: [...statement.args.map((arg) => arg.value), ...ready.defaultValues] };
  });
  const context: ValueContext = { script, vars: options.vars, operation, session: options.session };
  const jsonBody = statement.json ? execJsonBody(method, operation, statement.json, context) : undefined;
  // A required body field `@@json` holds is given.
  const params = applyBinding(binding, literals, context, jsonBody && ((param) => bodyHolds(jsonBody, param)));
  const request = withDefaultsNoted(buildRequest({ service: resolved.service, method, operation, params, jsonBody }, options), defaulted);
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

function httpPlan(
  requests: HttpStatementPlan['requests'],
  method: MethodSpec,
  projection: HttpStatementPlan['projection'],
  awaitCompletion: boolean,
  returning?: ReturningQuery,
): HttpStatementPlan {
  return returning
    ? { kind: 'http', requests, fields: method.response.fields, projection, returning, awaitCompletion }
    : { kind: 'http', requests, fields: method.response.fields, projection, awaitCompletion };
}
