// How a request's items become a local table's stored values, column by column: the layout a
// page is read with, on the SQLite path (pageRows) and the paths that compute without it.

import { paramsFromId } from '../plan/id-params.ts';
import type { SqlValue } from '../plan/types.ts';
import type { SourcePlan, SourceRequest } from '../plan/types-select.ts';
import { jsonField } from '../util/own-property.ts';
import { type Affinity, storedAffinities } from './affinity.ts';
import { responseItems, toSqlValue } from './responses.ts';
import { toBindable } from './sqlite.ts';

/**
 * How a request's items become the local table's stored values: by stored column, what it reads —
 * fields (objects as JSON text, booleans 1/0), then params (the request's, the same for a whole
 * page), then parts of the item's id.
 */
export interface RowLayout {
  readonly reads: readonly ColumnRead[];
  readonly fromId: SourcePlan['idColumns'];
}

/**
 * What a stored column reads: a field of the item, a part of its id, or a value of the whole page
 * (a param's); and the column's affinity (affinity.ts), for the paths that compute without SQLite.
 */
export interface ColumnRead {
  readonly field: string | undefined;
  readonly idParam: string | undefined;
  readonly value: SqlValue;
  readonly affinity: Affinity | undefined;
}

/** A source's reads that its plan alone decides: its fields' and its id parts'; and the stored columns' affinities. */
export interface FixedReads {
  readonly fieldReads: readonly ColumnRead[];
  readonly idReads: readonly ColumnRead[];
  readonly affinities: readonly (Affinity | undefined)[];
}

export function fixedReads(source: SourcePlan): FixedReads {
  const affinities = storedAffinities(source);
  // Every read has all four properties: one object shape for the row loops.
  return {
    fieldReads: source.storedFields.map((at, i) => ({ field: source.fields[at].name, idParam: undefined, value: null, affinity: affinities[i] })),
    idReads: (source.idColumns?.columns ?? []).map((column) => ({ field: undefined, idParam: column.param, value: null, affinity: undefined })),
    affinities,
  };
}

/** The layout of one request: the fixed reads, with its params' values between the fields and the id parts. */
export function withParamReads(fixed: FixedReads, source: SourcePlan, request: SourceRequest): RowLayout {
  const reads = [...fixed.fieldReads];
  for (const column of source.paramColumns) {
    reads.push({ field: undefined, idParam: undefined, value: toBindable(request.paramValues[column] ?? null), affinity: undefined });
  }
  for (const read of fixed.idReads) reads.push(read);
  return { reads, fromId: source.idColumns };
}

/** One page's rows as stored values (synchronous: a page costs no extra turn of the event loop). */
export function pageRows(layout: RowLayout, request: SourceRequest, body: unknown): SqlValue[][] {
  const items = responseItems(body, request.request);
  const rows: SqlValue[][] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = (items[i] ?? NO_FIELDS) as Record<string, unknown>;
    const idParams = layout.fromId && idParamsOf(layout.fromId, item);
    const values: SqlValue[] = new Array(layout.reads.length);
    for (let j = 0; j < values.length; j++) values[j] = storedValue(layout.reads[j], item, idParams);
    rows[i] = values;
  }
  return rows;
}

/** The value a stored column holds for an item (pageRows, directRows): a field, a param, or a part of its id. */
export function storedValue(read: ColumnRead, item: Record<string, unknown>, idParams: Record<string, string> | undefined): SqlValue {
  if (read.field !== undefined) return toBindable(toSqlValue(jsonField(item, read.field)));
  return read.idParam !== undefined ? (idParams?.[read.idParam] ?? null) : read.value;
}

/** An item that is not an object reads as one without fields. */
export const NO_FIELDS: Record<string, unknown> = {};

export function idParamsOf(fromId: NonNullable<RowLayout['fromId']>, item: Record<string, unknown>): Record<string, string> | undefined {
  return paramsFromId(jsonField(item, fromId.field), fromId.segments);
}
