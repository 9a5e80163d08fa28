// Which response fields become result columns (SELECT items, RETURNING).

import { EngineError, spanAt } from '../errors.ts';
import type { ReturningClause, Span } from '../sql/ast.ts';

interface SelectItem {
  readonly column: string;
  readonly alias?: string;
}
import type { FieldSpec, MethodSpec } from '../registry/types.ts';
import { didYouMean } from '../util/suggest.ts';
import type { Projection } from './types.ts';
import { sameName } from '../util/same-name.ts';
import { mapPacked } from '../util/arrays.ts';
import { uniqueColumnNames } from '../util/column-names.ts';

export function projectFields(fields: readonly FieldSpec[], items?: readonly SelectItem[], operation?: string, script?: string, span?: Span): Projection[] {
  if (!items) return mapPacked(fields, (field) => ({ source: field.name, name: field.name }));
  const projection = mapPacked(items, (item) => {
    const field = findField(fields, item.column);
    if (!field) throw unknownColumn(fields, item.column, operation ?? '', script, span);
    return { source: field.name, name: item.alias ?? field.name };
  });
  const written = projection.map((column) => column.name);
  const names = uniqueColumnNames(written);
  return names === written ? projection : mapPacked(projection, (column, i) => ({ ...column, name: names[i] }));
}

/**
 * The response fields RETURNING returns (`*` in place: every field), under their output names;
 * every field when SQLite computes the clause (ReturningClause.query), as its table's rows.
 */
export function returningProjection(method: MethodSpec, operation: string, returning: ReturningClause | undefined, script: string): Projection[] {
  if (!returning) return [];
  const fields = method.response.fields;
  if (fields.length === 0) {
    throw new EngineError('PLAN_UNKNOWN_COLUMN', `${operation} returns no body, so RETURNING has no columns`, { hint: 'remove RETURNING' });
  }
  if (returning.query || (returning.fields.length === 1 && returning.fields[0].column === '*')) return projectFields(fields);
  const items = returning.fields.flatMap((item) => (item.column === '*' ? fields.map((field) => ({ column: field.name })) : [item]));
  return projectFields(fields, items, operation, script);
}

function findField(fields: readonly FieldSpec[], name: string): FieldSpec | undefined {
  return fields.find((field) => field.name === name) ?? fields.find((field) => sameName(field.name, name));
}

function unknownColumn(fields: readonly FieldSpec[], column: string, operation: string, script?: string, span?: Span): EngineError {
  const names = fields.map((field) => field.name);
  return new EngineError('PLAN_UNKNOWN_COLUMN', `${operation} returns no column "${column}"`, {
    hint: [didYouMean(column, names), `columns: ${names.join(', ')}`].filter(Boolean).join('; '),
    span: script && span ? spanAt(script, span.offset, span.length) : undefined,
  });
}
