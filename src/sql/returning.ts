// RETURNING of INSERT, REPLACE, UPDATE and DELETE: response fields by name (`RETURNING runId`,
// `RETURNING id AS resource`, `RETURNING *`), or, when an item is more than a field
// (`RETURNING name, json_extract(properties, '$.provisioningState') AS state`), a local query that
// SQLite runs over the response's rows, as StackQL computes such items.

import { LOCAL_TABLE_PREFIX, type Literal, type ReturnedField, type ReturningClause } from './ast.ts';
import type { ConvertContext } from './convert.ts';
import { plainColumnName } from './literals.ts';
import { applyEdits, sqliteNameEdits, topLevelIndex, type Edit } from './normalize.ts';
import { binding, isBindable } from './select.ts';
import type { SqlNode } from './sql-parser.ts';

export function returningClause(returning: SqlNode | null | undefined, context: ConvertContext): ReturningClause | undefined {
  if (!returning) return undefined;
  const items = returning.columns as SqlNode[];
  const fields = items.map(returnedField);
  if (fields.every((field) => field !== undefined)) return { fields: fields as ReturnedField[] };
  return { fields: [], query: returningQuery(context) };
}

/** `*`, or a bare field name with its alias; undefined for anything SQLite must compute. */
function returnedField(item: SqlNode): ReturnedField | undefined {
  if (item.expr?.type === 'star' || (item.expr?.type === 'column_ref' && item.expr.column === '*' && !item.expr.table)) return { column: '*' };
  const column = plainColumnName(item.expr);
  if (!column || column === '*' || item.expr.table) return undefined;
  return typeof item.as === 'string' ? { column, alias: item.as } : { column };
}

/**
 * The clause's own text as a select list over the response table: names as SQLite reads them,
 * placeholders bound (their values are the statement's), other strings kept so that SQLite names
 * an unaliased item after its text, as in a SELECT.
 */
function returningQuery(context: ConvertContext): NonNullable<ReturningClause['query']> {
  const { tokens, script, span } = context;
  const end = span.offset + span.length;
  const clause = tokens.slice(topLevelIndex(tokens, 'RETURNING') + 1).filter((token) => token.end <= end);
  const edits: Edit[] = [];
  const bindings: Literal[] = [];
  // The clause is a select list: its strings stay, its placeholders are bound (as localQuery does).
  for (const token of clause) {
    if (isBindable(token, true)) {
      edits.push({ start: token.offset, end: token.end, replacement: '?' });
      bindings.push(binding(token));
    } else if (token.kind === 'hint') edits.push({ start: token.offset, end: token.end, replacement: ' ' });
  }
  edits.push(...sqliteNameEdits(clause));
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const list = applyEdits(script, clause[0].offset, clause[clause.length - 1].end, edits).text;
  return { text: `SELECT ${list} FROM "${LOCAL_TABLE_PREFIX}0"`, bindings };
}
