// The sql/ stage's entry point: script text → parsed statements.

import { EngineError, spanAt } from '../errors.ts';
import { NO_HINTS, type Hints, type ParsedStatement, type QualifiedName, type Statement } from './ast.ts';
import { convertContext, convertInsert, type ConvertContext } from './convert.ts';
import { convertSelect } from './select.ts';
import { convertMutation } from './mutation.ts';
import { TokenCursor } from './cursor.ts';
import { isKeyword, tokenize, type Token } from './lexer.ts';
import { parseDescribe, parseExec, parseRegistry, parseShow } from './meta.ts';
import { normalizeForParser, stringValues } from './normalize.ts';
import { splitStatements, type StatementTokens } from './split.ts';
import { SqlSession } from './session.ts';
import { ParserFailure, parsedShape, printedExpression, type ParserSyntaxError, type SqlNode } from './sql-parser.ts';
import { placeholderNames } from './templates.ts';
import { parseCreateViewHead, parseDropView, parseRefreshView } from './views.ts';
import { hasExecTable, parseWithExecTables } from './exec-tables.ts';
import { readDataBlock, type TemplateData } from './template-data.ts';

/**
 * Parses a script; the same text again (a statement run with other vars) is not parsed twice in a
 * session. A text is kept once it has placeholders or comes a second time: keeping every distinct
 * statement costs more in garbage collection than parsing it again. Without a session, nothing is kept.
 */
export function parseScript(script: string, session: SqlSession = new SqlSession()): ParsedStatement[] {
  return [...parsedOnce(script, session)];
}

function parsedOnce(script: string, session: SqlSession, tokens?: readonly Token[]): readonly ParsedStatement[] {
  const cached = session.scripts.get(script);
  if (cached) return cached;
  const { text, data } = readDataBlock(script);
  const statements = splitStatements(data === undefined && tokens ? tokens : tokenize(text)).map((part) => parseOne(text, part, session, data));
  if (statements.length === 0) throw new EngineError('SQL_EMPTY', 'no statement to run');
  // A script with placeholders is run again with other vars: kept at once.
  session.scripts.set(script, statements, script.includes('{{'));
  return statements;
}

/** Parses text that must hold exactly one statement (`tokens`: the text's, when the caller has them). */
export function parseStatement(text: string, session: SqlSession = new SqlSession(), tokens?: readonly Token[]): ParsedStatement {
  const statements = parsedOnce(text, session, tokens);
  if (statements.length > 1) {
    throw new EngineError('SQL_UNSUPPORTED', `expected one statement, found ${statements.length}`, {
      hint: 'run several statements with run() / skyql exec -f',
      span: spanAt(text, statements[1].span.offset),
    });
  }
  return statements[0];
}

/** `provider.service.resource` on its own (CLI arguments). */
export function parseQualifiedName(text: string): QualifiedName {
  const tokens = tokenize(text);
  const cursor = new TokenCursor(text, tokens, text.length);
  const name = cursor.qualifiedName();
  cursor.expectEnd();
  return name;
}

function parseOne(script: string, part: StatementTokens, session: SqlSession, data: TemplateData | undefined): ParsedStatement {
  const span = { offset: part.offset, length: part.end - part.offset };
  const hints = readHints(part.tokens);
  const first = part.tokens.find((token) => token.kind !== 'hint')!;
  const placeholders = placeholderNames(part.tokens, script);
  if (hasExecTable(part.tokens)) {
    // The statement is planned as written with each (EXEC …) as a SELECT: its spans are in that text.
    const rewritten = parseWithExecTables(script.slice(span.offset, span.offset + span.length), (text) => parseStatement(text, session).statement);
    return {
      statement: rewritten.statement,
      text: rewritten.text,
      span: { offset: 0, length: rewritten.text.length },
      placeholders,
      ...(data ? { data } : {}),
    };
  }
  const statement = parseByKeyword(script, part, first, hints, session);
  return data ? { statement, text: script, span, placeholders, data } : { statement, text: script, span, placeholders };
}

function parseByKeyword(script: string, part: StatementTokens, first: Token, hints: Hints, session: SqlSession): Statement {
  const cursor = new TokenCursor(script, part.tokens, part.end);
  if (isKeyword(first, 'EXPLAIN')) return parseExplain(script, part, hints, session);
  if (isKeyword(first, 'SHOW')) return parseShow(cursor, hints);
  if (isKeyword(first, 'DESCRIBE', 'DESC')) return parseDescribe(cursor);
  if (isKeyword(first, 'EXEC', 'EXECUTE')) return parseExec(cursor, hints);
  if (isKeyword(first, 'REGISTRY')) return parseRegistry(cursor);
  if (isKeyword(first, 'CREATE')) return parseCreateView(script, part, cursor, hints, session);
  if (isKeyword(first, 'DROP')) return parseDropView(cursor);
  if (isKeyword(first, 'REFRESH')) return parseRefreshView(cursor);
  if (isKeyword(first, 'SELECT', 'WITH', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE')) return parseWithSqlParser(script, part, hints, session);
  throw cursor.error(
    'expected SELECT, INSERT, REPLACE, UPDATE, DELETE, EXEC, SHOW, DESCRIBE, EXPLAIN, CREATE [MATERIALIZED] VIEW, DROP VIEW, REFRESH MATERIALIZED VIEW or REGISTRY',
  );
}

/** CREATE [OR REPLACE] VIEW name AS SELECT …: the query must parse as a SELECT now. */
function parseCreateView(script: string, part: StatementTokens, cursor: TokenCursor, hints: Hints, session: SqlSession): Statement {
  const { name, orReplace, materialized } = parseCreateViewHead(cursor);
  const start = cursor.peek();
  if (!start) throw cursor.error("expected the view's SELECT after AS");
  const inner = part.tokens.slice(part.tokens.indexOf(start));
  const query = parseByKeyword(script, { tokens: inner, offset: start.offset, end: part.end }, start, hints, session);
  if (query.kind !== 'select') throw new EngineError('SQL_UNSUPPORTED', 'a view is defined by a SELECT', { span: spanAt(script, start.offset) });
  return {
    kind: 'create_view',
    name,
    orReplace,
    materialized,
    query: script.slice(start.offset, part.end),
    querySpan: { offset: start.offset, length: part.end - start.offset },
  };
}

/** EXPLAIN [FORMAT TEXT | JSON] followed by any other statement. */
function parseExplain(script: string, part: StatementTokens, hints: Hints, session: SqlSession): Statement {
  const tokens = part.tokens.filter((token) => token.kind !== 'hint');
  let at = 1;
  let format: 'text' | 'json' = 'text';
  if (isKeyword(tokens[at], 'FORMAT')) {
    const word = tokens[at + 1];
    if (!isKeyword(word, 'TEXT', 'JSON'))
      throw new EngineError('SQL_SYNTAX', 'EXPLAIN FORMAT takes TEXT or JSON', { span: spanAt(script, word?.offset ?? part.end) });
    format = word.value.toLowerCase() as 'text' | 'json';
    at += 2;
  }
  const inner = part.tokens.slice(part.tokens.indexOf(tokens[at]));
  const first = inner.find((token) => token.kind !== 'hint');
  if (!first) throw new EngineError('SQL_SYNTAX', 'EXPLAIN needs a statement to explain', { span: spanAt(script, part.end) });
  if (isKeyword(first, 'EXPLAIN')) throw new EngineError('SQL_UNSUPPORTED', 'EXPLAIN of an EXPLAIN', { span: spanAt(script, first.offset) });
  const statement = parseByKeyword(script, { tokens: inner, offset: inner[0].offset, end: part.end }, first, hints, session) as Exclude<
    Statement,
    { kind: 'explain' }
  >;
  return { kind: 'explain', format, statement, span: { offset: inner[0].offset, length: part.end - inner[0].offset } };
}

function parseWithSqlParser(script: string, part: StatementTokens, hints: Hints, session: SqlSession): Statement {
  const normalized = normalizeForParser(script, part.tokens, part.offset, part.end);
  const shape = parsedShape(normalized.text, session);
  const node = shape.node ?? throwParseError(shape.error, script, normalized.toOriginal);
  const context = convertContext(
    script,
    part.tokens,
    { offset: part.offset, length: part.end - part.offset },
    hints,
    stringValues(part.tokens),
    shape.memo,
    (node) => printedExpression(node, session),
  );
  return convertNode(node, context);
}

function convertNode(node: SqlNode, context: ConvertContext): Statement {
  if (node.type === 'insert' || node.type === 'replace') return convertInsert(node, context);
  if (node.type === 'select') return convertSelect(node, context);
  if (node.type === 'update' || node.type === 'delete') return convertMutation(node, context);
  throw new EngineError('SQL_UNSUPPORTED', `${String(node.type).toUpperCase()} is not supported`, { span: spanAt(context.script, context.span.offset) });
}

function throwParseError(error: unknown, script: string, toOriginal: (offset: number) => number): never {
  const location = (error as ParserSyntaxError).location;
  if (error instanceof RangeError) {
    throw new EngineError('SQL_UNSUPPORTED', 'the statement is nested too deeply to parse', { span: spanAt(script, toOriginal(0)), cause: error });
  }
  if (error instanceof ParserFailure) {
    throw new EngineError('SQL_SYNTAX', 'syntax error: the statement cannot be read as SQL', { span: spanAt(script, toOriginal(0)), cause: error });
  }
  if (!location) {
    if (Object.getPrototypeOf(error) !== Error.prototype) throw error;
    // The parser's own checks (e.g. VALUES rows of the wrong width) carry no position.
    throw new EngineError('SQL_UNSUPPORTED', (error as Error).message, { span: spanAt(script, toOriginal(0)), cause: error });
  }
  const offset = toOriginal(location.start.offset);
  const span = spanAt(script, offset, 1);
  const near = script.slice(offset, offset + 20).split('\n')[0];
  throw new EngineError('SQL_SYNTAX', `syntax error ${near ? `near "${near}"` : 'at end of statement'}`, { span, cause: error });
}

function readHints(tokens: readonly Token[]): Hints {
  if (!tokens.some((token) => token.kind === 'hint')) return NO_HINTS;
  const words = tokens.filter((token) => token.kind === 'hint').flatMap((token) => token.value.toUpperCase().split(/[\s,]+/));
  if (words.length === 0) return NO_HINTS;
  return { await: words.includes('AWAIT'), required: words.includes('REQUIRED') };
}
