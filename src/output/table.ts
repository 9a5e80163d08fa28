// Tables for people: boxed rows that fit the terminal, or one line per column (expanded, as psql's
// \x). Every cell line is escaped, wherever the table goes. NULL is shown as NULL (dimmed when
// colours are on), unlike an empty string; numbers are right-aligned.

import type { Row, SqlValue } from '../plan/types.ts';
import { escapeControls } from './escape.ts';
import { displayWidth, pad, truncate } from './width.ts';

export interface TableOptions {
  /** Terminal columns to fit in; absent: as wide as the widest cell. */
  readonly width?: number;
  /** SGR colours (a dim NULL). */
  readonly color?: boolean;
}

export interface TableInput {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** Columns are not cut below this many (or their natural width, when narrower). */
const MIN_COLUMN = 6;
const NULL_TEXT = 'NULL';
const DIM = '\x1b[2m';
const NORMAL = '\x1b[22m';

interface Cell {
  readonly lines: readonly string[];
  /** The display width of each line. */
  readonly widths: readonly number[];
  readonly isNull: boolean;
}

export function formatTable(result: TableInput, options: TableOptions = {}): string {
  const { header, body } = cellsOf(result);
  const right = result.columns.map((column) => isNumeric(result.rows, column));
  const natural = naturalWidths(header, body);
  const widths = options.width === undefined ? natural : fitWidths(natural, options.width - (3 * natural.length + 1));
  const rule = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const out = [rule, ...cellLines(header, widths, right, options), rule];
  for (const cells of body) out.push(...cellLines(cells, widths, right, options));
  if (body.length > 0) out.push(rule);
  out.push('');
  return out.join('\n');
}

/** The table lines of one row: as many as its tallest cell has lines. */
function cellLines(cells: readonly Cell[], widths: readonly number[], right: readonly boolean[], options: TableOptions): string[] {
  let height = 1;
  for (const cell of cells) height = Math.max(height, cell.lines.length);
  const lines: string[] = [];
  for (let at = 0; at < height; at++) {
    let line = '|';
    for (let i = 0; i < cells.length; i++) line += ` ${fitted(cells[i], at, widths[i], right[i], options)} |`;
    lines.push(line);
  }
  return lines;
}

/** A cell's line `at` cut to `width` columns and padded to them. */
function fitted(cell: Cell, at: number, width: number, alignRight: boolean, options: TableOptions): string {
  let text = cell.lines[at] ?? '';
  let used = cell.widths[at] ?? 0;
  if (used > width) {
    text = truncate(text, width);
    used = displayWidth(text);
  }
  return shown(pad(text, width, alignRight, used), cell.isNull, options);
}

/** How wide the table is when no cell is cut. */
export function naturalTableWidth(result: TableInput): number {
  const { header, body } = cellsOf(result);
  return naturalWidths(header, body).reduce((sum, width) => sum + width + 3, 1);
}

/** The header's cells and each row's. */
function cellsOf(result: TableInput): { header: Cell[]; body: Cell[][] } {
  return {
    header: result.columns.map((column) => textCell(escapeControls(column, 'columns'))),
    body: result.rows.map((row) => result.columns.map((column) => cellOf(row[column]))),
  };
}

function naturalWidths(header: readonly Cell[], body: readonly (readonly Cell[])[]): number[] {
  return header.map((name, i) => {
    let width = maxLineWidth(name);
    for (const cells of body) width = Math.max(width, maxLineWidth(cells[i]));
    return width;
  });
}

/** One block per row, one line per column: `name | value`, as psql's expanded display. */
export function formatExpanded(result: TableInput, options: TableOptions = {}): string {
  const labels = result.columns.map((column) => escapeControls(column, 'columns'));
  const labelWidth = Math.max(0, ...labels.map(displayWidth));
  const valueWidth = options.width === undefined ? undefined : Math.max(MIN_COLUMN, options.width - labelWidth - 3);
  const records = result.rows.map((row) => result.columns.map((column) => cellOf(row[column])));
  const widest = Math.max(0, ...records.flatMap((cells) => cells.map(maxLineWidth)));
  const ruleLength = labelWidth + 3 + Math.min(widest, valueWidth ?? widest);
  const lines: string[] = [];
  records.forEach((cells, index) => {
    const title = `-[ RECORD ${index + 1} ]`;
    lines.push(title + '-'.repeat(Math.max(0, ruleLength - title.length)));
    cells.forEach((cell, i) =>
      cell.lines.forEach((text, at) => {
        const value = valueWidth === undefined ? text : truncate(text, valueWidth);
        lines.push(`${pad(at === 0 ? labels[i] : '', labelWidth)} | ${shown(value, cell.isNull, options)}`.trimEnd());
      }),
    );
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function cellOf(value: SqlValue | undefined): Cell {
  if (value === null || value === undefined) return NULL_CELL;
  const text = String(value);
  if (!text.includes('\n')) return textCell(escapeControls(text, 'columns'));
  const lines = text.split(/\r?\n/).map((line) => escapeControls(line, 'columns'));
  return { lines, widths: lines.map(displayWidth), isNull: false };
}

/** A cell of one line of (escaped) text. */
function textCell(line: string): Cell {
  return { lines: [line], widths: [displayWidth(line)], isNull: false };
}

const NULL_CELL: Cell = { lines: [NULL_TEXT], widths: [NULL_TEXT.length], isNull: true };

function shown(text: string, isNull: boolean | undefined, options: TableOptions): string {
  return isNull && options.color ? `${DIM}${text}${NORMAL}` : text;
}

function maxLineWidth(cell: Cell): number {
  let width = 0;
  for (const lineWidth of cell.widths) width = Math.max(width, lineWidth);
  return width;
}

/** A column of numbers (NULLs aside, at least one number) is right-aligned. */
function isNumeric(rows: readonly Row[], column: string): boolean {
  let numbers = 0;
  for (const row of rows) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number') return false;
    numbers++;
  }
  return numbers > 0;
}

/**
 * Column widths whose sum fits `available`: the widest columns are cut first, all to one cap,
 * none below MIN_COLUMN (or its natural width). What is left over goes to the cut columns.
 */
export function fitWidths(natural: readonly number[], available: number): number[] {
  const total = natural.reduce((sum, width) => sum + width, 0);
  if (total <= available) return [...natural];
  const floor = natural.map((width) => Math.min(width, MIN_COLUMN));
  const used = (cap: number) => natural.reduce((sum, width, i) => sum + Math.max(floor[i], Math.min(width, cap)), 0);
  let low = 0;
  let high = Math.max(...natural);
  while (low < high) {
    const cap = Math.ceil((low + high) / 2);
    if (used(cap) <= available) low = cap;
    else high = cap - 1;
  }
  const widths = natural.map((width, i) => Math.max(floor[i], Math.min(width, low)));
  let spare = available - widths.reduce((sum, width) => sum + width, 0);
  for (let i = 0; i < widths.length && spare > 0; i++) {
    if (widths[i] < natural[i]) {
      widths[i]++;
      spare--;
    }
  }
  return widths;
}
