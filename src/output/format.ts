// Rows → text. Pure: the CLI decides where the text goes.

import { EngineError } from '../errors.ts';
import type { Row, SqlValue } from '../plan/types.ts';
import type { ValueType } from '../registry/types.ts';
import { escapeControls } from './escape.ts';
import { formatExpanded, formatTable, naturalTableWidth } from './table.ts';
import { ownValue, setOwn } from '../util/own-property.ts';

export type OutputFormat = 'table' | 'json' | 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'jsonl', 'csv'];

/** A column's type where the registry knows it: the response field it comes straight from. */
export type ColumnType = ValueType;

export interface Tabular {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** By column: object and array columns (JSON text in rows) are written as JSON values by json and jsonl. */
  readonly columnTypes?: readonly (ColumnType | undefined)[];
}

export interface FormatOptions {
  /** The text goes to a terminal: json, jsonl and csv escape control characters too (a table always does). */
  readonly terminal?: boolean;
  /** Tables: the terminal's width in columns; long cells are cut with "…" to fit. Absent: no limit. */
  readonly width?: number;
  /** Tables: one line per column and value (psql's \x); 'auto': only when the table is wider than `width`. */
  readonly expanded?: boolean | 'auto';
  /** Tables: SGR colours (a dim NULL). */
  readonly color?: boolean;
}

const FORMATTERS: Record<OutputFormat, (result: Tabular, options: FormatOptions) => string> = {
  table: (result, options) => (expandedFor(result, options) ? formatExpanded : formatTable)(result, options),
  json: (result, options) =>
    jsonText(
      `${JSON.stringify(
        jsonRows(result, (row) => ordered(row, result.columns)),
        null,
        2,
      )}\n`,
      options.terminal ?? false,
    ),
  jsonl: formatJsonl,
  csv: formatCsv,
};

export function formatResult(result: Tabular, format: OutputFormat, options: FormatOptions = {}): string {
  const formatter = Object.hasOwn(FORMATTERS, format) ? FORMATTERS[format] : undefined;
  if (!formatter) throw new EngineError('CFG_INVALID', `unknown output format "${format}"`, { hint: `use one of ${OUTPUT_FORMATS.join(', ')}` });
  return formatter(result, options);
}

function expandedFor(result: Tabular, options: FormatOptions): boolean {
  if (options.expanded !== 'auto') return options.expanded ?? false;
  return options.width !== undefined && naturalTableWidth(result) > options.width;
}

/** Rows for JSON: object and array columns hold JSON text, which becomes the value it stands for. */
function jsonRows(result: Tabular, shape: (row: Row) => Row): unknown[] {
  const json = jsonColumns(result);
  if (json.length === 0) return result.rows.map(shape);
  return result.rows.map((row) => {
    const out: Record<string, unknown> = { ...shape(row) };
    for (const column of json) out[column] = parsedJson(out[column]);
    return out;
  });
}

function jsonColumns(result: Tabular): string[] {
  const types = result.columnTypes;
  if (!types) return [];
  return result.columns.filter((_, i) => types[i] === 'object' || types[i] === 'array');
}

/** JSON text as its value; anything else (NULL, text that is not JSON) as it is. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Piped JSON stays byte-exact data; on a terminal, what JSON.stringify leaves raw (DEL, C1, bidi) becomes \uXXXX. */
function jsonText(text: string, terminal: boolean): string {
  return terminal ? escapeControls(text, 'json') : text;
}

/** Rows whose keys already follow the columns (every row skyql makes) are written as they are. */
function formatJsonl(result: Tabular, options: FormatOptions): string {
  const inOrder = result.rows.length > 0 && sameKeys(result.rows[0], result.columns);
  const rows = jsonRows(result, (row) => (inOrder ? row : ordered(row, result.columns)));
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return jsonText(text, options.terminal ?? false);
}

function sameKeys(row: Row, columns: readonly string[]): boolean {
  const keys = Object.keys(row);
  return keys.length === columns.length && keys.every((key, i) => key === columns[i]);
}

function ordered(row: Row, columns: readonly string[]): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const column of columns) setOwn(out, column, ownValue(row, column));
  return out;
}

function formatCsv(result: Tabular, { terminal }: FormatOptions): string {
  const lines = [result.columns, ...result.rows.map((row) => result.columns.map((column) => csvCell(row[column])))];
  const cell = terminal ? (text: string) => csvQuote(escapeControls(text)) : csvQuote;
  return `${lines.map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: SqlValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
