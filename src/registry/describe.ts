// What the registry says about names, for people and programs: the child names of a dotted path
// (the shell completes with them) and a resource's columns and methods (types for library callers).

import { parseQualifiedName } from '../sql/parse.ts';
import type { Registry } from './load.ts';
import { resolveResource } from './resolve.ts';
import { isUserRequired } from './param-order.ts';
import type { ResourceSpec, SqlVerb, ValueType } from './types.ts';

export interface ColumnDescription {
  readonly name: string;
  readonly type: ValueType;
  readonly description?: string;
}

export interface MethodDescription {
  readonly name: string;
  readonly verb: SqlVerb;
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

export interface ResourceDescription {
  /** provider.service.resource */
  readonly id: string;
  /** The fields a SELECT returns (every SELECT method's, first seen first); object and array columns hold JSON text. */
  readonly columns: readonly ColumnDescription[];
  readonly methods: readonly MethodDescription[];
}

/** Providers (''), a provider's services, a service's resources, a resource's methods; [] for an unknown path. */
export function childNames(registry: Registry, parent: string): string[] {
  const parts = parent === '' ? [] : parent.split('.');
  if (parts.length === 0) return registry.providerNames();
  const provider = registry.provider(parts[0]);
  if (!provider) return [];
  if (parts.length === 1) return Object.keys(provider.services).sort();
  const service = provider.services[parts[1]] ? registry.service(provider.name, parts[1]) : undefined;
  if (!service) return [];
  if (parts.length === 2) return Object.keys(service.resources).sort();
  const resource = service.resources[parts[2]];
  return parts.length === 3 && resource ? Object.keys(resource.methods).sort() : [];
}

export function describeResource(registry: Registry, name: string): ResourceDescription {
  const { resource } = resolveResource(registry, parseQualifiedName(name), name);
  return {
    id: resource.id,
    columns: columnsOf(resource),
    methods: Object.values(resource.methods).map((method) => ({
      name: method.name,
      verb: method.sqlVerb,
      required: method.params.filter(isUserRequired).map((param) => param.name),
      optional: method.params.filter((param) => !isUserRequired(param)).map((param) => param.name),
    })),
  };
}

function columnsOf(resource: ResourceSpec): ColumnDescription[] {
  const byName = new Map<string, ColumnDescription>();
  for (const method of Object.values(resource.methods)) {
    if (method.sqlVerb !== 'select') continue;
    for (const field of method.response.fields) {
      if (!byName.has(field.name)) byName.set(field.name, { name: field.name, type: field.type, ...(field.description && { description: field.description }) });
    }
  }
  return [...byName.values()];
}

/** The value a column of a registry type holds in a row: objects and arrays are JSON text, SELECT's booleans 1/0. */
export type ColumnValue<T extends ValueType> = T extends 'integer' | 'number' ? number : T extends 'boolean' ? number | boolean : string;

/**
 * A row type from columns as `engine.describe(resource).columns` lists them, kept `as const`:
 * `const columns = [{ name: 'name', type: 'string' }, { name: 'tags', type: 'object' }] as const;
 * type Factory = RowOf<typeof columns>; engine.query<Factory>(…)`. Every column may be NULL.
 */
export type RowOf<C extends readonly { readonly name: string; readonly type: ValueType }[]> = {
  readonly [K in C[number] as K['name']]: ColumnValue<K['type']> | null;
};
