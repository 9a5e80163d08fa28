// The statements node-sql-parser cannot read: SHOW, DESCRIBE and EXEC.
//
//   SHOW [EXTENDED] PROVIDERS [LIKE 'pattern' | WHERE condition]
//   SHOW [EXTENDED] SERVICES IN | FROM provider [LIKE 'pattern' | WHERE condition]
//   SHOW [EXTENDED] RESOURCES IN | FROM provider.service [LIKE 'pattern' | WHERE condition]
//   SHOW [EXTENDED] METHODS IN | FROM provider.service.resource [LIKE 'pattern' | WHERE condition]
//   SHOW [EXTENDED] INSERT [/*+ REQUIRED */] INTO provider.service.resource
//   SHOW [EXTENDED] VERSION
//   DESCRIBE | DESC [EXTENDED] [METHOD] [EXTENDED] provider.service.resource[.method]
//   REGISTRY ADD 'spec.json|yaml' AS provider.service [AUDIENCE 'scope']
//   REGISTRY LIST [provider]
//   REGISTRY PULL provider [version | 'version']
//   EXEC | EXECUTE [/*+ hints */] provider.service.resource.method [@param = value [,] …] [@@json = 'json']

import type {
  QualifiedName,
  Assignment,
  RegistryAddStatement,
  DescribeStatement,
  ExecStatement,
  Hints,
  Literal,
  RegistryListStatement,
  RegistryPullStatement,
  ShowStatement,
  ShowTarget,
} from './ast.ts';
import type { TokenCursor } from './cursor.ts';
import { EngineError, spanAt } from '../errors.ts';
import { boundText } from './value-expressions.ts';

const SHOW_TARGETS: Readonly<Record<string, ShowTarget>> = {
  PROVIDERS: 'providers',
  SERVICES: 'services',
  RESOURCES: 'resources',
  METHODS: 'methods',
};

export function parseShow(cursor: TokenCursor, hints: Hints): ShowStatement {
  cursor.expectKeyword('SHOW');
  const extended = Boolean(cursor.acceptKeyword('EXTENDED'));
  if (cursor.acceptKeyword('VERSION')) {
    cursor.expectEnd();
    return { kind: 'show', target: 'version', extended, requiredOnly: false };
  }
  if (cursor.acceptKeyword('INSERT')) {
    cursor.expectKeyword('INTO');
    const scope = cursor.qualifiedName();
    cursor.expectEnd();
    return { kind: 'show', target: 'insert', extended, scope, requiredOnly: hints.required };
  }
  const target = SHOW_TARGETS[cursor.expectKeyword(...Object.keys(SHOW_TARGETS), 'INSERT', 'VERSION').value.toUpperCase()];
  const scope = target === 'providers' ? undefined : scopeName(cursor);
  const like = cursor.acceptKeyword('LIKE') ? likePattern(cursor) : undefined;
  const where = like === undefined && cursor.acceptKeyword('WHERE') ? showCondition(cursor) : undefined;
  cursor.expectEnd();
  return { kind: 'show', target, extended, scope, like, where, requiredOnly: false };
}

/** The rest of the statement, as a condition SQLite tests on each row SHOW lists. */
function showCondition(cursor: TokenCursor): ShowStatement['where'] {
  const tokens = cursor.rest();
  if (tokens.length === 0) throw cursor.error('expected a condition after WHERE');
  const span = { offset: tokens[0].offset, length: tokens[tokens.length - 1].end - tokens[0].offset };
  return { ...boundText(tokens, cursor.script), span };
}

/** `IN` or `FROM`, then the name SHOW lists below. */
function scopeName(cursor: TokenCursor): QualifiedName {
  cursor.expectKeyword('IN', 'FROM');
  return cursor.qualifiedName();
}

function likePattern(cursor: TokenCursor): string {
  return quoted(cursor, 'a quoted LIKE pattern');
}

export function parseDescribe(cursor: TokenCursor): DescribeStatement {
  cursor.expectKeyword('DESCRIBE', 'DESC');
  let extended = Boolean(cursor.acceptKeyword('EXTENDED'));
  const method = Boolean(cursor.acceptKeyword('METHOD'));
  if (method && cursor.acceptKeyword('EXTENDED')) extended = true;
  const target = cursor.qualifiedName();
  cursor.expectEnd();
  return { kind: 'describe', target, extended, method };
}

export function parseExec(cursor: TokenCursor, hints: Hints): ExecStatement {
  cursor.expectKeyword('EXEC', 'EXECUTE');
  const target = cursor.qualifiedName();
  const args: Assignment[] = [];
  let json: Literal | undefined;
  while (!cursor.atEnd()) {
    const token = cursor.next()!;
    if ((token.kind !== 'param' && token.kind !== 'json_param') || (token.kind === 'json_param' && token.value.toLowerCase() !== 'json')) {
      cursor.back();
      throw cursor.error("expected @param = value (or @@json = '{…}')");
    }
    cursor.expectPunct('=');
    const value = cursor.literal();
    const span = { offset: token.offset, length: (value.span ? value.span.offset + value.span.length : token.end) - token.offset };
    if (token.kind === 'json_param' && json) {
      throw new EngineError('PLAN_DUPLICATE_PARAM', '@@json is given more than once', { span: spanAt(cursor.script, token.offset, token.end - token.offset) });
    }
    if (token.kind === 'json_param') json = value;
    else args.push({ name: token.value, value, span });
    cursor.acceptPunct(',');
  }
  return { kind: 'exec', target, args, json, hints };
}

export function parseRegistry(cursor: TokenCursor): RegistryAddStatement | RegistryListStatement | RegistryPullStatement {
  cursor.expectKeyword('REGISTRY');
  const verb = cursor.expectKeyword('ADD', 'LIST', 'PULL').value.toUpperCase();
  if (verb === 'LIST') return parseRegistryList(cursor);
  if (verb === 'PULL') return parseRegistryPull(cursor);
  return parseRegistryAdd(cursor);
}

function parseRegistryList(cursor: TokenCursor): RegistryListStatement {
  const provider = cursor.atEnd() ? undefined : providerName(cursor).value;
  cursor.expectEnd();
  return provider === undefined ? { kind: 'registry_list' } : { kind: 'registry_list', provider };
}

function parseRegistryPull(cursor: TokenCursor): RegistryPullStatement {
  const provider = providerName(cursor);
  const version = cursor.atEnd() ? undefined : versionText(cursor);
  cursor.expectEnd();
  const span = { offset: provider.offset, length: provider.end - provider.offset };
  return version === undefined ? { kind: 'registry_pull', provider: provider.value, span } : { kind: 'registry_pull', provider: provider.value, version, span };
}

function providerName(cursor: TokenCursor) {
  const token = cursor.identifier('a provider name such as azure');
  if (!/^[a-z][a-z0-9_]*$/i.test(token.value)) {
    cursor.back();
    throw cursor.error('expected a provider name (letters, digits and _)');
  }
  return token;
}

/** `'v0.1.2'`, or written bare as the docs do (`v23.01.00104`: the tokens up to the end of the statement). */
function versionText(cursor: TokenCursor): string {
  if (cursor.peek()?.kind === 'string') return cursor.next()!.value;
  const first = cursor.next()!;
  let last = first;
  while (!cursor.atEnd()) last = cursor.next()!;
  return cursor.script.slice(first.offset, last.end);
}

function parseRegistryAdd(cursor: TokenCursor): RegistryAddStatement {
  const specFile = quoted(cursor, "the OpenAPI document's path in quotes");
  cursor.expectKeyword('AS');
  const target = cursor.qualifiedName();
  if (target.parts.length !== 2) throw cursor.error('expected provider.service after AS');
  const audience = cursor.acceptKeyword('AUDIENCE') ? quoted(cursor, 'the token audience in quotes') : undefined;
  cursor.expectEnd();
  return { kind: 'registry_add', specFile, target, audience };
}

function quoted(cursor: TokenCursor, what: string): string {
  const literal = cursor.literal();
  if (typeof literal.value !== 'string') throw cursor.error(`expected ${what}`);
  return literal.value;
}
