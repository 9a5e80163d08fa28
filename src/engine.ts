// Wires the stages together: parse → plan → execute. Every statement of a script is parsed
// and planned before the first request is sent, so bad input never half-runs a script.

import { resolveOptions, type EngineOptions } from './config.ts';
import { EngineError, toEngineError } from './errors.ts';
import { credentialFor, credentialHeader } from './exec/auth-config.ts';
import { cachedTokenSource, type TokenSource } from './exec/auth.ts';
import type { ExecDeps } from './exec/execute.ts';
import { RateLimiter } from './exec/rate-limit.ts';
import type { RowSink } from './exec/select.ts';
import { createUndiciClient, type HttpClient } from './exec/http.ts';
import { CredentialHosts } from './registry/credential-hosts.ts';
import { DocumentCache } from './registry/cache.ts';
import { PendingViews, type ViewLookup } from './registry/views.ts';
import { childNames, describeResource, type ResourceDescription } from './registry/describe.ts';
import type { ParsedStatement } from './sql/ast.ts';
import { parseScript, parseStatement } from './sql/parse.ts';
import { SqlSession } from './sql/session.ts';
import { cacheGroup, type CacheStats } from './util/caches.ts';
import { SqliteChecker } from './exec/local-checker.ts';
import { buildInfo } from './exec/build-info.ts';
import { SqliteAnswers } from './exec/sql-values.ts';
import { SourceLayouts } from './exec/source-layouts.ts';
import { LocalWorkers } from './exec/local-workers.ts';
import { PlanSession } from './plan/session.ts';
import { requestFactory } from './plan/templates.ts';
import { checkNames, type TemplateVars } from './sql/templates.ts';
import { placeholderVars, type TemplateData } from './sql/template-data.ts';
import { planStatement } from './plan/plan.ts';
import { lookupShape } from './plan/generic-plans.ts';
import type { PlanObserver } from './plan/values.ts';
import type { LiteralShape } from './sql/literal-shape.ts';
import type { PlanOptions, Row, StatementPlan } from './plan/types.ts';
import type { StoredViewLookup } from './plan/types-select.ts';
import { PendingStoredViews } from './plan/stored-views.ts';
import { Definitions } from './definitions.ts';
import { DefaultNotices } from './notices.ts';
import { runPlanned, type PlannedStatement, type QueryResult } from './run-planned.ts';

export type { PlannedStatement, QueryResult } from './run-planned.ts';

export interface QueryOptions {
  /**
   * Values for `{{ name }}` placeholders. A value may be nested (objects, arrays): `{{ .a.b }}`
   * and `{{ items[0].name }}` pick from it, and `{{ a }}` is its JSON text.
   */
  readonly vars?: TemplateData;
  readonly signal?: AbortSignal;
  /**
   * Receives a SELECT's rows as they are ready (page by page when the statement allows it);
   * the result then holds no rows. Memory stays flat on very large lists.
   */
  readonly onRows?: RowSink;
  /** This query's warnings (an incomplete list…) and notices (a default time window…); default: the engine's. */
  readonly onWarning?: (message: string) => void;
  readonly onNotice?: (message: string) => void;
  /**
   * Refuse, before anything is sent, every statement that could change something: mutations,
   * EXEC, REGISTRY ADD, views, and a SELECT of an `(EXEC …)` whose method is not a read
   * (SERVER_READ_ONLY). Servers set it for their read-only sessions.
   */
  readonly readOnly?: boolean;
}

/** What `engine.execute` takes besides the plan: the plan already holds the vars, and was checked for read-only when planned. */
export type ExecuteOptions = Omit<QueryOptions, 'vars' | 'readOnly'>;

export interface Engine {
  /** Runs exactly one statement; `R` is the row type the caller expects (not checked). */
  query<R extends object = Row>(sql: string, options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs every statement of a script in order; stops at the first failure (thrown). */
  run(sql: string, options?: QueryOptions): Promise<QueryResult[]>;
  /** Like run, yielding each result as soon as its statement finishes. */
  stream(sql: string, options?: QueryOptions): AsyncGenerator<QueryResult>;
  /** Parses and plans without sending anything: the exact requests each statement would send. */
  plan(sql: string, options?: QueryOptions): PlannedStatement[];
  /**
   * Runs one statement this engine planned (`engine.plan`), as planned: the requests the plan shows
   * are the ones sent, with the values and time window it was planned with. A plan may run again.
   */
  execute<R extends object = Row>(planned: PlannedStatement, options?: ExecuteOptions): Promise<QueryResult<R>>;
  /** A resource's columns (with the registry's types) and methods: `engine.describe('azure.data_factory.factories')`. */
  describe(resource: string): ResourceDescription;
  /** Child names of a dotted path: providers (''), services of 'azure', resources of 'azure.data_factory', methods of a resource. */
  names(parent?: string): string[];
  /** Every cache the engine keeps: its name, size, bound, hits and misses. */
  stats(): CacheStats[];
  /** Empties every cache (tokens and connections aside); results stay the same, only slower at first. */
  clearCaches(): void;
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const resolved = resolveOptions(options);
  // One document cache for the engine, kept across the registries a REGISTRY ADD makes anew.
  const documents = new DocumentCache({ cacheDir: resolved.cacheDir, env: resolved.env, onWarning: resolved.onWarning });
  let http: HttpClient | undefined = resolved.http;
  const tokenSources = new Map<string, TokenSource>();
  const tokens = (provider: string): TokenSource => {
    let source = tokenSources.get(provider);
    if (!source) {
      const auth = resolved.credential ? undefined : resolved.auth[provider];
      source = cachedTokenSource(resolved.credential ?? credentialFor(provider, auth, resolved.env), Date.now, auth && credentialHeader(auth));
      tokenSources.set(provider, source);
    }
    return source;
  };
  // A token from the library's credential or from azure_default is an Azure token: it never goes
  // where only a pulled document's servers would let it.
  const hosts = new CredentialHosts(resolved.endpoints, (provider) => resolved.credential !== undefined || resolved.auth[provider]?.type === 'azure_default');
  const sqlSession = new SqlSession();
  const planSession = new PlanSession();
  const definitions = new Definitions({ resolved, documents, planSession, hosts });
  const { storedViews, views } = definitions;
  const checker = new SqliteChecker();
  const answers = new SqliteAnswers();
  const layouts = new SourceLayouts(answers);
  const localWorkers = new LocalWorkers();
  const caches = cacheGroup(sqlSession, planSession, checker, documents, answers, layouts);
  const limiter = new RateLimiter(resolved.clock, resolved.maxInFlight, resolved.pacing);
  let unsignalled: ExecDeps | undefined;
  // Most queries pass no signal: their dependencies are one object, made once per client.
  const deps = ({ signal, onWarning }: QueryOptions): ExecDeps => (signal || onWarning ? depsWith(signal, onWarning) : (unsignalled ??= depsWith(undefined)));
  const depsWith = (signal: AbortSignal | undefined, onWarning = resolved.onWarning): ExecDeps => ({
    http: (http ??= createUndiciClient(resolved.timeouts, resolved.maxResponseBytes, resolved.env)),
    tokens,
    hosts,
    answers,
    layouts,
    requests,
    signal,
    maxPages: resolved.maxPages,
    concurrency: resolved.concurrency,
    limiter,
    clock: resolved.clock,
    random: resolved.random,
    retry: resolved.retry,
    lroPollMs: resolved.lroPollMs,
    onWarning,
    onExchange: resolved.onExchange,
    onProgress: resolved.onProgress,
    storedViews,
    localWorkers,
  });

  const notices = new DefaultNotices(resolved.paramDefaults, resolved.onNotice);
  let build: Record<string, string> | undefined;
  const planOptions = (
    vars: TemplateVars,
    viewLookup: ViewLookup = views,
    readOnly = false,
    storedLookup: StoredViewLookup = storedViews,
    observer?: PlanObserver,
  ): PlanOptions => ({
    readOnly,
    observer,
    vars,
    endpoints: resolved.endpoints,
    now: resolved.now,
    hosts,
    allowRegistryReplace: resolved.allowRegistryReplace,
    session: planSession,
    checker,
    views: viewLookup,
    storedViews: storedLookup,
    paramDefaults: resolved.paramDefaults,
    build: buildOnce,
  });
  const buildOnce = (): Record<string, string> => (build ??= buildInfo(checker));
  // A template's request is built with the registry of the moment and the engine's own options.
  const requests = requestFactory(
    {
      providerNames: () => definitions.registry.providerNames(),
      provider: (name) => definitions.registry.provider(name),
      service: (provider, service) => definitions.registry.service(provider, service),
      serviceLayers: (provider, service) => definitions.registry.serviceLayers(provider, service),
    },
    () => planOptions({}),
  );

  // The plans engine.plan handed out: engine.execute runs only these (a plan read back from JSON, or
  // made by another engine, was never checked against this engine's registry and options).
  const issued = new WeakSet<PlannedStatement>();
  const planAll = (statements: readonly ParsedStatement[], vars: TemplateVars, readOnly = false, observer?: PlanObserver): PlannedStatement[] => {
    const pending = new PendingViews(views);
    const pendingStored = new PendingStoredViews(storedViews);
    return statements.map((parsed) => {
      const plan = withRegistryPlaces(planStatement(parsed, definitions.registry, planOptions(vars, pending, readOnly, pendingStored, observer)));
      if (plan.kind === 'view_change' && !plan.materialized) pending.define(plan.name, plan.action === 'drop' ? undefined : plan.query);
      pendingStored.record(plan);
      return { kind: parsed.statement.kind, statement: statementText(parsed), plan };
    });
  };
  /**
   * A SELECT that differs from earlier ones of its shape only in the strings it gives params gets
   * their plan with its values (plan/generic-plans.ts); anything else is parsed and planned.
   */
  const planShape = (sql: string, shape: LiteralShape, given: TemplateData | undefined, readOnly = false): PlannedStatement[] => {
    const known = readOnly ? undefined : lookupShape(shape, planSession);
    if (known && 'reused' in known) return [{ kind: 'select', statement: shape.statement, plan: known.reused }];
    const statement = parseStatement(sql, sqlSession, shape.tokens);
    const planned = planAll([statement], checkedVars([statement], given), readOnly, known?.learner);
    known?.learner.learn(planned[0].plan);
    return planned;
  };
  /** A script (`parse`: as one statement, or as many) through planShape when it is one SELECT with strings. */
  const planText = (
    sql: string,
    given: TemplateData | undefined,
    readOnly: boolean | undefined,
    parse: (sql: string) => ParsedStatement[],
  ): PlannedStatement[] => {
    const shape = sqlSession.literalShapes.shapeOf(sql);
    if (shape) return planShape(sql, shape, given, readOnly);
    const statements = parse(sql);
    return planAll(statements, checkedVars(statements, given), readOnly);
  };
  const oneStatement = (sql: string) => [parseStatement(sql, sqlSession)];
  const wholeScript = (sql: string) => parseScript(sql, sqlSession);
  /** A REGISTRY LIST or PULL says where it reads and writes (--dry-run shows it). */
  const withRegistryPlaces = (plan: StatementPlan): StatementPlan => {
    if (plan.kind === 'registry_list') return { ...plan, from: resolved.registry.url };
    if (plan.kind === 'registry_pull') return { ...plan, from: resolved.registry.url, ...(resolved.userRegistry && { into: resolved.userRegistry }) };
    return plan;
  };

  /** Runs one planned statement with a query's options: the notices of the defaults it took, then its requests. */
  async function runOne(planned: PlannedStatement, options: ExecuteOptions): Promise<QueryResult> {
    notices.ofPlan(planned.plan, options.onNotice);
    try {
      return await runPlanned(planned, deps(options), definitions, options.onRows);
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async function* stream(sql: string, queryOptions: QueryOptions = {}): AsyncGenerator<QueryResult> {
    // Every statement is parsed and every missing var named before the first statement runs.
    const statements = guard(() => parseScript(sql, sqlSession));
    const vars = guard(() => checkedVars(statements, queryOptions.vars));
    // Statements are planned (validated) before anything runs; a REGISTRY ADD or PULL or a view
    // changes what names mean, so the statements after it are planned once it has run.
    for (const segment of segmentsAfterDefinitions(statements)) {
      const attempt = planPulling(() => planAll(segment, vars, queryOptions.readOnly), queryOptions.signal);
      const planned = Array.isArray(attempt) ? attempt : await attempt;
      for (const statement of planned) {
        yield await runOne(statement, queryOptions);
      }
    }
  }

  /**
   * Plans; with autoPull, a provider a statement names that is not pulled is pulled first, once.
   * Planning that succeeds returns at once (no promise): the common case pays no extra turn.
   */
  function planPulling(plan: () => PlannedStatement[], signal?: AbortSignal): PlannedStatement[] | Promise<PlannedStatement[]> {
    try {
      return plan();
    } catch (error) {
      if (!pullable(error)) throw toEngineError(error);
      return pullAndPlan(plan, error as EngineError, signal);
    }
  }

  function pullable(error: unknown): boolean {
    return resolved.autoPull && error instanceof EngineError && error.code === 'REG_NOT_PULLED' && Boolean(error.details?.provider);
  }

  async function pullAndPlan(plan: () => PlannedStatement[], first: EngineError, signal?: AbortSignal): Promise<PlannedStatement[]> {
    const pulled = new Set<string>();
    for (let error: unknown = first; ; ) {
      const provider = String((error as EngineError).details?.provider ?? '');
      if (pulled.has(provider)) throw toEngineError(error);
      pulled.add(provider);
      resolved.onNotice(`${provider} is not pulled: pulling it from ${resolved.registry.url} (autoPull)`);
      await guardAsync(() => definitions.pull({ kind: 'registry_pull', provider }, signal));
      try {
        return plan();
      } catch (next) {
        if (!pullable(next)) throw toEngineError(next);
        error = next;
      }
    }
  }

  return {
    async query<R extends object = Row>(sql: string, queryOptions: QueryOptions = {}) {
      const attempt = planPulling(() => planText(sql, queryOptions.vars, queryOptions.readOnly, oneStatement), queryOptions.signal);
      const planned = Array.isArray(attempt) ? attempt : await attempt;
      // The caller declares the row type; rows are what the statement returned.
      return (await runOne(planned[0], queryOptions)) as QueryResult<R>;
    },
    async run(sql, queryOptions = {}) {
      const results: QueryResult[] = [];
      for await (const result of stream(sql, queryOptions)) results.push(result);
      return results;
    },
    stream,
    plan: (sql, queryOptions = {}) =>
      guard(() => {
        const planned = planText(sql, queryOptions.vars, queryOptions.readOnly, wholeScript);
        for (const statement of planned) {
          issued.add(statement);
          notices.ofPlanParams(statement.plan, queryOptions.onNotice);
        }
        return planned;
      }),
    async execute<R extends object = Row>(planned: PlannedStatement, executeOptions: ExecuteOptions = {}) {
      if (!issued.has(planned)) {
        throw new EngineError('PLAN_NOT_FROM_ENGINE', 'execute() runs a plan this engine made with plan(); this one it did not make', {
          hint: 'plan the statement with this engine: engine.execute(engine.plan(sql)[0])',
        });
      }
      return (await runOne(planned, executeOptions)) as QueryResult<R>;
    },
    describe: (resource) => guard(() => describeResource(definitions.registry, resource)),
    names: (parent = '') => guard(() => childNames(definitions.registry, parent)),
    stats: () => caches.stats(),
    clearCaches: () => caches.clear(),
    async close() {
      await http?.close();
      http = undefined;
      unsignalled = undefined;
      checker.close();
      answers.close();
      await localWorkers.close();
    },
  };
}

/**
 * The flat value of every placeholder of the script, from the caller's vars and then the script's
 * `<<<json>>>` block; a missing one is an error naming them all.
 */
function checkedVars(statements: readonly ParsedStatement[], given: TemplateData = {}): TemplateVars {
  // A statement's names are distinct already; a script's are merged.
  const names = statements.length === 1 ? statements[0].placeholders : [...new Set(statements.flatMap((statement) => statement.placeholders))];
  if (names.length === 0) return {};
  const data = statements[0].data;
  const vars = placeholderVars(names, data ? { ...data, ...given } : given);
  checkNames(names, vars);
  return vars;
}

/** Statements after one that changes what names mean (REGISTRY ADD or PULL, CREATE/DROP VIEW) are planned once it has run. */
function segmentsAfterDefinitions(statements: readonly ParsedStatement[]): ParsedStatement[][] {
  const segments: ParsedStatement[][] = [[]];
  for (const statement of statements) {
    segments[segments.length - 1].push(statement);
    if (['registry_add', 'registry_pull', 'create_view', 'drop_view', 'refresh_view'].includes(statement.statement.kind)) segments.push([]);
  }
  return segments.filter((segment) => segment.length > 0);
}

function statementText(parsed: ParsedStatement): string {
  return parsed.text.slice(parsed.span.offset, parsed.span.offset + parsed.span.length);
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toEngineError(error);
  }
}

function rethrowAsEngineError(error: unknown): never {
  throw toEngineError(error);
}

function guardAsync<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch(rethrowAsEngineError);
}
