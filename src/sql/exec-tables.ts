// `(EXEC [/*+ SHOWRESULTS */] provider.service.resource.method @param = value, …)` as a FROM item,
// as StackQL runs it: the method's response rows are a table the statement reads. The group is
// planned as `(SELECT * FROM provider.service.resource WHERE param = value …)` with the named
// method (not one chosen by the params), so it joins, groups and filters like any source.

import { EngineError, spanAt } from '../errors.ts';
import { NO_HINTS, type SelectSource, type SelectStatement, type Statement } from './ast.ts';
import { TokenCursor } from './cursor.ts';
import { closingParenthesis, isKeyword, tokenize, type Token } from './lexer.ts';
import { parseExec } from './meta.ts';
import { applyEdits, type Edit } from './normalize.ts';

/** Whether a statement's tokens hold `( EXEC`. */
export function hasExecTable(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i].kind !== 'punct' || tokens[i].value !== '(') continue;
    let next = i + 1;
    while (tokens[next]?.kind === 'hint') next++;
    if (isKeyword(tokens[next], 'EXEC', 'EXECUTE')) return true;
  }
  return false;
}

/**
 * The statement's text with each `(EXEC …)` as a SELECT of its resource, parsed by `parse`: a
 * SELECT (or the SELECT of an EXPLAIN, an INSERT … SELECT or a CREATE VIEW) whose sources that
 * came from an EXEC call the method it names. A view keeps the text as written.
 */
export function parseWithExecTables(text: string, parse: (text: string) => Statement): { text: string; statement: Statement } {
  const tokens = tokenize(text);
  const methods = new Map<number, string>();
  const edits: Edit[] = [];
  for (const group of execGroups(text, tokens)) edits.push(groupEdit(text, tokens, group, methods, edits));
  const rewritten = applyEdits(text, 0, text.length, edits).text;
  const statement = withMethodsIn(parse(rewritten), methods, rewritten, text);
  return { text: rewritten, statement };
}

function withMethodsIn(statement: Statement, methods: ReadonlyMap<number, string>, rewritten: string, original: string): Statement {
  switch (statement.kind) {
    case 'select':
      return withMethods(statement, methods, rewritten);
    case 'explain':
      return { ...statement, statement: withMethodsIn(statement.statement, methods, rewritten, original) as typeof statement.statement };
    case 'insert':
      return statement.query ? { ...statement, query: withMethods(statement.query, methods, rewritten) } : statement;
    // The edits are all inside the query, which starts where it did: the view keeps its EXEC.
    case 'create_view':
      return {
        ...statement,
        query: original.slice(statement.querySpan.offset),
        querySpan: { offset: statement.querySpan.offset, length: original.length - statement.querySpan.offset },
      };
    default:
      throw new EngineError('SQL_UNSUPPORTED', 'an (EXEC …) table is read by a SELECT', { span: spanAt(original, 0) });
  }
}

interface ExecGroup {
  readonly open: number;
  readonly close: number;
}

/**
 * Each `( EXEC … )`: the indexes of its parentheses. One that is never closed is a syntax error
 * here: left in the text, it would be read as an EXEC table again, without end.
 */
function execGroups(text: string, tokens: readonly Token[]): ExecGroup[] {
  const groups: ExecGroup[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'punct' || tokens[i].value !== '(') continue;
    let next = i + 1;
    while (tokens[next]?.kind === 'hint') next++;
    if (!isKeyword(tokens[next], 'EXEC', 'EXECUTE')) continue;
    const close = closingParenthesis(tokens, i);
    if (close === undefined) throw new EngineError('SQL_SYNTAX', 'this ( EXEC … ) is not closed: expected ")"', { span: spanAt(text, tokens[i].offset, 1) });
    groups.push({ open: i, close });
    i = close;
  }
  return groups;
}

/**
 * The group's EXEC as a SELECT of its resource with its args as conditions. The offsets of the
 * resource names in the new text are recorded (by where they will be: edits before this one count).
 */
function groupEdit(text: string, tokens: readonly Token[], group: ExecGroup, methods: Map<number, string>, before: readonly Edit[]): Edit {
  const inner = tokens.slice(group.open + 1, group.close);
  const end = tokens[group.close].offset;
  const exec = parseExec(new TokenCursor(text, inner, end), NO_HINTS);
  const span = spanAt(text, exec.target.span.offset, exec.target.span.length);
  if (exec.target.parts.length !== 4) throw new EngineError('SQL_SYNTAX', 'EXEC names provider.service.resource.method', { span });
  if (exec.json)
    throw new EngineError('SQL_UNSUPPORTED', '@@json cannot be given to an EXEC read as a table', { hint: 'give the body fields as @params', span });
  const [provider, service, resource, method] = exec.target.parts;
  const conditions = exec.args.map(
    (arg) => `"${arg.name.replace(/"/g, '""')}" = ${text.slice(arg.value.span!.offset, arg.value.span!.offset + arg.value.span!.length)}`,
  );
  const head = 'SELECT * FROM ';
  const replacement = `${head}${provider}.${service}.${resource}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  const start = tokens[group.open].end;
  const shift = before.reduce((sum, edit) => sum + edit.replacement.length - (edit.end - edit.start), 0);
  methods.set(start + shift + head.length, method);
  return { start, end, replacement };
}

function withMethods(statement: SelectStatement, methods: ReadonlyMap<number, string>, text: string): SelectStatement {
  const sources = statement.sources.map((source): SelectSource => {
    const method = methods.get(source.name.span.offset);
    return method === undefined ? source : { ...source, method };
  });
  if (sources.filter((source) => source.method !== undefined).length !== methods.size) {
    throw new EngineError('INTERNAL_INVARIANT', 'an EXEC read as a table did not become a source', { span: spanAt(text, 0) });
  }
  return { ...statement, sources };
}
