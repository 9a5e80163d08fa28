// Splits a script into statements at top-level semicolons, keeping each statement's tokens.

import type { Token } from './lexer.ts';

export interface StatementTokens {
  readonly tokens: readonly Token[];
  readonly offset: number;
  readonly end: number;
}

export function splitStatements(tokens: readonly Token[]): StatementTokens[] {
  const statements: StatementTokens[] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === ';') {
      pushStatement(statements, current);
      current = [];
    } else {
      current.push(token);
    }
  }
  pushStatement(statements, current);
  return statements;
}

function pushStatement(statements: StatementTokens[], tokens: Token[]): void {
  const meaningful = tokens.filter((token) => token.kind !== 'hint');
  if (meaningful.length === 0) return;
  statements.push({ tokens, offset: tokens[0].offset, end: tokens[tokens.length - 1].end });
}
