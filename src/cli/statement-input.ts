// Where the statements a user types end: at a ";" token of the project's one lexer, so a ";" in
// a string, a quoted name or a comment (`/* … ; … */`, `-- …;`) does not end one. Pure.

import { tokenize, type Token } from '../sql/lexer.ts';
import { splitStatements } from '../sql/split.ts';

/** What keeps the text open: a string, a quoted name, a comment or a {{ placeholder }} not closed yet. */
export type OpenConstruct = 'string' | 'quoted' | 'comment' | 'template';

export interface StatementInput {
  /** The text up to and including the last ";" that ends a statement ('' when none does). */
  readonly complete: string;
  /** Each complete statement's text, ";" included (history keeps one entry per statement). */
  readonly statements: readonly string[];
  /** What is left to be continued on the next line ('' when nothing but blanks and comments). */
  readonly rest: string;
  readonly open?: OpenConstruct;
}

export function readStatements(text: string): StatementInput {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    const open = openConstruct((error as Error).message);
    // An error more lines cannot fix (e.g. a bare "@"): the text runs at its ";" and the engine says what is wrong.
    if (!open && /;\s*$/.test(text)) return { complete: text, statements: [text.trim()], rest: '' };
    return { complete: '', statements: [], rest: text, open };
  }
  const ends = tokens.filter((token) => token.kind === 'punct' && token.value === ';');
  const last = ends.at(-1);
  if (!last) return { complete: '', statements: [], rest: tokens.length === 0 ? '' : text };
  const complete = text.slice(0, last.end);
  const rest = text.slice(last.end);
  const statements = splitStatements(tokens.filter((token) => token.end <= last.end)).map((statement) =>
    text.slice(statement.offset, semicolonAfter(ends, statement.end)),
  );
  return { complete, statements, rest: tokens.some((token) => token.offset >= last.end) ? rest.replace(/^\s*\n/, '') : '' };
}

function semicolonAfter(ends: readonly Token[], offset: number): number {
  return ends.find((token) => token.offset >= offset)?.end ?? offset;
}

function openConstruct(message: string): OpenConstruct | undefined {
  if (message.startsWith('unterminated string')) return 'string';
  if (message.startsWith('unterminated quoted')) return 'quoted';
  if (message.startsWith('unterminated comment') || message.startsWith('unterminated hint')) return 'comment';
  if (message.startsWith('unterminated template')) return 'template';
  return undefined;
}
