// A StackQL method's response: the status its `openAPIDocKey` names, the rows under its
// `objectKey` (a JSONPath such as `$.value`), reshaped as its transform says, and the fields of a
// row from the response schema.

import type { RawOperation } from '../../generator/openapi.ts';
import { child, isJsonObject, type Located, type RefResolver } from '../../generator/refs.ts';
import { fieldsOf, objectProperties, valueTypeOf } from '../../generator/schema.ts';
import type { FieldSpec, ResponseSpec } from '../types.ts';
import { recogniseTransform, wrappedList } from './transform.ts';

export interface StackqlResponse {
  readonly spec: ResponseSpec;
  /** The schema of the response body as the server sends it (before any transform). */
  readonly bodySchema?: Located;
}

export function responseOf(operation: RawOperation, raw: unknown, refs: RefResolver, warnings: string[], where: string): StackqlResponse {
  const config = isJsonObject(raw) ? raw : {};
  const successes = operation.responses.filter((response) => /^2\d\d$/.test(response.code)).sort((a, b) => Number(a.code) - Number(b.code));
  const docKey = String(config.openAPIDocKey ?? successes[0]?.code ?? '200');
  const statusCodes = successes.length > 0 ? successes.map((response) => Number(response.code)) : [Number(docKey) || 200];
  const bodySchema = operation.responses.find((response) => response.code === docKey)?.schema ?? successes.find((response) => response.schema)?.schema;
  const { transform, unknown } = recogniseTransform(config.transform);
  if (unknown) warnings.push(`${where}: its response transform is not one skyql knows; rows keep the response's own shape`);
  if (transform?.kind === 'wrap') {
    const list = transform.each ? wrappedList(config.transform) : undefined;
    const wrapped = transform.each ? itemSchema(list === undefined ? bodySchema : at(bodySchema, list, refs), refs) : bodySchema;
    const field: FieldSpec = { name: transform.field, type: wrapped ? valueTypeOf(refs.deref(wrapped), refs) : 'object' };
    return { spec: { statusCodes, ...(list !== undefined && { itemsPath: list }), fields: [field], rowTransform: transform }, bodySchema };
  }
  const itemsPath = objectKeyPath(config.objectKey, warnings, where);
  const items = itemsPath === undefined ? bodySchema : at(bodySchema, itemsPath, refs);
  const row = itemSchema(items, refs) ?? items;
  const fields = row ? rowFields(row, refs, transform?.kind === 'hoist' ? transform.property : undefined) : [];
  return { spec: { statusCodes, ...(itemsPath !== undefined && { itemsPath }), fields, ...(transform && { rowTransform: transform }) }, bodySchema };
}

/** `$.value` → `value`, `$.data.nodes` → `data.nodes`; other JSONPath forms are not followed. */
function objectKeyPath(objectKey: unknown, warnings: string[], where: string): string | undefined {
  if (typeof objectKey !== 'string' || objectKey === '' || objectKey === '$') return undefined;
  if (/^\$(\.[A-Za-z_@][A-Za-z0-9_@-]*)+$/.test(objectKey)) return objectKey.slice(2);
  warnings.push(`${where}: objectKey ${JSON.stringify(objectKey.slice(0, 80))} is not a plain $.a.b path; rows are the whole response`);
  return undefined;
}

/** The schema at a dotted path of properties. */
function at(schema: Located | undefined, path: string, refs: RefResolver): Located | undefined {
  let node = schema;
  for (const key of path.split('.')) {
    node = node && objectProperties(node, refs).find((property) => property.name === key)?.schema;
  }
  return node;
}

/** The item schema of an array schema. */
function itemSchema(schema: Located | undefined, refs: RefResolver): Located | undefined {
  const target = schema && refs.deref(schema);
  return target && valueTypeOf(target, refs) === 'array' ? child(target, 'items') : undefined;
}

/**
 * A row's fields; a hoisted object's fields come first, the row's own win (as at run time). The
 * hoisted object stays a column too: StackQL's rows keep it, and statements read it
 * (`JSON_EXTRACT(properties, '$.addressSpace')`) though the flattened schemas leave it out.
 */
function rowFields(row: Located, refs: RefResolver, hoisted: string | undefined): FieldSpec[] {
  const own = fieldsOf(row, refs);
  if (hoisted === undefined) return own;
  const inner = objectProperties(row, refs).find((property) => property.name === hoisted);
  const names = new Set(own.map((field) => field.name));
  const lifted = inner ? fieldsOf(inner.schema, refs).filter((field) => !names.has(field.name)) : [];
  const kept: FieldSpec[] = names.has(hoisted) ? [] : [{ name: hoisted, type: 'object' }];
  return [...lifted, ...own, ...kept];
}

/** The name of the next-page link property a list response declares beside its items (ARM's `nextLink`). */
export function declaredNextLink(bodySchema: Located | undefined, refs: RefResolver): string | undefined {
  if (!bodySchema) return undefined;
  const names = objectProperties(bodySchema, refs).map((property) => property.name);
  return ['nextLink', '@odata.nextLink'].find((name) => names.includes(name));
}
