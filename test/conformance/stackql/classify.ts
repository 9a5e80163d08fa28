// What skyql does with one corpus statement, compared with what StackQL does: the request it
// plans (method, path and query, against stackql-methods.json where the oracle covers the method,
// else the method the statement's documentation names), the answer it gives from the registry, or
// the error it raises, sorted into named categories.

import type { Engine } from '../../../src/engine.ts';
import { isEngineError } from '../../../src/errors.ts';
import { plannedRequests } from '../../../src/output/dry-run.ts';
import type { RequestPlan } from '../../../src/plan/types.ts';
import { oracleMethod, type CorpusEntry, type Oracle, type OracleMethod, type Vintage } from './corpus.ts';

export type Outcome =
  /** Planned, and every request the oracle covers is StackQL's (method, path, query). */
  | { readonly kind: 'same'; readonly compared: number }
  /** Planned; no request is one the oracle covers, and the methods are those the statement's docs name. */
  | { readonly kind: 'planned' }
  /** Answered from the registry (SHOW, DESCRIBE, REGISTRY). */
  | { readonly kind: 'answered' }
  /** Planned, but a request is not the one StackQL sends. */
  | { readonly kind: 'different'; readonly why: string }
  | { readonly kind: 'failed'; readonly code: string; readonly category: string; readonly message: string };

export function classify(engine: Engine, entry: CorpusEntry, oracle: Oracle, vintage: Vintage): Outcome {
  let planned: ReturnType<Engine['plan']>;
  try {
    planned = engine.plan(entry.sql, { vars: entry.vars });
  } catch (error) {
    const code = isEngineError(error) ? error.code : 'INTERNAL';
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', code, category: categoryOf(code, entry, message, isEngineError(error) ? error.details : {}), message };
  }
  const plans = planned.map((statement) => statement.plan);
  if (plans.every((plan) => plan.kind === 'local' || plan.kind.startsWith('registry_'))) return { kind: 'answered' };
  const requests = plans.flatMap((plan) => plannedRequests(plan));
  let compared = 0;
  for (const request of requests) {
    const [, service, resource, method] = request.operation.split('.');
    if (entry.method && entry.resource === resource && entry.service === service && method !== entry.method) {
      return { kind: 'different', why: `${request.operation}: StackQL's docs run ${entry.method} for this statement` };
    }
    const expected = oracleMethod(oracle, vintage, service, resource, method);
    if (!expected) continue;
    const why = difference(request, expected);
    if (why) return { kind: 'different', why: `${request.operation}: ${why}` };
    compared++;
  }
  return compared > 0 ? { kind: 'same', compared } : { kind: 'planned' };
}

/** How a planned request differs from StackQL's: verb, path (values in its placeholders) and fixed query. */
export function difference(request: RequestPlan, expected: OracleMethod): string | undefined {
  if (request.method !== expected.verb) return `sends ${request.method}, StackQL sends ${expected.verb}`;
  const url = new URL(request.url);
  const template = expected.path.replace(/\/+$/, '');
  // A path value may hold slashes (an ARM scope, inserted as a path, as StackQL inserts it).
  const pattern = new RegExp(
    `${template
      .split(/\{[^}]+\}/)
      .map(escapeRegExp)
      .join('.+?')}$`,
  );
  const path = url.pathname.replace(/\/+$/, '');
  if (!pattern.test(path)) return `sends ${path}, StackQL sends ${expected.path}`;
  for (const [name, value] of Object.entries(expected.fixedQuery)) {
    if (url.searchParams.get(name) !== value) return `sends ${name}=${url.searchParams.get(name)}, StackQL sends ${name}=${value}`;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CLOUD_PROVIDERS = new Set(['azure', 'github', 'google', 'aws', 'okta', 'snowflake', 'googleadmin']);

/** The name of the category a failure belongs to. */
export function categoryOf(code: string, entry: CorpusEntry, message: string, details: Readonly<Record<string, unknown>> = {}): string {
  const missingProvider = code === 'REG_NOT_PULLED' || code === 'REG_UNKNOWN_PROVIDER' ? String(details.provider ?? '') : '';
  if (entry.provider !== null && !CLOUD_PROVIDERS.has(entry.provider)) return 'not a provider resource: StackQL views, materialized views and export tables';
  if (entry.provider !== null && entry.provider !== 'azure' && entry.provider !== 'github')
    return `provider not in the registry: ${entry.provider} (no StackQL registry of it in ../shared)`;
  if (missingProvider === 'github' || missingProvider === 'azure') return `provider not in this vintage's registry: ${missingProvider}`;
  if (missingProvider) {
    return CLOUD_PROVIDERS.has(missingProvider)
      ? `provider not in the registry: ${missingProvider} (no StackQL registry of it in ../shared)`
      : 'not a provider resource: StackQL views, materialized views and export tables';
  }
  if ((code === 'REG_UNKNOWN_RESOURCE' && /^no (materialized )?view named/.test(message)) || (code === 'SQL_LOCAL' && /no such table/.test(message)))
    return 'a view another statement of its doc page or test makes (alone, the statement names no view)';
  if (code.startsWith('SQL_') || code.startsWith('TPL_')) return sqlForm(code, entry.sql, message);
  if (code === 'PLAN_MISSING_PARAM' && details.inBody === true)
    return 'a required request-body field the statement does not give: StackQL sends the request without it, skyql refuses before sending';
  if (code === 'PLAN_INVALID_JSON' && message.startsWith('@@json'))
    return '@@json that is not JSON once its placeholders are filled (an object value placed inside quotes)';
  if (code === 'PLAN_NO_MATCHING_METHOD' && /\bON\b[\s\S]*split_part\s*\(/i.test(entry.sql))
    return 'SQL form: a join whose ON gives params through functions (split_part(…))';
  if (code === 'PLAN_INVALID_JSON' || code === 'PLAN_INVALID_VALUE')
    return 'a value the provider document refuses (the corpus gives "example" for an object or enum field): refused before sending';
  if (code === 'PLAN_UNKNOWN_COLUMN') return 'a column the provider document does not return';
  if (code === 'REG_UNKNOWN_RESOURCE' || code === 'REG_UNKNOWN_METHOD' || code === 'REG_UNKNOWN_SERVICE')
    return 'a name the pulled registry vintage does not have';
  return code;
}

/** Statement forms the SQL-forms work adds (another engineer's part), by what they are. */
function sqlForm(code: string, sql: string, message: string): string {
  const text = sql.toUpperCase();
  if (/\b(CREATE|DROP|REFRESH)\s+(MATERIALIZED\s+)?VIEW\b/.test(text) || /no such table/i.test(message))
    return 'SQL form: views and materialized views (CREATE, DROP, REFRESH, SELECT FROM)';
  if (/<<<JSONNET/.test(text) || /\{\{\s*(\.|range|[A-Za-z_]+\[)/.test(sql))
    return 'SQL form: jsonnet blocks and Go-template placeholders ({{ .x }}, {{range}})';
  if (/SHOW\s+(EXTENDED\s+)?VERSION/.test(text)) return 'SQL form: SHOW [EXTENDED] VERSION';
  if (/no such function/i.test(message)) return `SQL form: StackQL's functions (${/no such function: (\w+)/i.exec(message)?.[1]?.toLowerCase()}, …)`;
  if (/^\s*(--[^\n]*\n\s*)*REPLACE\s+\S+\s+SET\b/.test(text) || /SET takes column = value/.test(message))
    return 'SQL form: REPLACE … SET, and SET to an expression';
  return `SQL form not supported yet (${code})`;
}
