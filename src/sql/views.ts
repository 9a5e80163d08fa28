// Views, as StackQL users write them:
//
//   CREATE [OR REPLACE] [MATERIALIZED] VIEW name AS SELECT …
//   DROP [MATERIALIZED] VIEW [IF EXISTS] name
//   REFRESH MATERIALIZED VIEW name
//
// and where a statement reads one: a FROM or JOIN item that is a one- or two-part name (a
// resource has three parts). The plan stage puts the view's query in its place (plan/views.ts).

import { EngineError, spanAt } from '../errors.ts';
import { LOCAL_TABLE_PREFIX, type QualifiedName, type Span } from './ast.ts';
import type { TokenCursor } from './cursor.ts';
import { isKeyword, type Token } from './lexer.ts';

/** A view's name: one or two SQL words (`vw_vms`, `reports.vw_vms`). */
export const VIEW_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export interface CreateViewStatement {
  readonly kind: 'create_view';
  readonly name: QualifiedName;
  readonly orReplace: boolean;
  /** MATERIALIZED: the SELECT runs now and its rows are kept (the engine's, for its lifetime). */
  readonly materialized: boolean;
  /** The SELECT's text, and where it is in the script. */
  readonly query: string;
  readonly querySpan: Span;
}

export interface DropViewStatement {
  readonly kind: 'drop_view';
  readonly name: QualifiedName;
  readonly ifExists: boolean;
  readonly materialized: boolean;
}

/** REFRESH MATERIALIZED VIEW name: its SELECT runs again and its rows are replaced. */
export interface RefreshViewStatement {
  readonly kind: 'refresh_view';
  readonly name: QualifiedName;
}

/** CREATE [OR REPLACE] [MATERIALIZED] VIEW name AS …: the caller parses the query that follows AS. */
export function parseCreateViewHead(cursor: TokenCursor): { name: QualifiedName; orReplace: boolean; materialized: boolean } {
  cursor.expectKeyword('CREATE');
  const orReplace = Boolean(cursor.acceptKeyword('OR') && cursor.expectKeyword('REPLACE'));
  const materialized = Boolean(cursor.acceptKeyword('MATERIALIZED'));
  cursor.expectKeyword('VIEW');
  const name = viewName(cursor);
  cursor.expectKeyword('AS');
  return { name, orReplace, materialized };
}

export function parseDropView(cursor: TokenCursor): DropViewStatement {
  cursor.expectKeyword('DROP');
  const materialized = Boolean(cursor.acceptKeyword('MATERIALIZED'));
  cursor.expectKeyword('VIEW');
  const ifExists = Boolean(cursor.acceptKeyword('IF') && cursor.expectKeyword('EXISTS'));
  const name = viewName(cursor);
  cursor.expectEnd();
  return { kind: 'drop_view', name, ifExists, materialized };
}

export function parseRefreshView(cursor: TokenCursor): RefreshViewStatement {
  cursor.expectKeyword('REFRESH');
  cursor.expectKeyword('MATERIALIZED');
  cursor.expectKeyword('VIEW');
  const name = viewName(cursor);
  cursor.expectEnd();
  return { kind: 'refresh_view', name };
}

function viewName(cursor: TokenCursor): QualifiedName {
  const name = cursor.qualifiedName();
  if (!VIEW_NAME.test(name.parts.join('.')) || name.parts.some((part) => part.toLowerCase().startsWith(LOCAL_TABLE_PREFIX))) {
    throw new EngineError('SQL_UNSUPPORTED', `"${name.parts.join('.')}" cannot name a view`, {
      hint: `a view is named by one or two words of letters, digits and _, not starting with ${LOCAL_TABLE_PREFIX} (a resource has three: provider.service.resource)`,
      span: spanAt(cursor.script, name.span.offset, name.span.length),
    });
  }
  return name;
}

/** A FROM or JOIN item that may name a view: its tokens, and the name in lower case. */
export interface NameReference {
  readonly first: number;
  readonly last: number;
  readonly name: string;
  /** Parentheses around it: 0 in the statement's own FROM. */
  readonly depth: number;
}

const CLAUSE_ENDS = [
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'WINDOW',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'RETURNING',
  'ON',
  'USING',
  'SELECT',
  'VALUES',
  'SET',
];

/**
 * The names (one to three parts) read as tables in FROM and JOIN clauses, at any depth: a user's
 * view has one or two parts, a provider's view three; a name a WITH clause defines is not one.
 */
export function tableNameReferences(tokens: readonly Token[]): NameReference[] {
  const cteNames = new Set<string>();
  const references: NameReference[] = [];
  const inFrom: boolean[] = [false];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'hint') continue;
    if (token.kind === 'punct' && token.value === '(') {
      inFrom[++depth] = false;
      continue;
    }
    if (token.kind === 'punct' && token.value === ')') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (isKeyword(token, 'AS') && tokens[i + 1]?.value === '(' && isNameToken(tokens[i - 1])) cteNames.add(tokens[i - 1].value.toLowerCase());
    if (isKeyword(token, 'FROM', 'JOIN')) {
      inFrom[depth] = true;
      continue;
    }
    if (CLAUSE_ENDS.some((word) => isKeyword(token, word))) {
      inFrom[depth] = false;
      continue;
    }
    const previous = tokens[i - 1];
    const startsItem = isKeyword(previous, 'FROM', 'JOIN') || (previous?.kind === 'punct' && previous.value === ',');
    if (!inFrom[depth] || !startsItem || !isNameToken(token)) continue;
    let last = i;
    while (last - i < 4 && tokens[last + 1]?.value === '.' && isNameToken(tokens[last + 2])) last += 2;
    const name = tokens
      .slice(i, last + 1)
      .filter((part) => part.value !== '.')
      .map((part) => part.value)
      .join('.')
      .toLowerCase();
    if (last - i <= 4 && tokens[last + 1]?.value !== '.' && tokens[last + 1]?.value !== '(' && !cteNames.has(name))
      references.push({ first: i, last, name, depth });
    i = last;
  }
  return references;
}

function isNameToken(token: Token | undefined): token is Token {
  return token?.kind === 'word' || token?.kind === 'quoted';
}
