// One error type for the whole engine. Callers and tests match on `code`, never on message text.

export interface SourceSpan {
  /** 0-based offset into the statement text as the user wrote it. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly length?: number;
}

/** Every code the engine raises, with the hint shown when the raiser gives none. */
export const ERROR_CODES = {
  SQL_SYNTAX: 'check the statement near the position shown',
  SQL_UNSUPPORTED: 'see README.md for the statement forms skyql runs',
  SQL_EMPTY: 'write a statement, e.g. SHOW METHODS IN azure.data_factory.pipelines_runs;',
  SQL_LOCAL: 'the local SQL engine (SQLite) rejected the statement; check functions and clauses',
  SQL_LOCAL_CANCELLED: 'the local query was cancelled',
  TPL_MISSING_VAR: "pass each with --var name=value, --var-file, or the library's vars",
  TPL_INVALID:
    'a placeholder is {{ name }} (letters, digits, _, - and $), or a path into structured vars such as {{ .global.project }} or {{ firewalls[0].name }}',
  REG_UNKNOWN_PROVIDER: 'SHOW PROVIDERS lists the providers',
  REG_UNKNOWN_SERVICE: 'SHOW SERVICES IN <provider> lists the services',
  REG_UNKNOWN_RESOURCE: 'SHOW RESOURCES IN <provider>.<service> lists the resources',
  REG_UNKNOWN_METHOD: 'SHOW METHODS IN <provider>.<service>.<resource> lists the methods',
  REG_INVALID: 'the registry document is malformed; see providers/README.md',
  REG_SPEC_LIMIT: "skyql reads only regular files of at most 16 MiB, at most 64 per spec, and follows $refs only to files inside the spec's folder",
  REG_NOT_PULLED: 'pull the provider from your registry: REGISTRY PULL <provider>; (skyql registry pull <provider>)',
  REG_PULL_FAILED: 'check the registry (--registry \'{"url": "…"}\', SKYQL_REGISTRY) and that it has the provider and version',
  PLAN_VERB_UNSUPPORTED: 'use SHOW METHODS to view available operations for the resource',
  PLAN_NO_MATCHING_METHOD: 'give the params one of the methods needs (SHOW METHODS lists them)',
  PLAN_MISSING_PARAM: 'SHOW METHODS lists required and optional params',
  PLAN_UNKNOWN_PARAM: 'SHOW METHODS lists the params of each method',
  PLAN_DUPLICATE_PARAM: 'give each param once',
  PLAN_DUPLICATE_COLUMN: 'give each column its own name (AS)',
  PLAN_INVALID_VALUE: 'fix the value so that it satisfies the rule',
  PLAN_INVALID_JSON: 'JSON values are written as SQL strings: \'{"key": "value"}\'',
  PLAN_UNKNOWN_COLUMN: 'DESCRIBE lists the columns a method returns',
  PLAN_INSECURE_URL: 'use https://, or http:// only to a loopback host (127.0.0.1, localhost, [::1])',
  PLAN_TIME_WINDOW: 'give the window a start: a lower bound on the compared column, or the window param itself',
  PLAN_FAN_OUT_LIMIT: 'a statement sends at most 1,000 requests; split it, or narrow its IN lists',
  PLAN_NOT_FROM_ENGINE: 'engine.execute runs the plans engine.plan of the same engine returned',
  REG_CONFLICT: 'the service exists already: pick another name, or replace it on purpose (skyql registry add --replace)',
  HTTP_STATUS: 'the service refused the request; its code and message are shown',
  HTTP_NETWORK: 'check the endpoint and your network connection',
  HTTP_TIMEOUT: 'the service did not answer in time; try again or raise the timeout',
  HTTP_UNTRUSTED_NEXT_LINK: 'a list response pointed at another host; skyql never sends your token there',
  HTTP_BAD_RESPONSE: 'the service answered with a body skyql could not read',
  HTTP_RESPONSE_TOO_LARGE:
    'the response was larger than skyql accepts; if you trust the service, raise the cap with --max-response-bytes n (library: maxResponseBytes)',
  HTTP_PAGING_LOOP:
    'the service sent a page link or continuation token it had already sent, so the list would never end; the statement failed rather than pass off part of the list as complete',
  HTTP_ABORTED: 'the request was cancelled',
  LRO_FAILED: 'the long-running operation failed in Azure; its code and message are shown',
  LRO_STOPPED: 'skyql stopped waiting, but the operation goes on in Azure; follow it at the status URL',
  AUTH_NO_CREDENTIAL: 'sign in with `az login`, or pass --auth \'{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}\'',
  AUTH_FAILED: 'check that your identity can get a token for this audience',
  AUTH_UNTRUSTED_HOST: 'a token goes only to the hosts of its audience; allow a host of yours with --endpoint provider=<url>',
  CFG_INVALID: 'run `skyql --help` for the options',
  CFG_FILE: 'check that the file exists and is readable',
  SERVER_READ_ONLY:
    'this server is read-only: it runs SELECT, SHOW and DESCRIBE; to change resources, use a server started with --allow-mutations (on loopback: without --read-only)',
  OUTPUT_WRITE_FAILED: 'the output is incomplete; check where stdout goes (free space, the file or device)',
  INTERNAL_INVARIANT: 'this is a bug in skyql; please report it with the statement that caused it',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface EngineErrorOptions {
  readonly hint?: string;
  readonly span?: SourceSpan;
  readonly cause?: unknown;
  /** Extra facts a caller may use (HTTP status, Azure error code, request id…). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly span?: SourceSpan;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: EngineErrorOptions = {}) {
    // One line, whatever the names and values quoted in it hold.
    super(message.replace(/\s*[\r\n]+\s*/g, ' '), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.hint = options.hint ?? ERROR_CODES[code];
    this.span = options.span;
    this.details = options.details;
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}

/** Wraps anything thrown into an EngineError; non-engine errors are bugs. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError('INTERNAL_INVARIANT', `unexpected error: ${message}`, { cause: error });
}

/** Computes line and column (1-based) of an offset in a text. */
export function spanAt(text: string, offset: number, length?: number): SourceSpan {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { offset, line, column, length };
}
