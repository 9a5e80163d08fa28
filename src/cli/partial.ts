// A statement of several requests that stopped part way: what each request did, so the user can
// tell what to run again. RETURNING rows of the requests that succeeded still go to stdout.

import type { PartialOutcome } from '../exec/execute.ts';
import type { EngineError } from '../errors.ts';
import { formatResult, type OutputFormat } from '../output/format.ts';
import type { Row } from '../plan/types.ts';

/** Fields that identify what an action made, shown when the statement has no RETURNING. */
const IDENTIFYING_FIELDS = ['runId', 'id', 'name'];

export function partialOf(error: EngineError): PartialOutcome | undefined {
  const partial = error.details?.partial as PartialOutcome | undefined;
  return partial && Array.isArray(partial.requests) ? partial : undefined;
}

/** The RETURNING rows of the requests that succeeded, as the statement would have printed them. */
export function partialRows(partial: PartialOutcome, output: OutputFormat, terminal?: boolean): string {
  return partial.columns.length > 0 && partial.rows.length > 0 ? formatResult({ columns: partial.columns, rows: partial.rows }, output, { terminal }) : '';
}

/** One line per request: its number, what happened, the request, and what it returned. */
export function partialReport(partial: PartialOutcome): string {
  const width = Math.max(...partial.requests.map((request) => request.outcome.length));
  const lines = partial.requests.map((request) => {
    const returned = request.rows?.map(identifying).filter(Boolean).join('; ');
    return `    ${String(request.number).padStart(String(partial.total).length)} ${request.outcome.padEnd(width)}  ${request.method} ${request.url}${returned ? `  ${returned}` : ''}`;
  });
  return `  requests: ${partial.succeeded} of ${partial.total} succeeded\n${lines.join('\n')}\n`;
}

function identifying(row: Row): string {
  const field = IDENTIFYING_FIELDS.find((name) => row[name] !== undefined && row[name] !== null);
  return field ? `${field}=${String(row[field])}` : '';
}
