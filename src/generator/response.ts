// A method's response: success codes, and the fields of a row (of each item, for a list).
import type { ResponseSpec } from '../registry/types.ts';
import type { RawOperation } from './openapi.ts';
import type { RefResolver } from './refs.ts';
import { child } from './refs.ts';
import { fieldsOf, listItemSchema, valueTypeOf } from './schema.ts';

/** `itemName` is the list property of a list response: x-ms-pageable's itemName, else `value`. */
export function buildResponse(operation: RawOperation, refs: RefResolver, itemName: string): ResponseSpec {
  checkErrorSchemas(operation, refs);
  const successes = operation.responses.filter((response) => /^2\d\d$/.test(response.code)).sort((a, b) => Number(a.code) - Number(b.code));
  const statusCodes = successes.map((response) => Number(response.code));
  const schema = successes.find((response) => response.schema)?.schema;
  if (!schema) return { statusCodes, fields: [] };
  const items = listItemSchema(schema, refs, itemName);
  if (items) return { statusCodes, itemsPath: itemName, fields: fieldsOf(items, refs) };
  const target = refs.deref(schema);
  const arrayItems = target && valueTypeOf(target, refs) === 'array' ? child(target, 'items') : undefined;
  return { statusCodes, fields: fieldsOf(arrayItems ?? schema, refs) };
}

// Error bodies are not part of the registry, but a broken error-schema ref is still worth a
// warning (Synapse's CloudError, fixed by a redirect in overrides.yaml).
function checkErrorSchemas(operation: RawOperation, refs: RefResolver): void {
  for (const response of operation.responses) {
    if (response.schema && !/^[23]\d\d$/.test(response.code)) refs.deref(response.schema);
  }
}
