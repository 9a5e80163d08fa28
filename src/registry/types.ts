// The registry's data model: what providers/**/*.yaml holds once parsed.
// providers/README.md documents the same shapes for people writing or generating YAML.

export type SqlVerb = 'select' | 'insert' | 'update' | 'replace' | 'delete' | 'exec';
export const SQL_VERBS: readonly SqlVerb[] = ['select', 'insert', 'update', 'replace', 'delete', 'exec'];

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * Where a parameter goes:
 * - path/query/header: the URL path template, the query string, a request header
 * - host: a placeholder in the service's server URL (Synapse's `{endpoint}`)
 * - body: one top-level property of the JSON request body
 * - payload: the whole JSON request body (e.g. createRun's `parameters`)
 */
export type ParamLocation = 'path' | 'query' | 'header' | 'host' | 'body' | 'payload';

export type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface ValueRules {
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly format?: string;
}

export interface ParamSpec extends ValueRules {
  /** Wire name, exactly as the API spells it (camelCase, `api-version`). */
  readonly name: string;
  readonly in: ParamLocation;
  readonly required: boolean;
  /** `any`: a body field no document declares (`data__<field>`): JSON when the text is an object or array, else the text. */
  readonly type: ValueType | 'any';
  readonly description?: string;
  /** Sent when the statement gives no value (api-version). */
  readonly default?: string | number | boolean;
  /** For date-time params: a default relative to now, as a signed ISO-8601 duration (`-P1D`, `PT0S`). */
  readonly defaultRelativeTime?: string;
  /** Other names the param answers to in SQL (snake_case). */
  readonly aliases?: readonly string[];
  /** Value is inserted into the URL as is (a host, an absolute URL). */
  readonly skipUrlEncoding?: boolean;
  /**
   * Body params only: the property name sent on the wire, when it differs from `name`. The
   * generator sets it when a body property has the same name as a path/query/header param
   * (IntegrationRuntimes_RemoveLinks' body `factoryName`); `name` is then the SQL name only.
   */
  readonly wireName?: string;
  /**
   * '' is a value to send, not "no value" (which leaves an optional param out, and is an error for
   * a required one): the spec admits '' explicitly (an enum that lists it, a pattern that matches
   * it) or says so in words (an override: ADF's accessResourcePath). Never for path and host params.
   */
  readonly emptyIsValue?: boolean;
}

export interface FieldSpec {
  readonly name: string;
  readonly type: ValueType;
  readonly description?: string;
  readonly format?: string;
}

export type Pagination =
  | { readonly kind: 'nextLink'; readonly nextLinkName: string }
  | { readonly kind: 'continuationToken'; readonly tokenField: string }
  /** RFC 8288 `Link: <url>; rel="next"` response header (GitHub). */
  | { readonly kind: 'linkHeader' };

/**
 * How a response item becomes a row, beyond taking its fields (StackQL's response transforms):
 * - hoist: the object under `property` is merged into the row (its keys first, the item's own
 *   keys win), StackQL's "flattened" view of ARM resources (`properties` hoisted);
 * - wrap: the value becomes the only field `field` of a row: each item (`each`), or the whole
 *   body as one row (a bare array or scalar).
 */
export type RowTransform = { readonly kind: 'hoist'; readonly property: string } | { readonly kind: 'wrap'; readonly field: string; readonly each: boolean };

export interface ResponseSpec {
  /** Success status codes; anything else is an error. */
  readonly statusCodes: readonly number[];
  /**
   * JSON property holding the list of items (ARM's `value`); absent when the body itself is the row.
   * A dotted path (`data.repository.stargazers.edges`) walks nested objects.
   */
  readonly itemsPath?: string;
  /** Columns of a row. Empty when the response has no body. */
  readonly fields: readonly FieldSpec[];
  /** A reshaping of each item before its fields are read. */
  readonly rowTransform?: RowTransform;
}

export interface MethodSpec {
  readonly name: string;
  readonly operationId: string;
  readonly description?: string;
  /** The SQL verb that calls the method (the first of `sqlVerbs` when there are several). */
  readonly sqlVerb: SqlVerb;
  /** Every SQL verb that calls the method, when more than one does (a StackQL PUT answers INSERT and REPLACE). */
  readonly sqlVerbs?: readonly SqlVerb[];
  readonly httpMethod: HttpMethod;
  /** Path template relative to the service server, with `{param}` placeholders. */
  readonly path: string;
  readonly params: readonly ParamSpec[];
  readonly response: ResponseSpec;
  readonly pagination?: Pagination;
  readonly longRunning?: boolean;
  /**
   * Row columns the API can filter server-side (ADF/Synapse RunQueryFilter): `column = v` and
   * `column IN (…)` in a SELECT become `{operand, operator: Equals|In, values}` entries of the
   * body array `bodyField`; the local filter still applies.
   */
  readonly filterPushdown?: { readonly bodyField: string; readonly columns: Readonly<Record<string, string>> };
  /**
   * A list limited to a time window (ADF/Synapse run queries: runs updated between `after` and
   * `before`). `columns` are the row columns that cannot be earlier than the time a row entered the
   * window (a run is updated at or after it starts), so a lower bound on any of them is a lower bound
   * of the window: `WHERE runStart >= X` asks for runs updated after X.
   */
  readonly timeWindow?: { readonly after: string; readonly before: string; readonly columns: readonly string[] };
  /**
   * The operation declares a request body: `required` when the spec requires it (skyql then sends
   * at least `{}`). Either way the request says `content-type: application/json`, body or not, as
   * Azure's SDKs do. Absent: no body unless `@@json` gives one.
   */
  readonly requestBody?: 'required' | 'optional';
  /** x-ms-long-running-operation-options.final-state-via, when the spec gives it. */
  readonly finalStateVia?: 'azure-async-operation' | 'location' | 'original-uri' | 'operation-location';
}

export interface ResourceSpec {
  readonly name: string;
  readonly id: string;
  readonly title?: string;
  readonly description?: string;
  readonly methods: Readonly<Record<string, MethodSpec>>;
}

export interface ServerSpec {
  /** Base URL, or a host template such as `{endpoint}` filled from a `host` param. */
  readonly url: string;
  /** Scheme added to a host param's value when it has none (`useSchemePrefix: false`). */
  readonly defaultScheme?: string;
}

export interface ServiceSpec {
  readonly name: string;
  readonly provider: string;
  readonly id: string;
  readonly title?: string;
  readonly description?: string;
  readonly server: ServerSpec;
  /** OAuth scope of the token this service accepts. */
  readonly audience: string;
  readonly resources: Readonly<Record<string, ResourceSpec>>;
  /** Views a provider document defines (StackQL's `config.views`): the SELECT of each, by name. */
  readonly views?: Readonly<Record<string, string>>;
  /**
   * Origins the provider's credential may reach for this service besides its audience's hosts:
   * the servers of a StackQL document the user pulled for a provider that is not signed with
   * Azure tokens (GitHub's bearer, api_key and basic credentials). Set only by the registry when it
   * loads a pulled document, never read from a skyql service document.
   */
  readonly credentialOrigins?: readonly string[];
}

export interface ServiceEntry {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  /** Path of the service document, relative to the provider folder. */
  readonly file: string;
}

/** A provider's own auth settings (StackQL's provider.yaml `config.auth`): shown in hints, never used to sign. */
export interface ProviderAuthConfig {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface ProviderSpec {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly services: Readonly<Record<string, ServiceEntry>>;
  /** Set for a provider pulled from a StackQL registry: its version and its auth settings. */
  readonly stackql?: { readonly version: string; readonly auth?: ProviderAuthConfig };
}

/** Whether a SQL verb calls the method. */
export function callsMethod(method: MethodSpec, verb: SqlVerb): boolean {
  return method.sqlVerbs ? method.sqlVerbs.includes(verb) : method.sqlVerb === verb;
}

/** The SQL verbs that call the method. */
export function verbsOf(method: MethodSpec): readonly SqlVerb[] {
  return method.sqlVerbs ?? [method.sqlVerb];
}
