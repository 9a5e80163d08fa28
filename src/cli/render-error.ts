// An EngineError as the CLI prints it: `error[CODE]: message`, the SQL line with a caret, a hint.

import type { EngineError } from '../errors.ts';

export function renderError(error: EngineError, sql?: string): string {
  const lines = [`error[${error.code}]: ${error.message}`];
  if (error.span && sql !== undefined) lines.push(...caret(sql, error.span.line, error.span.column, error.span.length ?? 1));
  else if (error.span) lines.push(`  --> line ${error.span.line}, column ${error.span.column}`);
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  return `${lines.join('\n')}\n`;
}

function caret(sql: string, line: number, column: number, length: number): string[] {
  const text = sql.split('\n')[line - 1];
  if (text === undefined) return [];
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const width = Math.max(1, Math.min(length, text.length - column + 1));
  return [`  --> line ${line}, column ${column}`, `${pad} |`, `${gutter} | ${text}`, `${pad} | ${' '.repeat(column - 1)}${'^'.repeat(width)}`];
}
