// Rows → text. Pure: the CLI decides where the text goes.

import { EngineError } from '../errors.ts';
import type { Row, SqlValue } from '../plan/types.ts';
import { escapeControls } from './escape.ts';

export type OutputFormat = 'table' | 'json' | 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'jsonl', 'csv'];

export interface Tabular {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export interface FormatOptions {
  /** The text goes to a terminal: json, jsonl and csv escape control characters too (a table always does). */
  readonly terminal?: boolean;
}

const FORMATTERS: Record<OutputFormat, (result: Tabular, terminal: boolean) => string> = {
  table: formatTable,
  json: (result, terminal) => jsonText(`${JSON.stringify(result.rows.map((row) => ordered(row, result.columns)), null, 2)}\n`, terminal),
  jsonl: formatJsonl,
  csv: formatCsv,
};

export function formatResult(result: Tabular, format: OutputFormat, options: FormatOptions = {}): string {
  const formatter = FORMATTERS[format];
  if (!formatter) throw new EngineError('CFG_INVALID', `unknown output format "${format}"`, { hint: `use one of ${OUTPUT_FORMATS.join(', ')}` });
  return formatter(result, options.terminal ?? false);
}

/** Piped JSON stays byte-exact data; on a terminal, what JSON.stringify leaves raw (DEL, C1, bidi) becomes \uXXXX. */
function jsonText(text: string, terminal: boolean): string {
  return terminal ? escapeControls(text, 'json') : text;
}

/** Rows whose keys already follow the columns (every row skyql makes) are written as they are. */
function formatJsonl(result: Tabular, terminal: boolean): string {
  const inOrder = result.rows.length > 0 && sameKeys(result.rows[0], result.columns);
  let text = '';
  for (const row of result.rows) text += `${JSON.stringify(inOrder ? row : ordered(row, result.columns))}\n`;
  return jsonText(text, terminal);
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

/** Tables are for people: every cell line is escaped, wherever the table goes. */
function formatTable(result: Tabular): string {
  const header = result.columns.map((column) => escapeControls(column, 'columns'));
  const body = result.rows.map((row) => result.columns.map((column) => cellLines(row[column])));
  const widths = header.map((column, i) => Math.max(column.length, ...body.flatMap((cells) => cells[i].map((line) => line.length))));
  const rule = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const line = (cells: readonly string[]) => `|${cells.map((cell, i) => ` ${cell.padEnd(widths[i])} `).join('|')}|`;
  return [rule, line(header), rule, ...body.flatMap(rowLines).map(line), ...(body.length > 0 ? [rule] : []), ''].join('\n');
}

function cellLines(value: SqlValue | undefined): string[] {
  return cellText(value).split(/\r?\n/).map((line) => escapeControls(line, 'columns'));
}

/** A row whose cells hold several lines becomes several table lines. */
function rowLines(cells: readonly string[][]): string[][] {
  const height = Math.max(...cells.map((lines) => lines.length));
  return Array.from({ length: height }, (_, i) => cells.map((lines) => lines[i] ?? ''));
}

function formatCsv(result: Tabular, terminal: boolean): string {
  const lines = [result.columns, ...result.rows.map((row) => result.columns.map((column) => csvCell(row[column])))];
  const cell = terminal ? (text: string) => csvQuote(escapeControls(text)) : csvQuote;
  return lines.map((cells) => cells.map(cell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: SqlValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
