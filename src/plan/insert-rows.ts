// INSERT … SELECT … FROM: the requests for the rows the SELECT returned.

import { applyBinding } from './params.ts';
import { buildRequest } from './request.ts';
import type { InsertTarget, RequestPlan, Row } from './types.ts';

export function insertRequests(target: InsertTarget, columns: readonly string[], rows: readonly Row[]): RequestPlan[] {
  return rows.map((row) => {
    const literals = target.columns.map((_name, i) => ({ kind: 'literal' as const, value: row[columns[i]] ?? null, quoted: typeof row[columns[i]] === 'string' }));
    const params = applyBinding(target.binding, literals, target.context);
    return buildRequest({ service: target.service, method: target.method, operation: target.operation, params }, target.options);
  });
}
