// An EngineError as the CLI prints it: `error[CODE]: message`, the SQL line with a caret, a hint.
// Messages and hints quote Azure's text and the statement: control characters are escaped.

import type { EngineError } from '../errors.ts';
import { escapeControls } from '../output/escape.ts';

export function renderError(error: EngineError, sql?: string): string {
  const lines = [`error[${error.code}]: ${escapeControls(error.message)}`];
  if (error.span && sql !== undefined) lines.push(...caret(sql, error.span.line, error.span.column, error.span.length ?? 1));
  else if (error.span) lines.push(`  --> line ${error.span.line}, column ${error.span.column}`);
  if (error.hint) lines.push(`  hint: ${escapeControls(error.hint)}`);
  return `${lines.join('\n')}\n`;
}

function caret(sql: string, line: number, column: number, length: number): string[] {
  const text = sql.split(/\r?\n/)[line - 1];
  if (text === undefined) return [];
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  // Escapes and expanded tabs are wider than what they stand for: measure the shown text.
  const shown = (part: string) => escapeControls(part, 'columns');
  const before = shown(text.slice(0, column - 1)).length;
  const width = Math.max(1, shown(text.slice(0, column - 1 + length)).length - before);
  return [`  --> line ${line}, column ${column}`, `${pad} |`, `${gutter} | ${shown(text)}`, `${pad} | ${' '.repeat(before)}${'^'.repeat(width)}`];
}
