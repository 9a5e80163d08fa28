// SELECT → the resources to fetch, the params their conditions give, and the statement as
// SQLite will run it over the fetched rows.

import { mapPacked } from '../util/arrays.ts';
import { EngineError, spanAt } from '../errors.ts';
import { LOCAL_TABLE_PREFIX, type DirectQuery, type Literal, type LocalQuery, type SelectSource, type SelectStatement, type SourceCondition } from './ast.ts';
import { columnName, plainColumnName } from './literals.ts';
import type { ConvertContext } from './convert.ts';
import { nameWordAt, tokenSpan, type NameWord } from './names.ts';
import { isKeyword, type Token } from './lexer.ts';
import { applyEdits, isCountPosition, isStringLike, sqliteNameEdits, STRING_STAND_IN, stringValue, topLevelIndex, type Edit } from './normalize.ts';
import { analyzeSources } from './select-sources.ts';
import { cancelCheckEdits, readsOneFromItem } from './cancel-checks.ts';
import { outlineSelect, OutlineError } from './select-outline.ts';
import { aggregateOf } from './aggregate.ts';
import { containsAggregate, containsAny, countConjuncts, limitForms, readsLoneResource, type CountForm } from './ast-walk.ts';
import type { SqlNode } from './sql-parser.ts';
import { constantSet } from '../util/caches.ts';

export function convertSelect(node: SqlNode, context: ConvertContext): SelectStatement {
  const analysis = analyzeSources(node, context.memo, context.strings, context.print);
  const placed = placeSources(node, analysis.sources, context);
  const streaming = streamingOf(node, analysis.sources.length, analysis.conditions, context);
  const local = localQuery(node, context, placed, streaming !== undefined);
  const conditions = conditionsWithSpans(node, analysis.conditions, context);
  const sources = mapPacked(placed, (entry) => entry.source);
  const aggregate = aggregateOf(node, sources, conditions, context.memo, context.strings);
  const mentioned = context.memo.get(node, 'mentioned', () => mentionedNames(context.tokens, context.words()));
  return {
    kind: 'select',
    shape: node,
    mentioned,
    sources,
    conditions,
    joins: analysis.joins,
    lowerBounds: analysis.lowerBounds,
    compared: analysis.compared,
    local,
    streaming,
    aggregate,
    hints: context.hints,
  };
}

interface PlacedSource {
  readonly source: SelectSource;
  /** Token range of the name in the statement. */
  readonly first: number;
  readonly last: number;
}

/**
 * A statement's spans are its own (its strings' lengths move what follows them), but which tokens
 * a name or a condition's column is are the shape's: statements of one shape have the same tokens
 * but for their strings' contents (normalize.ts). Those token positions are kept in the shape's
 * memo, and each statement's spans read off its own tokens.
 */
function conditionsWithSpans(node: SqlNode, conditions: readonly SourceCondition[], context: ConvertContext): SourceCondition[] {
  const { tokens } = context;
  const places = context.memo.get(node, 'condition-places', () => {
    const where = topLevelIndex(tokens, 'WHERE');
    return conditions.map((condition) => nameWordAt(context.words(), condition.column, where));
  });
  return mapPacked(conditions, (condition, i) => {
    const place = places[i];
    return { ...condition, span: place && tokenSpan(tokens, place.first, place.last) };
  });
}

/** Pairs each source with its name's place in the text (same names pair in order). */
function placeSources(node: SqlNode, sources: readonly SelectSource[], context: ConvertContext): PlacedSource[] {
  const places = context.memo.get(node, 'source-places', () => placesOf(sources, context));
  return mapPacked(sources, (source, i) => {
    const { first, last } = places[i];
    return { source: { ...source, name: { parts: source.name.parts, span: tokenSpan(context.tokens, first, last) } }, first, last };
  });
}

function placesOf(sources: readonly SelectSource[], context: ConvertContext): { readonly first: number; readonly last: number }[] {
  const words = context.words();
  const used = new Set<number>();
  return sources.map((source) => {
    if (source.name.parts.some((part) => part.includes(STRING_STAND_IN))) {
      throw new EngineError('SQL_SYNTAX', 'a resource name cannot be a string or a {{ placeholder }}', {
        hint: 'name it as provider.service.resource',
        span: spanAt(context.script, context.span.offset),
      });
    }
    const at = findName(words, source.name.parts, used);
    if (at === -1)
      throw new EngineError('SQL_SYNTAX', `write ${source.name.parts.join('.')} as one name, without comments inside it`, {
        span: spanAt(context.script, context.span.offset),
      });
    used.add(at);
    return { first: words[at].first, last: words[at + source.name.parts.length * 2 - 2].last };
  });
}

function findName(words: readonly NameWord[], parts: readonly string[], used: ReadonlySet<number>): number {
  return words.findIndex(
    (_, i) =>
      !used.has(i) &&
      words[i - 1]?.value !== '.' &&
      parts.every((part, j) => words[i + j * 2]?.value === part && (j === parts.length - 1 || words[i + j * 2 + 1]?.value === '.')) &&
      words[i + parts.length * 2 - 1]?.value !== '.',
  );
}

/**
 * The local query of a shape that keeps no string as text (none in a select list) and cannot run
 * away: the same text for every statement of the shape; only the bound values are the statement's.
 */
interface LocalShape {
  readonly text: string;
  /** Token positions of the values bound to its `?`, in order. */
  readonly bound: readonly number[];
}

function localQuery(node: SqlNode, context: ConvertContext, placed: readonly PlacedSource[], streaming: boolean): LocalQuery {
  const { tokens } = context;
  const known = context.memo.peek<LocalShape>(node, 'local');
  if (known) return { text: known.text, bindings: known.bound.map((at) => localBinding(tokens, at)), cancellable: undefined };
  const whole = context.span.offset + context.span.length;
  const end = streaming ? (limitStart(tokens) ?? whole) : whole;
  const edits: Edit[] = placed.map((entry, i) => ({
    start: tokens[entry.first].offset,
    end: tokens[entry.last].end,
    replacement: `"${LOCAL_TABLE_PREFIX}${i}"`,
  }));
  const bindings: Literal[] = [];
  const bound: number[] = [];
  let keepsText = false;
  forEachWithSelectList(tokens, (token, inSelectList, at) => {
    if (token.end > end) return;
    if (isBindable(token, inSelectList)) {
      edits.push({ start: token.offset, end: token.end, replacement: '?' });
      bindings.push(localBinding(tokens, at));
      bound.push(at);
    } else if (token.kind === 'hint') edits.push({ start: token.offset, end: token.end, replacement: ' ' });
    // A string in a select list that is kept as text, or one that might be (another statement of the shape may hold a placeholder there).
    if (inSelectList && isStringLike(token)) keepsText = true;
  });
  const inSourceName = (edit: Edit) => placed.some((entry) => edit.start >= tokens[entry.first].offset && edit.end <= tokens[entry.last].end);
  for (const edit of sqliteNameEdits(tokens)) if (edit.end <= end && !inSourceName(edit)) edits.push(edit);
  const text = applyEdits(context.script, context.span.offset, end, edits.sort(byPosition)).text;
  // A streaming statement reads one source and nothing else: it cannot run away.
  // Whether a query can run away depends on its clauses, never its strings: known once per shape.
  const bounded = streaming || context.memo.peek<boolean>(node, 'bounded') === true || readsOneFromItem(tokens);
  const cancellable = bounded ? undefined : cancellableQuery(node, context, placed, edits);
  if (!bounded && cancellable === undefined) context.memo.set(node, 'bounded', true);
  if (cancellable === undefined && !keepsText) context.memo.set(node, 'local', { text, bound } satisfies LocalShape);
  return { text, bindings, cancellable };
}

/** A bound string or placeholder token's value, as the local query's param. */
export function binding(token: Token): Literal {
  return { kind: 'literal', value: stringValue(token), quoted: true };
}

/** The local query's param at token `at`: a LIMIT's or an OFFSET's is a count, checked when planned. */
function localBinding(tokens: readonly Token[], at: number): Literal {
  const token = tokens[at];
  if (!isCountPosition(tokens, at)) return binding(token);
  return { ...binding(token), count: true, span: { offset: token.offset, length: token.end - token.offset } };
}

/** The local query with cancellation checks when it can run away (cancel-checks.ts), or why they cannot be placed. */
function cancellableQuery(_node: SqlNode, context: ConvertContext, placed: readonly PlacedSource[], edits: readonly Edit[]): LocalQuery['cancellable'] {
  const { script, tokens, span } = context;
  const withEdits = (start: number, end: number, extra: readonly Edit[] = []) =>
    applyEdits(script, start, end, [...edits.filter((edit) => edit.start >= start && edit.end <= end), ...extra].sort(byPosition)).text;
  let variants: Edit[][] | undefined;
  try {
    variants = cancelCheckEdits(outlineSelect(tokens), {
      tableOf: (item) => {
        const index = placed.findIndex((entry) => tokens[entry.first] === item.first);
        return index === -1 ? undefined : `"${LOCAL_TABLE_PREFIX}${index}"`;
      },
      textOf: (first, last) => withEdits(first.offset, last.end),
    });
  } catch (error) {
    if (!(error instanceof OutlineError)) throw error;
    const at = spanAt(script, error.token?.offset ?? span.offset + span.length);
    return { error: new EngineError('SQL_UNSUPPORTED', `cannot make this SELECT cancellable: ${error.message}`, { span: at }) };
  }
  if (!variants) return undefined;
  return { texts: [...new Set(variants.map((checks) => withEdits(span.offset, span.offset + span.length, checks)))] };
}

/** Insertions (empty edits) at a place go before an edit that starts there. */
function byPosition(a: Edit, b: Edit): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * Strings are bound, not spliced into the local SQL — except in a select list, where SQLite
 * names an unaliased column after its text (`SELECT 'x'`), unless they hold a placeholder.
 */
export function isBindable(token: Token, inSelectList: boolean): boolean {
  if (token.kind === 'template') return true;
  return token.kind === 'string' && (!inSelectList || token.value.includes('{{'));
}

const CLAUSES_AFTER_SELECT_LIST = constantSet(['FROM', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'HAVING', 'WINDOW']);

/** Visits the tokens, telling whether each is between a SELECT and the end of its column list. */
function forEachWithSelectList(tokens: readonly Token[], visit: (token: Token, inSelectList: boolean, at: number) => void): void {
  const open: boolean[] = [false];
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at];
    const depth = open.length - 1;
    let inside = false;
    // A parenthesis inherits its place (`json_extract(x, '$.a')` is still in the select list); a subquery's SELECT starts its own.
    if (token.kind === 'punct' && token.value === '(') open.push(open[depth]);
    else if (token.kind === 'punct' && token.value === ')') open.pop();
    else if (token.kind !== 'word') inside = open[depth];
    else {
      // Only a word of a clause keyword's length (4–6 letters) is upper-cased: most words are names.
      const upper = token.value.length >= 4 && token.value.length <= 6 ? token.value.toUpperCase() : '';
      if (upper === 'SELECT') open[depth] = true;
      else if (CLAUSES_AFTER_SELECT_LIST.has(upper)) open[depth] = false;
      else inside = open[depth];
    }
    visit(token, inside, at);
  }
}

function limitStart(tokens: readonly Token[]): number | undefined {
  const indexes = [topLevelIndex(tokens, 'LIMIT'), topLevelIndex(tokens, 'OFFSET')].filter((index) => index !== -1);
  return indexes.length > 0 ? tokens[Math.min(...indexes)].offset : undefined;
}

type StreamingForm = { readonly limit?: CountForm; readonly offset: CountForm; readonly columns?: DirectQuery['columns'] | 'none' };

/** LIMIT/OFFSET of a statement whose rows can be produced page by page; undefined otherwise (once per shape). */
function streamingOf(node: SqlNode, sourceCount: number, conditions: readonly SourceCondition[], context: ConvertContext): SelectStatement['streaming'] {
  const shape = context.memo.get(node, 'streaming', () => streamingForm(node, sourceCount, conditions) ?? null);
  if (shape === null) return undefined;
  const { columns, limit, offset } = shape;
  const count = (form: CountForm) => (typeof form === 'number' ? form : countBinding(context, form.stringAt));
  const window = limit === undefined ? { offset: count(offset) } : { limit: count(limit), offset: count(offset) };
  if (columns === 'none') return window;
  const filters = conditions.map((condition) => ({ column: condition.column, values: condition.values }));
  return { ...window, direct: columns === undefined ? { filters } : { columns, filters } };
}

/**
 * The count the statement's string at `index` gives (`LIMIT {{ n }}`). A numbered parameter the
 * user wrote (`LIMIT$5`, one word to the lexer) stands for no such string: a syntax error.
 */
function countBinding(context: ConvertContext, index: number): Literal {
  const { tokens } = context;
  let seen = -1;
  const at = tokens.findIndex((token) => isStringLike(token) && ++seen === index);
  if (at !== -1 && isCountPosition(tokens, at)) return localBinding(tokens, at);
  const clause = tokens.find((token) => token.kind === 'word' && /^(LIMIT|OFFSET)/i.test(token.value));
  throw new EngineError('SQL_SYNTAX', 'LIMIT and OFFSET take a number or a {{ placeholder }}', {
    span: spanAt(context.script, clause?.offset ?? context.span.offset),
  });
}

function streamingForm(node: SqlNode, sourceCount: number, conditions: readonly SourceCondition[]): StreamingForm | undefined {
  const simple =
    readsLoneResource(node, sourceCount) &&
    !node._next &&
    !node.with?.length &&
    !node.groupby &&
    !node.having &&
    !node.orderby?.length &&
    !node.distinct?.type &&
    !containsAggregate(node.columns) &&
    !containsAny(node.columns, ['select', 'window_func']) &&
    !containsAny(node.where, ['select']);
  const window = simple ? limitForms(node) : undefined;
  return window && { ...window, columns: directColumns(node, conditions) };
}

/** The columns of a SELECT that needs no SQLite (undefined: `*`), or 'none' when it needs SQLite. */
function directColumns(node: SqlNode, conditions: readonly SourceCondition[]): StreamingForm['columns'] {
  if (node.where && countConjuncts(node.where) !== conditions.length) return 'none';
  if (node.columns === '*' || (node.columns.length === 1 && columnName(node.columns[0].expr) === '*')) return undefined;
  const columns: { column: string; alias?: string }[] = [];
  for (const item of node.columns as SqlNode[]) {
    const column = plainColumnName(item.expr);
    if (!column || column === '*' || item.expr.table) return 'none';
    columns.push(typeof item.as === 'string' ? { column, alias: item.as } : { column });
  }
  return columns;
}

/** Names the statement mentions (the shape's, never its strings); a `*` that is not an argument (`count(*)`) means every column. */
function mentionedNames(tokens: readonly Token[], words: readonly NameWord[]): ReadonlySet<string> | 'all' {
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'punct' && token.value === '*' && tokens[i - 1]?.value !== '(' && !isOperand(tokens[i - 1])) return 'all';
    if (token.kind === 'word' || token.kind === 'quoted') names.add(token.value.toLowerCase());
  }
  // `api-version` unquoted is one name of three tokens.
  for (const word of words) if (word.last > word.first) names.add(word.value.toLowerCase());
  return names;
}

/** A token after which `*` multiplies. */
function isOperand(token: Token | undefined): boolean {
  return (
    token !== undefined &&
    (token.kind === 'number' ||
      token.kind === 'string' ||
      token.kind === 'quoted' ||
      token.value === ')' ||
      (token.kind === 'word' && !isKeyword(token, 'SELECT', 'DISTINCT', 'ALL')))
  );
}
