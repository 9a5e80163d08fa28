// INSERT … SELECT … FROM: the requests for the rows the SELECT returned.

import { checkRequestCount } from './fan-out.ts';
import type { RequestFactory } from './templates.ts';
import type { InsertTarget, RequestPlan, Row } from './types.ts';

export function insertRequests(target: InsertTarget, columns: readonly string[], rows: readonly Row[], requests: RequestFactory): RequestPlan[] {
  checkRequestCount(rows.length, target.template.operation, 'the SELECT returned rows for');
  return rows.map((row) =>
    requests.fromTemplate(
      target.template,
      target.params.flatMap((param, i) => (target.fromStatement.includes(i) ? [] : [{ param, value: row[columns[i]] ?? null }])),
    ),
  );
}
