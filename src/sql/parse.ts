// The sql/ stage's entry point: script text → parsed statements.

import { EngineError, spanAt } from '../errors.ts';
import { NO_HINTS, type Hints, type ParsedStatement, type QualifiedName, type Statement } from './ast.ts';
import { convertInsert, type ConvertContext } from './convert.ts';
import { convertSelect } from './select.ts';
import { convertMutation } from './mutation.ts';
import { TokenCursor } from './cursor.ts';
import { isKeyword, tokenize, type Token } from './lexer.ts';
import { parseDescribe, parseExec, parseRegistryAdd, parseShow } from './meta.ts';
import { normalizeForParser, stringValues } from './normalize.ts';
import { withStringValues } from './literals.ts';
import { splitStatements, type StatementTokens } from './split.ts';
import { astifyCached, type ParserSyntaxError, type SqlNode } from './sql-parser.ts';

const CACHE_SIZE = 200;
const parsedScripts = new Map<string, readonly ParsedStatement[]>();
/** Texts parsed once lately: kept as text only, since most texts are never seen again. */
const seenOnce = new Set<string>();

/**
 * Parses a script; the same text again (a statement run with other vars) is not parsed twice.
 * A text is kept once it has placeholders or comes a second time: keeping every distinct
 * statement costs more in garbage collection than parsing it again (parses are cached per
 * shape below this anyway).
 */
export function parseScript(script: string): ParsedStatement[] {
  return [...parsedOnce(script)];
}

function parsedOnce(script: string): readonly ParsedStatement[] {
  const cached = parsedScripts.get(script);
  if (cached) return cached;
  const statements = splitStatements(tokenize(script)).map((part) => parseOne(script, part));
  if (statements.length === 0) throw new EngineError('SQL_EMPTY', 'no statement to run');
  if (worthKeeping(script)) remember(parsedScripts, script, statements);
  return statements;
}

function worthKeeping(script: string): boolean {
  if (script.includes('{{') || seenOnce.delete(script)) return true;
  if (seenOnce.size >= CACHE_SIZE) seenOnce.delete(seenOnce.values().next().value!);
  seenOnce.add(script);
  return false;
}

function remember(cache: Map<string, readonly ParsedStatement[]>, script: string, statements: readonly ParsedStatement[]): void {
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(script, statements);
}

/** Parses text that must hold exactly one statement. */
export function parseStatement(text: string): ParsedStatement {
  const statements = parsedOnce(text);
  if (statements.length > 1) {
    throw new EngineError('SQL_UNSUPPORTED', `expected one statement, found ${statements.length}`, {
      hint: 'run several statements with run() / skyql exec -f', span: spanAt(text, statements[1].span.offset),
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

function parseOne(script: string, part: StatementTokens): ParsedStatement {
  const span = { offset: part.offset, length: part.end - part.offset };
  const hints = readHints(part.tokens);
  const first = part.tokens.find((token) => token.kind !== 'hint')!;
  const statement = parseByKeyword(script, part, first, hints);
  return { statement, text: script, span };
}

function parseByKeyword(script: string, part: StatementTokens, first: Token, hints: Hints): Statement {
  const cursor = new TokenCursor(script, part.tokens, part.end);
  if (isKeyword(first, 'SHOW')) return parseShow(cursor, hints);
  if (isKeyword(first, 'DESCRIBE', 'DESC')) return parseDescribe(cursor);
  if (isKeyword(first, 'EXEC', 'EXECUTE')) return parseExec(cursor, hints);
  if (isKeyword(first, 'REGISTRY')) return parseRegistryAdd(cursor);
  if (isKeyword(first, 'SELECT', 'WITH', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE')) return parseWithSqlParser(script, part, hints);
  throw cursor.error('expected SELECT, INSERT, REPLACE, UPDATE, DELETE, EXEC, SHOW, DESCRIBE or REGISTRY ADD');
}

function parseWithSqlParser(script: string, part: StatementTokens, hints: Hints): Statement {
  const normalized = normalizeForParser(script, part.tokens, part.offset, part.end);
  const node = astifyOrThrow(script, normalized.text, normalized.toOriginal);
  const context: ConvertContext = { script, tokens: part.tokens, span: { offset: part.offset, length: part.end - part.offset }, hints };
  return withStringValues(stringValues(part.tokens), () => convertNode(node, context));
}

function convertNode(node: SqlNode, context: ConvertContext): Statement {
  if (node.type === 'insert' || node.type === 'replace') return convertInsert(node, context);
  if (node.type === 'select') return convertSelect(node, context);
  if (node.type === 'update' || node.type === 'delete') return convertMutation(node, context);
  throw new EngineError('SQL_UNSUPPORTED', `${String(node.type).toUpperCase()} is not supported`, { span: spanAt(context.script, context.span.offset) });
}

function astifyOrThrow(script: string, text: string, toOriginal: (offset: number) => number): SqlNode {
  try {
    return astifyCached(text);
  } catch (error) {
    const location = (error as ParserSyntaxError).location;
    if (error instanceof RangeError) {
      throw new EngineError('SQL_UNSUPPORTED', 'the statement is nested too deeply to parse', { span: spanAt(script, toOriginal(0)), cause: error });
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
}

function readHints(tokens: readonly Token[]): Hints {
  const words = tokens.filter((token) => token.kind === 'hint').flatMap((token) => token.value.toUpperCase().split(/[\s,]+/));
  if (words.length === 0) return NO_HINTS;
  return { await: words.includes('AWAIT'), required: words.includes('REQUIRED') };
}
