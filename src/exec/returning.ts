// RETURNING items SQLite computes (plan/returning.ts): the response's rows go into a local table
// typed as a SELECT's, and the clause's query runs over it.

import { localSqlError } from '../plan/local-check.ts';
import type { ReturningQuery, Row } from '../plan/types.ts';
import { ownValue } from '../util/own-property.ts';
import { storedAffinities } from './affinity.ts';
import { createLocalTable, openLocalDatabase, prepareInsert, queryRows, toBindable } from './sqlite.ts';

/** The RETURNING rows over the response's rows (each with every field). */
export function returningRows(returning: ReturningQuery, rows: readonly Row[]): Row[] {
  const { source, query } = returning;
  const db = openLocalDatabase();
  try {
    createLocalTable(db, source.table, source.storedColumns, storedAffinities(source));
    if (rows.length > 0) {
      prepareInsert(db, source.table, source.storedColumns).insert(rows.map((row) => source.storedColumns.map((column) => toBindable(ownValue(row, column)))));
    }
    return queryRows(db.prepare(query.text), query.params).rows;
  } catch (error) {
    throw localSqlError(error, [source]);
  } finally {
    db.close();
  }
}
