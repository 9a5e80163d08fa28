// What the registry needs to know about a JSON schema: its value type and rules, and the
// top-level properties of an object schema after `allOf` merging.
import { EngineError } from '../errors.ts';
import type { FieldSpec, ValueRules, ValueType } from '../registry/types.ts';
import { child, isJsonObject } from './refs.ts';
import type { Located, RefResolver } from './refs.ts';

export interface SchemaFacts extends ValueRules {
  readonly type: ValueType;
  readonly description?: string;
  readonly readOnly: boolean;
  /** x-ms-client-name: the SDK's name for the value; the wire name never changes. */
  readonly clientName?: string;
  readonly default?: string | number | boolean;
}

export interface PropertyInfo {
  readonly name: string;
  readonly schema: Located;
  readonly required: boolean;
}

const VALUE_TYPES: readonly string[] = ['string', 'integer', 'number', 'boolean', 'object', 'array'];
/** allOf nesting followed; real specs nest a few levels, a hostile one could nest until the stack overflows. */
const MAX_ALLOF_DEPTH = 32;

/**
 * Facts about a schema, or about an OpenAPI 2 non-body parameter (which carries the same
 * keywords). Keywords written beside a `$ref` (description, readOnly) win over the target's.
 */
export function schemaFacts(located: Located, refs: RefResolver): SchemaFacts {
  const target = refs.deref(located);
  const own = located.node;
  const pick = (key: string): unknown => own[key] ?? target?.node[key];
  return withoutUndefined({
    type: valueTypeOf(target, refs),
    description: stringOrUndefined(pick('description'))?.trim(),
    readOnly: pick('readOnly') === true,
    clientName: stringOrUndefined(pick('x-ms-client-name')),
    pattern: stringOrUndefined(pick('pattern')),
    minLength: numberOrUndefined(pick('minLength')),
    maxLength: numberOrUndefined(pick('maxLength')),
    minimum: numberOrUndefined(pick('minimum')),
    maximum: numberOrUndefined(pick('maximum')),
    enum: enumOrUndefined(pick('enum')),
    format: stringOrUndefined(pick('format')),
    default: scalarOrUndefined(pick('default')),
  });
}

/** The JSON value type of a schema; anything unknown or unresolved is an opaque `object`. */
export function valueTypeOf(target: Located | undefined, refs: RefResolver): ValueType {
  return typeThroughAllOf(target, refs, 0, new Set());
}

/** `visited`: an allOf that includes itself, directly or not, adds nothing the second time. */
function typeThroughAllOf(target: Located | undefined, refs: RefResolver, depth: number, visited: Set<string>): ValueType {
  if (!target) return 'object';
  const declared = declaredType(target.node.type);
  if (declared) return declared;
  const key = `${target.file}#${target.pointer}`;
  if (visited.has(key)) return 'object';
  visited.add(key);
  for (let i = 0; Array.isArray(target.node.allOf) && i < target.node.allOf.length; i++) {
    const member = child(target, 'allOf', i);
    if (!member) continue;
    checkAllOfDepth(depth, target);
    const memberType = typeThroughAllOf(refs.deref(member), refs, depth + 1, visited);
    if (memberType !== 'object') return memberType;
  }
  if (Array.isArray(target.node.enum)) return typeof target.node.enum[0] === 'number' ? 'number' : 'string';
  return 'object';
}

function checkAllOfDepth(depth: number, at: Located): void {
  if (depth >= MAX_ALLOF_DEPTH) throw new EngineError('REG_SPEC_LIMIT', `${at.file}#${at.pointer}: allOf nested deeper than ${MAX_ALLOF_DEPTH} levels`);
}

/** Top-level properties after `allOf` merging, parents first; [] when none are declared. */
export function objectProperties(schema: Located, refs: RefResolver): PropertyInfo[] {
  const properties = new Map<string, Located>();
  const required = new Set<string>();
  collectProperties(schema, refs, { properties, required, visited: new Set() }, 0);
  return [...properties].map(([name, located]) => ({ name, schema: located, required: required.has(name) }));
}

/** The item schema of a list response: the array property `itemName` (ARM's `value`). */
export function listItemSchema(schema: Located, refs: RefResolver, itemName: string): Located | undefined {
  const list = objectProperties(schema, refs).find((property) => property.name === itemName);
  const array = list && refs.deref(list.schema);
  return array && valueTypeOf(array, refs) === 'array' ? child(array, 'items') : undefined;
}

export function fieldsOf(schema: Located, refs: RefResolver): FieldSpec[] {
  return objectProperties(schema, refs).map((property) => {
    const facts = schemaFacts(property.schema, refs);
    return withoutUndefined({
      name: property.name,
      type: facts.type,
      format: facts.format,
      description: facts.description,
    });
  });
}

interface Collected {
  readonly properties: Map<string, Located>;
  readonly required: Set<string>;
  readonly visited: Set<string>;
}

function collectProperties(schema: Located, refs: RefResolver, collected: Collected, depth: number): void {
  const { properties, required, visited } = collected;
  const target = refs.deref(schema);
  if (!target || visited.has(`${target.file}#${target.pointer}`)) return;
  visited.add(`${target.file}#${target.pointer}`);
  const allOf = Array.isArray(target.node.allOf) ? target.node.allOf : [];
  for (let i = 0; i < allOf.length; i++) {
    const member = child(target, 'allOf', i);
    if (!member) continue;
    checkAllOfDepth(depth, target);
    collectProperties(member, refs, collected, depth + 1);
  }
  const own = isJsonObject(target.node.properties) ? Object.keys(target.node.properties) : [];
  for (const name of own) {
    const located = child(target, 'properties', name);
    if (located) properties.set(name, located);
  }
  for (const name of Array.isArray(target.node.required) ? target.node.required : []) {
    if (typeof name === 'string') required.add(name);
  }
}

function declaredType(type: unknown): ValueType | undefined {
  const name = Array.isArray(type) ? type.find((entry) => entry !== 'null') : type;
  if (typeof name !== 'string') return undefined;
  if (name === 'file') return 'string';
  return VALUE_TYPES.includes(name) ? (name as ValueType) : 'object';
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function scalarOrUndefined(value: unknown): string | number | boolean | undefined {
  return ['string', 'number', 'boolean'].includes(typeof value) ? (value as string | number | boolean) : undefined;
}

function enumOrUndefined(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((entry) => entry !== null).map(String) : undefined;
}
