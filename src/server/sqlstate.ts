// skyql's error codes as PostgreSQL SQLSTATEs, in one table (README.md shows it). Clients decide
// on the class (the first two characters): 08 would make a pool drop a healthy connection and 28
// means "your login failed", so errors of Azure's side use 58 (external system) and 42501.

import type { EngineError, ErrorCode } from '../errors.ts';

export const SQLSTATE: Readonly<Record<ErrorCode, string>> = {
  SQL_SYNTAX: '42601', // syntax_error
  SQL_UNSUPPORTED: '0A000', // feature_not_supported
  SQL_EMPTY: '42601', // syntax_error
  SQL_LOCAL: '42000', // syntax_error_or_access_rule_violation
  SQL_LOCAL_CANCELLED: '57014', // query_canceled
  TPL_MISSING_VAR: '42P02', // undefined_parameter
  TPL_INVALID: '42601', // syntax_error
  REG_UNKNOWN_PROVIDER: '3F000', // invalid_schema_name
  REG_UNKNOWN_SERVICE: '3F000', // invalid_schema_name
  REG_UNKNOWN_RESOURCE: '42P01', // undefined_table
  REG_UNKNOWN_METHOD: '42883', // undefined_function
  REG_INVALID: 'XX000', // internal_error
  REG_SPEC_LIMIT: '54000', // program_limit_exceeded
  REG_NOT_PULLED: '3F000', // invalid_schema_name: the provider is not there yet
  REG_PULL_FAILED: '58000', // system_error: the registry did not give it
  PLAN_VERB_UNSUPPORTED: '0A000', // feature_not_supported
  PLAN_NO_MATCHING_METHOD: '42883', // undefined_function
  PLAN_MISSING_PARAM: '22023', // invalid_parameter_value
  PLAN_UNKNOWN_PARAM: '42703', // undefined_column
  PLAN_DUPLICATE_PARAM: '42701', // duplicate_column
  PLAN_DUPLICATE_COLUMN: '42701', // duplicate_column
  PLAN_INVALID_VALUE: '22023', // invalid_parameter_value
  PLAN_INVALID_JSON: '22P02', // invalid_text_representation
  PLAN_UNKNOWN_COLUMN: '42703', // undefined_column
  PLAN_INSECURE_URL: '42501', // insufficient_privilege
  PLAN_TIME_WINDOW: '22023', // invalid_parameter_value
  PLAN_FAN_OUT_LIMIT: '54000', // program_limit_exceeded
  PLAN_NOT_FROM_ENGINE: '26000', // invalid_sql_statement_name: as an unknown prepared statement
  REG_CONFLICT: '42710', // duplicate_object
  HTTP_STATUS: '58000', // system_error (refined by the HTTP status below)
  HTTP_NETWORK: '58030', // io_error
  HTTP_TIMEOUT: '58030', // io_error
  HTTP_UNTRUSTED_NEXT_LINK: '42501', // insufficient_privilege
  HTTP_BAD_RESPONSE: '58000', // system_error
  HTTP_RESPONSE_TOO_LARGE: '54000', // program_limit_exceeded
  HTTP_PAGING_LOOP: '58000', // system_error
  HTTP_ABORTED: '57014', // query_canceled
  LRO_FAILED: '58000', // system_error
  LRO_STOPPED: '57014', // query_canceled
  AUTH_NO_CREDENTIAL: '28000', // invalid_authorization_specification
  AUTH_FAILED: '28000', // invalid_authorization_specification
  AUTH_UNTRUSTED_HOST: '42501', // insufficient_privilege
  CFG_INVALID: '22023', // invalid_parameter_value
  CFG_FILE: '58030', // io_error
  SERVER_READ_ONLY: '25006', // read_only_sql_transaction
  OUTPUT_WRITE_FAILED: '58030', // io_error
  INTERNAL_INVARIANT: 'XX000', // internal_error
};

/** Azure's refusals by HTTP status: the client's mistake, a permission, a missing thing, a limit. */
const HTTP_STATUS_SQLSTATE: Readonly<Record<number, string>> = {
  400: '22023', // invalid_parameter_value
  401: '42501', // insufficient_privilege
  403: '42501', // insufficient_privilege
  404: '42704', // undefined_object
  409: '55000', // object_not_in_prerequisite_state
  412: '55000', // object_not_in_prerequisite_state
  429: '53400', // configuration_limit_exceeded (a rate limit)
};

/** The server's own conditions (not skyql errors). */
export const SERVER_SQLSTATE = {
  tooManyConnections: '53300',
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  adminShutdown: '57P01',
  protocolViolation: '08P01',
  queryCanceled: '57014',
  featureNotSupported: '0A000',
  undefinedStatement: '26000',
  undefinedPortal: '34000',
  undefinedParameter: '42704',
  invalidTextRepresentation: '22P02',
} as const;

export function sqlstateOf(error: EngineError): string {
  const status = error.details?.status;
  if (error.code === 'HTTP_STATUS' && typeof status === 'number') return HTTP_STATUS_SQLSTATE[status] ?? SQLSTATE.HTTP_STATUS;
  return SQLSTATE[error.code];
}
