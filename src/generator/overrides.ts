// The overrides file: everything the OpenAPI documents do not say (token audiences, paging in
// a POST body, naming exceptions, …). Read by the generator only, never by the engine.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { MethodSpec, Pagination, ParamSpec, ServerSpec, SqlVerb } from '../registry/types.ts';
import { isJsonObject } from './refs.ts';
import { PARAM_KEYS } from './yaml-out.ts';

export type ParamOverride = Partial<Omit<ParamSpec, 'name' | 'in'>>;
export type FilterPushdown = NonNullable<MethodSpec['filterPushdown']>;

export interface OperationOverride {
  readonly resource?: string;
  readonly method?: string;
  readonly sqlVerb?: SqlVerb;
  /** `null` removes the pagination the spec declares. */
  readonly pagination?: Pagination | null;
  readonly description?: string;
  /** Keyed by the param's SQL name. */
  readonly params?: Readonly<Record<string, ParamOverride>>;
  /** Row column → RunQueryFilter operand, sent in the body array `bodyField` (ADF/Synapse query*). */
  readonly filterPushdown?: FilterPushdown;
  /** The list's time window: its params, and the columns a lower bound on which bounds it. */
  readonly timeWindow?: MethodSpec['timeWindow'];
}

export interface ResourceOverride {
  readonly title?: string;
  readonly description?: string;
}

export interface ServiceOverrides {
  /** The OpenAPI document, relative to the specs root (the generator's input list). */
  readonly spec?: string;
  readonly title?: string;
  readonly description?: string;
  readonly audience?: string;
  readonly server?: ServerSpec;
  /** Resolved `file#pointer` → `file#pointer`, paths relative to the specs root. */
  readonly refRedirects?: Readonly<Record<string, string>>;
  /** Derived resource name → the name to use instead. */
  readonly resourceRenames?: Readonly<Record<string, string>>;
  readonly resources?: Readonly<Record<string, ResourceOverride>>;
  readonly operations?: Readonly<Record<string, OperationOverride>>;
}

export interface ProviderOverrides {
  readonly provider: { readonly name: string; readonly title?: string; readonly description?: string };
  readonly services: Readonly<Record<string, ServiceOverrides>>;
}

// Allowed keys per level; `*` is a map of user-chosen keys whose values follow the next level.
type KeyRules = { readonly [key: string]: KeyRules | true };
/** What an override may say of a param: everything a document says but its identity (name, wire name, place). */
const PARAM: KeyRules = Object.fromEntries(PARAM_KEYS.filter((key) => !['name', 'wireName', 'in'].includes(key)).map((key) => [key, true]));
const OPERATION: KeyRules = {
  resource: true,
  method: true,
  sqlVerb: true,
  pagination: true,
  description: true,
  params: { '*': PARAM },
  filterPushdown: { bodyField: true, columns: { '*': true } },
  timeWindow: { after: true, before: true, columns: true },
};
const SERVICE: KeyRules = {
  spec: true,
  title: true,
  description: true,
  audience: true,
  server: true,
  refRedirects: true,
  resourceRenames: true,
  resources: { '*': { title: true, description: true } },
  operations: { '*': OPERATION },
};
// `x-blocks` holds YAML anchors that the rest of the file reuses.
const ROOT: KeyRules = {
  provider: { name: true, title: true, description: true },
  services: { '*': SERVICE },
  'x-blocks': true,
};

export async function loadOverrides(file: string): Promise<ProviderOverrides> {
  return parseOverrides(await readFile(file, 'utf8'), file);
}

export function parseOverrides(text: string, source: string): ProviderOverrides {
  const parsed: unknown = parse(text);
  checkShape(parsed, ROOT, source, '');
  const overrides = parsed as ProviderOverrides;
  if (typeof overrides.provider?.name !== 'string') throw new Error(`${source}: provider.name is required`);
  for (const [service, entry] of Object.entries(overrides.services ?? {})) {
    for (const [operationId, operation] of Object.entries(entry?.operations ?? {})) {
      if (operation && 'filterPushdown' in operation) checkFilterPushdown(operation.filterPushdown, source, service, operationId);
    }
  }
  return overrides;
}

/** `{ bodyField: <non-empty string>, columns: { <column>: <non-empty string>, … } }` with at least one column. */
function checkFilterPushdown(value: unknown, source: string, service: string, operationId: string): void {
  const fail = (problem: string): never => {
    throw new Error(`${source}: services.${service}.operations.${operationId}.filterPushdown ${problem}`);
  };
  if (!isJsonObject(value)) fail('must be a mapping { bodyField, columns }');
  const { bodyField, columns } = value as Record<string, unknown>;
  if (typeof bodyField !== 'string' || bodyField === '') fail('needs bodyField: the name of a body param');
  if (!isJsonObject(columns) || Object.keys(columns).length === 0) {
    fail('needs columns: a non-empty mapping of row column → filter operand');
  }
  for (const [column, operand] of Object.entries(columns as Record<string, unknown>)) {
    if (typeof operand !== 'string' || operand === '') fail(`column ${column} must map to an operand string`);
  }
}

function checkShape(value: unknown, shape: KeyRules, source: string, path: string): void {
  if (!isJsonObject(value)) throw new Error(`${source}: ${path || 'the document'} must be a mapping`);
  for (const [key, entry] of Object.entries(value)) {
    const rule = shape[key] ?? shape['*'];
    const where = path ? `${path}.${key}` : key;
    if (rule === undefined) throw new Error(`${source}: unknown key ${where}`);
    if (rule !== true && entry !== null) checkShape(entry, rule, source, where);
  }
}
