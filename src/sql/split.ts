// Splits a script into statements at top-level semicolons, keeping each statement's tokens.

import type { Token } from './lexer.ts';

export interface StatementTokens {
  readonly tokens: readonly Token[];
  readonly offset: number;
  readonly end: number;
}

export function splitStatements(tokens: readonly Token[]): StatementTokens[] {
  const statements: StatementTokens[] = [];
  let start = 0;
  for (let at = 0; at <= tokens.length; at++) {
    if (at < tokens.length && !(tokens[at].kind === 'punct' && tokens[at].value === ';')) continue;
    pushStatement(statements, tokens, start, at);
    start = at + 1;
  }
  return statements;
}

/** The tokens from start to end (a script of one statement keeps its array), unless they are only hints. */
function pushStatement(statements: StatementTokens[], all: readonly Token[], start: number, end: number): void {
  let meaningful = false;
  for (let at = start; at < end && !meaningful; at++) meaningful = all[at].kind !== 'hint';
  if (!meaningful) return;
  const tokens = start === 0 && end === all.length ? all : all.slice(start, end);
  statements.push({ tokens, offset: tokens[0].offset, end: tokens[tokens.length - 1].end });
}
