// INSERT … SELECT … FROM: the requests for the rows the SELECT returned.

import { checkRequestCount } from './fan-out.ts';
import { applyBinding } from './params.ts';
import { buildRequest } from './request.ts';
import type { InsertTarget, RequestPlan, Row } from './types.ts';

export function insertRequests(target: InsertTarget, columns: readonly string[], rows: readonly Row[]): RequestPlan[] {
  checkRequestCount(rows.length, target.operation, 'the SELECT returned rows for');
  return rows.map((row) => {
    const literals = target.columns.map((_name, i) => target.hostValues.get(i) ?? { kind: 'literal' as const, value: row[columns[i]] ?? null, quoted: typeof row[columns[i]] === 'string', fromData: true as const });
    const params = applyBinding(target.binding, literals, target.context);
    return buildRequest({ service: target.service, method: target.method, operation: target.operation, params }, target.options);
  });
}
