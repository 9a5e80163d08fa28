// What the plan stage produces: the exact HTTP requests a statement will send, and how
// their responses become rows. Plain data: `--dry-run` prints it, exec/ runs it.

import type { CredentialHosts } from '../registry/credential-hosts.ts';
import type { ViewLookup } from '../registry/views.ts';
import type { LocalChecker } from './local-check.ts';
import type { PlanSession } from './session.ts';
import type { FieldSpec, HttpMethod, Pagination, RowTransform } from '../registry/types.ts';
import type { ParamValue, PlanObserver } from './values.ts';
import type { SelectStatementPlan, SourcePlan, SqlText, StoredViewLookup } from './types-select.ts';

export type SqlValue = string | number | boolean | null;
export type Row = Readonly<Record<string, SqlValue>>;

export interface RequestPlan {
  readonly method: HttpMethod;
  /** Absolute URL with the query string. */
  readonly url: string;
  /** Headers to send, without Authorization (exec/ adds it for `audience`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Provider whose credential signs the request. */
  readonly provider: string;
  /** OAuth scope of the token for this request. */
  readonly audience: string;
  /** Origins the provider's credential may reach besides the audience's hosts (a pulled StackQL document's servers). */
  readonly credentialOrigins?: readonly string[];
  /** `provider.service.resource.method`, for messages. */
  readonly operation: string;
  readonly expectedStatus: readonly number[];
  readonly itemsPath?: string;
  /** How an item becomes a row (StackQL's response transforms). */
  readonly rowTransform?: RowTransform;
  readonly pagination?: Pagination;
  readonly longRunning: boolean;
  /** Safe to send twice: GET, HEAD, PUT, DELETE, and POSTs that only read. */
  readonly idempotent: boolean;
  /** For actions, which are not retried: the SELECT that shows whether one happened. */
  readonly check?: string;
  /** Params the statement did not give, filled from the clock (a default time window): value and offset from now. */
  readonly clockDefaults?: readonly { readonly name: string; readonly value: string; readonly relative: string }[];
  /** Params the statement did not give, filled from the user's defaults (PlanOptions.paramDefaults). */
  readonly paramDefaults?: readonly string[];
}

/** A value for a param that a statement does not give and its method needs (the user's default subscription). */
export interface ParamDefault {
  readonly value: string;
  /** Where it came from, for the notice said once when it is used (e.g. "AZURE_SUBSCRIPTION_ID"). */
  readonly from?: string;
}

export interface Projection {
  /** Response field or column name. */
  readonly source: string;
  /** Output column name. */
  readonly name: string;
}

/** INSERT or EXEC: a statement answered by HTTP requests. */
export interface HttpStatementPlan {
  readonly kind: 'http';
  readonly requests: readonly RequestPlan[];
  /** Fields of each response row. */
  readonly fields: readonly FieldSpec[];
  /** Columns of the result; empty when the statement returns no rows. */
  readonly projection: readonly Projection[];
  /** RETURNING items SQLite computes, over the projection's rows (then every field). */
  readonly returning?: ReturningQuery;
  /** The AWAIT hint: wait for long-running operations to end. */
  readonly awaitCompletion: boolean;
}

/**
 * RETURNING with items that are more than fields (`json_extract(properties, '$.state') AS state`):
 * the response's rows (every field) as the local table `source`, and the clause as a query over it.
 */
export interface ReturningQuery {
  readonly source: SourcePlan;
  readonly query: SqlText;
  /** The result's columns, as SQLite names them. */
  readonly columns: readonly string[];
}

/**
 * A request whose values come later (a dependent join's, INSERT … SELECT's rows), as data: the
 * method by name, and the values the statement gives it. requestFromTemplate() (plan/templates.ts)
 * builds the request once the values are known.
 */
export interface RequestTemplate {
  /** `provider.service.resource.method`. */
  readonly operation: string;
  readonly provider: string;
  readonly service: string;
  readonly resource: string;
  readonly method: string;
  /** Values the statement gives, by param name (typed, checked). */
  readonly given: Readonly<Record<string, ParamValue>>;
}

/** INSERT … SELECT … FROM: one request per row the SELECT returns. */
export interface InsertSelectPlan {
  readonly kind: 'insert_select';
  readonly select: SelectStatementPlan;
  readonly target: InsertTarget;
  readonly fields: readonly FieldSpec[];
  readonly projection: readonly Projection[];
  readonly returning?: ReturningQuery;
  readonly awaitCompletion: boolean;
}

export interface InsertTarget {
  readonly template: RequestTemplate;
  /** The param each SELECT column fills, by name, in the order of the SELECT's values. */
  readonly params: readonly string[];
  /**
   * Host params' values (Synapse's endpoint): in `template.given`, since they are literals of the
   * statement, never fetched data; their SELECT columns are skipped.
   */
  readonly fromStatement: readonly number[];
}

/** A statement answered from the registry alone (SHOW, DESCRIBE). */
export interface LocalStatementPlan {
  readonly kind: 'local';
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** REGISTRY ADD: the engine writes a service into the user's registry. */
export interface RegistryAddPlan {
  readonly kind: 'registry_add';
  readonly specFile: string;
  readonly provider: string;
  readonly service: string;
  readonly audience?: string;
  /** The service exists already (the user allowed replacing it). */
  readonly replaces: boolean;
}

/** EXPLAIN: the plan of a statement, to print instead of running it. */
export interface ExplainPlan {
  readonly kind: 'explain';
  readonly format: 'text' | 'json';
  readonly plan: Exclude<StatementPlan, ExplainPlan>;
}

/** CREATE VIEW / DROP VIEW: the engine keeps or forgets the view's query ('none': DROP VIEW IF EXISTS of no view). */
export interface ViewChangePlan {
  readonly kind: 'view_change';
  readonly action: 'create' | 'replace' | 'drop' | 'none';
  readonly name: string;
  /** The view's SELECT, its placeholders fixed to their values. */
  readonly query?: string;
  /** DROP MATERIALIZED VIEW: the engine forgets the view's rows. */
  readonly materialized?: boolean;
}

/** CREATE [OR REPLACE] MATERIALIZED VIEW, REFRESH MATERIALIZED VIEW: the SELECT runs, the engine keeps its rows under the name. */
export interface MaterializePlan {
  readonly kind: 'materialize';
  readonly action: 'create' | 'replace' | 'refresh';
  readonly name: string;
  /** The view's SELECT, its placeholders fixed to their values. */
  readonly query: string;
  readonly select: SelectStatementPlan;
  /** The columns its rows will have (SQLite's names for the SELECT's results). */
  readonly columns: readonly string[];
}

/** REGISTRY LIST: the engine asks the configured registry which providers (and versions) it has. */
export interface RegistryListPlan {
  readonly kind: 'registry_list';
  readonly provider?: string;
  /** The registry's URL (the engine's, filled in when it plans). */
  readonly from?: string;
}

/** REGISTRY PULL: the engine installs a provider from the configured registry into the user's registry. */
export interface RegistryPullPlan {
  readonly kind: 'registry_pull';
  readonly provider: string;
  /** Absent: the latest version the registry has. */
  readonly version?: string;
  /** The registry's URL and the user's registry folder (the engine's, filled in when it plans). */
  readonly from?: string;
  readonly into?: string;
}

export type StatementPlan =
  | HttpStatementPlan
  | SelectStatementPlan
  | InsertSelectPlan
  | LocalStatementPlan
  | RegistryAddPlan
  | RegistryListPlan
  | RegistryPullPlan
  | ExplainPlan
  | ViewChangePlan
  | MaterializePlan;

export interface PlanOptions {
  /** Template variables for `{{ name }}` placeholders. */
  readonly vars: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** Base URL overrides: `azure` (every fixed-URL service of the provider) or `azure.synapse_artifacts`. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Used for relative defaults (time windows). */
  readonly now: () => Date;
  /** Where tokens may go (the engine's; made from `endpoints` when absent). */
  readonly hosts?: CredentialHosts;
  /** REGISTRY ADD may replace an existing service: the user's own flag, never a statement's. */
  readonly allowRegistryReplace?: boolean;
  /** What planning keeps between statements (its owner's: the engine's). */
  readonly session: PlanSession;
  /** Where local queries are prepared over empty tables, to check them before anything is sent. */
  readonly checker: LocalChecker;
  /** Refuse whatever could change something (SERVER_READ_ONLY): see QueryOptions.readOnly. */
  readonly readOnly?: boolean;
  /** The views statements may read (the user's, then the providers'). */
  readonly views?: ViewLookup;
  /** The materialized views statements may read (the engine's). */
  readonly storedViews?: StoredViewLookup;
  /** What SHOW VERSION answers: name → value, in order (the engine's build and runtime). */
  readonly build?: () => Readonly<Record<string, string>>;
  /**
   * The user's values for params a statement does not give, used only when the method it calls
   * needs them (a default subscriptionId). Data, not a lookup: plan/ reads no environment. A
   * planner session serves one set of defaults (its engine's).
   */
  readonly paramDefaults?: Readonly<Record<string, ParamDefault>>;
  /** Told what planning makes of a SELECT's values (plan/generic-plans.ts learns a statement shape from it). */
  readonly observer?: PlanObserver;
}
