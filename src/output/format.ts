// Rows → text. Pure: the CLI decides where the text goes.

import { EngineError } from '../errors.ts';
import type { Row, SqlValue } from '../plan/types.ts';

export type OutputFormat = 'table' | 'json' | 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'jsonl', 'csv'];

export interface Tabular {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

const FORMATTERS: Record<OutputFormat, (result: Tabular) => string> = {
  table: formatTable,
  json: (result) => `${JSON.stringify(result.rows.map((row) => ordered(row, result.columns)), null, 2)}\n`,
  jsonl: formatJsonl,
  csv: formatCsv,
};

export function formatResult(result: Tabular, format: OutputFormat): string {
  const formatter = FORMATTERS[format];
  if (!formatter) throw new EngineError('CFG_INVALID', `unknown output format "${format}"`, { hint: `use one of ${OUTPUT_FORMATS.join(', ')}` });
  return formatter(result);
}

/** Rows whose keys already follow the columns (every row skyql makes) are written as they are. */
function formatJsonl(result: Tabular): string {
  const inOrder = result.rows.length > 0 && sameKeys(result.rows[0], result.columns);
  let text = '';
  for (const row of result.rows) text += `${JSON.stringify(inOrder ? row : ordered(row, result.columns))}\n`;
  return text;
}

function sameKeys(row: Row, columns: readonly string[]): boolean {
  const keys = Object.keys(row);
  return keys.length === columns.length && keys.every((key, i) => key === columns[i]);
}

function ordered(row: Row, columns: readonly string[]): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const column of columns) out[column] = row[column] ?? null;
  return out;
}

function cellText(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  return String(value);
}

function formatTable(result: Tabular): string {
  const header = result.columns;
  const body = result.rows.map((row) => header.map((column) => cellText(row[column]).split(/\r?\n/)));
  const widths = header.map((column, i) => Math.max(column.length, ...body.flatMap((cells) => cells[i].map((line) => line.length))));
  const rule = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const line = (cells: readonly string[]) => `|${cells.map((cell, i) => ` ${cell.padEnd(widths[i])} `).join('|')}|`;
  return [rule, line(header), rule, ...body.flatMap(rowLines).map(line), ...(body.length > 0 ? [rule] : []), ''].join('\n');
}

/** A row whose cells hold several lines becomes several table lines. */
function rowLines(cells: readonly string[][]): string[][] {
  const height = Math.max(...cells.map((lines) => lines.length));
  return Array.from({ length: height }, (_, i) => cells.map((lines) => lines[i] ?? ''));
}

function formatCsv(result: Tabular): string {
  const lines = [result.columns, ...result.rows.map((row) => result.columns.map((column) => csvCell(row[column])))];
  return lines.map((cells) => cells.map(csvQuote).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: SqlValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
