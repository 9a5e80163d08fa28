// RETURNING items SQLite computes (sql/returning.ts): the response's rows become a local table of
// every field, typed as a SELECT's are, and the clause is checked over it now, before anything is
// sent (an unknown column or a SQL error is a coded error here, not after the request).

import type { MethodSpec } from '../registry/types.ts';
import { LOCAL_TABLE_PREFIX, type ReturningClause } from '../sql/ast.ts';
import { uniqueColumnNames } from '../util/column-names.ts';
import { localColumnNames } from './local-check.ts';
import type { PlanOptions, ReturningQuery } from './types.ts';
import type { SourcePlan } from './types-select.ts';
import { literalValue, toSqlParam } from './values.ts';

export function returningQuery(
  method: MethodSpec,
  operation: string,
  returning: ReturningClause | undefined,
  options: PlanOptions,
): ReturningQuery | undefined {
  if (!returning?.query) return undefined;
  // returningProjection, planned first, has refused a method whose response has no fields.
  const fields = method.response.fields;
  const names = fields.map((field) => field.name);
  const source: SourcePlan = {
    table: `${LOCAL_TABLE_PREFIX}0`,
    operation,
    fields,
    columns: names,
    storedColumns: names,
    storedFields: fields.map((_, i) => i),
    paramColumns: [],
    requests: [],
  };
  const { text, bindings } = returning.query;
  const columns = uniqueColumnNames(localColumnNames(options.checker, text, [source]));
  return { source, query: { text, params: bindings.map((binding) => toSqlParam(literalValue(binding, options.vars))) }, columns };
}
