// A plain projection with equality filters over one source, computed from each page's items
// without SQLite (a database and a table cost more than a page of rows), as SQLite would compute it
// over the stored values: the differential tests hold the two together.

import type { Row, SqlValue } from '../plan/types.ts';
import type { DirectPlan, SourcePlan } from '../plan/types-select.ts';
import type { ValueType } from '../registry/types.ts';
import { setOwn } from '../util/own-property.ts';
import { type AffinityConverter, inAffinity } from './affinity.ts';
import { responseItems, toSqlValue } from './responses.ts';
import { type ColumnRead, idParamsOf, NO_FIELDS, type RowLayout, storedValue } from './row-layout.ts';
import type { PageQuery } from './select.ts';

export function directPages(direct: DirectPlan, output: DirectOutput, answers: AffinityConverter): PageQuery {
  return {
    columns: output.columns,
    columnTypes: output.columnTypes,
    rowsOf: (body, layout, request) => directRows(direct, layout, responseItems(body, request.request), answers),
  };
}

/** A plain projection's output columns and their types. */
export interface DirectOutput {
  readonly columns: readonly string[];
  readonly columnTypes: readonly (ValueType | undefined)[];
}

export function directOutput(source: SourcePlan, columns: DirectPlan['columns']): DirectOutput {
  return {
    columns: columns.map((column) => column.name),
    columnTypes: columns.map((column) => source.fields[source.storedFields[column.index]]?.type),
  };
}

/**
 * A plain projection with equality filters, as SQLite would compute it over the stored values
 * (booleans as 1/0), read from the items in one pass through the page's layout: no stored row is
 * made, and a filter on a param, whose value is the page's, is checked once.
 */
function directRows(direct: DirectPlan, layout: RowLayout, items: readonly unknown[], answers: AffinityConverter): Row[] {
  const filters: TypedFilter[] = [];
  for (const filter of direct.filters) {
    const read = layout.reads[filter.index];
    // SQLite compares a column with a literal in the column's affinity (`durationInMs = '30000'`).
    const typed = { read, values: filter.values.map((value) => inAffinity(value, read.affinity, answers)) };
    // A filter on a param holds or fails for the whole page.
    if (readsItem(read)) filters.push(typed);
    else if (!passesFilter(typed, typedValue(read, NO_FIELDS, undefined, answers))) return [];
  }
  const { columns } = direct;
  const readsId = columns.some((column) => layout.reads[column.index].idParam !== undefined) || filters.some((filter) => filter.read.idParam !== undefined);
  // The columns are unique names (directColumns): a param's column, the same for the whole page, is
  // set once in the template every row copies; the loop sets the others.
  const template: Record<string, SqlValue> = {};
  const names: string[] = [];
  const reads: ColumnRead[] = [];
  for (const column of columns) {
    const read = layout.reads[column.index];
    const pageValue = !readsItem(read);
    setOwn(template, column.name, pageValue ? typedValue(read, NO_FIELDS, undefined, answers) : null);
    if (pageValue) continue;
    names.push(column.name);
    reads.push(read);
  }
  const out: Row[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = (items[i] ?? NO_FIELDS) as Record<string, unknown>;
    const idParams = readsId ? idParamsOf(layout.fromId!, item) : undefined;
    if (filters.length > 0 && !passesFilters(filters, item, idParams, answers)) continue;
    // Every column is already an own property of the copy (`__proto__` too): plain assignments.
    const projected: Record<string, SqlValue> = { ...template };
    for (let c = 0; c < reads.length; c++) {
      const read = reads[c];
      projected[names[c]] = read.field === undefined ? typedValue(read, item, idParams, answers) : fieldValue(item[read.field], read, item, answers);
    }
    out.push(projected);
  }
  return out;
}

/**
 * typedValue of a field whose value the item holds, `raw`: text in a TEXT column, a number in a
 * numeric one and an object (as JSON text, always well-formed) in a TEXT column are taken as they
 * are, without the general path's steps; any other value goes through typedValue.
 */
function fieldValue(raw: unknown, read: ColumnRead, item: Record<string, unknown>, answers: AffinityConverter): SqlValue {
  const { affinity } = read;
  const text = affinity === 'TEXT' || affinity === undefined;
  if (typeof raw === 'string') {
    if (text) return raw.isWellFormed() ? raw : raw.toWellFormed();
  } else if (typeof raw === 'number') {
    if (affinity !== 'TEXT' && (Number.isSafeInteger(raw) || !Number.isInteger(raw))) return raw;
  } else if (raw === undefined || raw === null) {
    return null;
  } else if (typeof raw === 'object' && text && raw !== Object.prototype) {
    return toSqlValue(raw);
  }
  return typedValue(read, item, undefined, answers);
}

interface TypedFilter {
  readonly read: ColumnRead;
  readonly values: readonly SqlValue[];
}

/** The value the column holds for the item, as SQLite would have stored it (storedValue, in the column's affinity). */
function typedValue(read: ColumnRead, item: Record<string, unknown>, idParams: Record<string, string> | undefined, answers: AffinityConverter): SqlValue {
  let value = storedValue(read, item, idParams);
  // SQLite holds text as UTF-8: a lone surrogate is U+FFFD there.
  if (typeof value === 'string' && !value.isWellFormed()) value = value.toWellFormed();
  return read.affinity === undefined ? value : inAffinity(value, read.affinity, answers);
}

/** Whether a stored column's value depends on the item (a field or a part of its id), not only on the page. */
function readsItem(read: ColumnRead): boolean {
  return read.field !== undefined || read.idParam !== undefined;
}

function passesFilters(
  filters: readonly TypedFilter[],
  item: Record<string, unknown>,
  idParams: Record<string, string> | undefined,
  answers: AffinityConverter,
): boolean {
  for (const filter of filters) if (!passesFilter(filter, typedValue(filter.read, item, idParams, answers))) return false;
  return true;
}

function passesFilter(filter: TypedFilter, value: SqlValue): boolean {
  return value !== null && filter.values.includes(value);
}
