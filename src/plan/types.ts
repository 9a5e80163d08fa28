// What the plan stage produces: the exact HTTP requests a statement will send, and how
// their responses become rows. Plain data: `--dry-run` prints it, exec/ runs it.

import type { CredentialHosts } from '../registry/credential-hosts.ts';
import type { LocalChecker } from './local-check.ts';
import type { PlanSession } from './session.ts';
import type { FieldSpec, HttpMethod, MethodSpec, Pagination, RowTransform, ServiceSpec } from '../registry/types.ts';
import type { Literal } from '../sql/ast.ts';
import type { ValueContext } from './values.ts';
import type { Binding } from './params.ts';
import type { SelectStatementPlan } from './types-select.ts';

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
  /** For actions that are not retried: how to check whether one happened (a SELECT). */
  readonly checkHint?: () => string | undefined;
  /** Params the statement did not give, filled from the clock (a default time window): value and offset from now. */
  readonly clockDefaults?: readonly { readonly name: string; readonly value: string; readonly relative: string }[];
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
  /** The AWAIT hint: wait for long-running operations to end. */
  readonly awaitCompletion: boolean;
}

/** INSERT … SELECT … FROM: one request per row the SELECT returns. */
export interface InsertSelectPlan {
  readonly kind: 'insert_select';
  readonly select: SelectStatementPlan;
  readonly target: InsertTarget;
  readonly fields: readonly FieldSpec[];
  readonly projection: readonly Projection[];
  readonly awaitCompletion: boolean;
}

export interface InsertTarget {
  readonly service: ServiceSpec;
  readonly method: MethodSpec;
  readonly operation: string;
  /** INSERT columns, in the order of the SELECT's values. */
  readonly columns: readonly string[];
  /** The columns' params, resolved and checked when the statement was planned. */
  readonly binding: Binding;
  /** Host params' values, by column position: literals of the statement, never fetched data. */
  readonly hostValues: ReadonlyMap<number, Literal>;
  readonly context: ValueContext;
  readonly options: PlanOptions;
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

export type StatementPlan = HttpStatementPlan | SelectStatementPlan | InsertSelectPlan | LocalStatementPlan | RegistryAddPlan | RegistryListPlan | RegistryPullPlan;

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
}
