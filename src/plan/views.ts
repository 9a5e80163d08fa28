// Views at plan time. CREATE VIEW checks the query and fixes its {{ placeholders }} to the values
// of the moment; a statement that reads a view gets the view's query in its place, as a subquery
// under the view's name, and is parsed again. Conditions the statement puts on a column the view
// passes through unchanged (`WHERE resource_group_name = 'rg'`) go into the view's query too, so
// they can pick the method and fill its params, as they would on the resource itself. A
// provider's view marks such a param `'replace-me'`; the statement's value takes its place.

import { EngineError, spanAt } from '../errors.ts';
import type { CreateViewStatement, DropViewStatement, ParsedStatement } from '../sql/ast.ts';
import { quoteIdentifier } from '../sql/identifiers.ts';
import { closingParenthesis, isKeyword, tokenize, type Token } from '../sql/lexer.ts';
import { applyEdits, type Edit } from '../sql/normalize.ts';
import { parseStatement } from '../sql/parse.ts';
import { substituteTemplates, type TemplateVars } from '../sql/templates.ts';
import { tableNameReferences, type NameReference } from '../sql/views.ts';
import type { RegistryView } from '../registry/load.ts';
import type { ViewLookup } from '../registry/views.ts';
import { resolveResource } from '../registry/resolve.ts';
import type { PlanOptions, ViewChangePlan } from './types.ts';
import { sameName } from '../util/same-name.ts';

/** Views inside views: deeper than this is a view that reads itself. */
const MAX_VIEW_DEPTH = 16;
/** A provider view's stand-in for a value its query needs from the statement. */
const REPLACE_ME = 'replace-me';

export function planCreateView(statement: CreateViewStatement, script: string, registry: RegistryView, options: PlanOptions): ViewChangePlan {
  const name = statement.name.parts.join('.').toLowerCase();
  const span = spanAt(script, statement.name.span.offset, statement.name.span.length);
  if (options.storedViews?.stored(name)) {
    throw new EngineError('REG_CONFLICT', `${name} is a materialized view already`, {
      hint: `DROP MATERIALIZED VIEW ${name} first, or choose another name`,
      span,
    });
  }
  const existing = options.views?.view(name);
  if (existing && !statement.orReplace) {
    throw new EngineError('REG_CONFLICT', `the view ${name} exists already`, {
      hint: `CREATE OR REPLACE VIEW ${name} AS … replaces it; DROP VIEW ${name} removes it`,
      span,
    });
  }
  const query = withValuesFixed(statement.query, options.vars);
  const expanded = expandedText(query, options.views, name);
  const parsed = parseStatement(expanded);
  if (parsed.statement.kind === 'select') for (const source of parsed.statement.sources) resolveResource(registry, source.name, parsed.text);
  return { kind: 'view_change', action: existing ? 'replace' : 'create', name, query };
}

/** DROP VIEW forgets a view's query; DROP MATERIALIZED VIEW a materialized view's rows. Each names its own kind. */
export function planDropView(statement: DropViewStatement, script: string, options: PlanOptions): ViewChangePlan {
  const name = statement.name.parts.join('.').toLowerCase();
  const plain = options.views?.view(name) !== undefined;
  const stored = options.storedViews?.stored(name) !== undefined;
  const exists = statement.materialized ? stored : plain;
  if (!exists && !statement.ifExists) {
    throw new EngineError('REG_UNKNOWN_RESOURCE', `no ${statement.materialized ? 'materialized ' : ''}view named ${name}`, {
      hint: dropHint(name, statement.materialized, statement.materialized ? plain : stored, options),
      span: spanAt(script, statement.name.span.offset, statement.name.span.length),
    });
  }
  const plan: ViewChangePlan = { kind: 'view_change', action: exists ? 'drop' : 'none', name };
  return statement.materialized ? { ...plan, materialized: true } : plan;
}

function dropHint(name: string, materialized: boolean, otherKind: boolean, options: PlanOptions): string {
  if (otherKind) return materialized ? `${name} is a plain view: DROP VIEW ${name}` : `${name} is a materialized view: DROP MATERIALIZED VIEW ${name}`;
  const known = (materialized ? options.storedViews?.storedNames() : options.views?.viewNames()) ?? [];
  const kind = materialized ? 'materialized views' : 'views';
  return known.length > 0
    ? `${kind}: ${known.join(', ')}`
    : `no ${kind} are defined (DROP ${materialized ? 'MATERIALIZED ' : ''}VIEW IF EXISTS … does not mind)`;
}

/** The statement with every view it reads replaced by the view's query; the statement itself when it reads none. */
export function withViewsExpanded(parsed: ParsedStatement, views: ViewLookup | undefined): ParsedStatement {
  if (!views || (!views.hasUserViews() && !readsProviderView(parsed, views))) return parsed;
  const text = parsed.text.slice(parsed.span.offset, parsed.span.offset + parsed.span.length);
  const expanded = expandedText(text, views);
  if (expanded === text) return parsed;
  const reparsed = parseStatement(expanded);
  return { ...reparsed, data: parsed.data };
}

/** Whether a source the statement names as a resource is a provider's view. */
function readsProviderView(parsed: ParsedStatement, views: ViewLookup): boolean {
  const { statement } = parsed;
  const sources = statement.kind === 'select' ? statement.sources : statement.kind === 'insert' ? (statement.query?.sources ?? []) : [];
  return sources.some((source) => source.name.parts.length === 3 && views.view(source.name.parts.join('.')) !== undefined);
}

function expandedText(text: string, views: ViewLookup | undefined, defining?: string): string {
  if (!views) return text;
  let current = text;
  for (let depth = 0; depth <= MAX_VIEW_DEPTH; depth++) {
    const tokens = tokenize(current);
    const named = tableNameReferences(tokens);
    const itself = named.find((reference) => reference.name === defining);
    const references = named.filter((reference) => views.view(reference.name) !== undefined);
    if (itself) throw new EngineError('SQL_UNSUPPORTED', `the view ${defining} cannot read itself`, { span: spanAt(current, tokens[itself.first].offset) });
    if (references.length === 0) return current;
    current = applyEdits(
      current,
      0,
      current.length,
      references.map((reference) => viewEdit(current, tokens, reference, views)),
    ).text;
  }
  throw new EngineError('SQL_UNSUPPORTED', `views read views more than ${MAX_VIEW_DEPTH} deep`, {
    hint: 'a view that reads itself, through other views, never ends',
  });
}

/** `vw [AS] alias` → `(view query) AS alias`, with the statement's conditions on it inside. */
function viewEdit(_text: string, tokens: readonly Token[], reference: NameReference, views: ViewLookup): Edit {
  const view = views.view(reference.name)!;
  const aliasToken = aliasAfter(tokens, reference.last);
  const alias = aliasToken?.value ?? reference.name.split('.').at(-1)!;
  const scope = enclosingQuery(tokens, reference.first);
  const pushed = conditionsOn(scope, alias, aliasToken !== undefined || !hasOtherFromItems(scope));
  const query = withConditions(view.query, pushed, reference.name);
  return {
    start: tokens[reference.first].offset,
    end: tokens[reference.last].end,
    replacement: `(${query})${aliasToken ? '' : ` AS "${alias}"`}`,
  };
}

/** The tokens of the query a FROM item belongs to: inside the parentheses around it, or all of them. */
function enclosingQuery(tokens: readonly Token[], at: number): readonly Token[] {
  let depth = 0;
  for (let open = at - 1; open >= 0; open--) {
    const token = tokens[open];
    if (token.kind === 'punct' && token.value === ')') depth++;
    else if (token.kind === 'punct' && token.value === '(' && depth-- === 0) {
      const close = closingParenthesis(tokens, open);
      return tokens.slice(open + 1, close);
    }
  }
  return tokens;
}

const NOT_ALIASES = [
  'WHERE',
  'JOIN',
  'LEFT',
  'RIGHT',
  'FULL',
  'INNER',
  'CROSS',
  'OUTER',
  'NATURAL',
  'ON',
  'USING',
  'GROUP',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'HAVING',
  'WINDOW',
  'RETURNING',
];

/** The alias a FROM item ending at `last` is given (`vw f`, `vw AS f`), if any. */
export function aliasAfter(tokens: readonly Token[], last: number): Token | undefined {
  const next = tokens[last + 1];
  if (isKeyword(next, 'AS')) return tokens[last + 2];
  if (next?.kind === 'quoted' || (next?.kind === 'word' && !NOT_ALIASES.some((word) => isKeyword(next, word)))) return next;
  return undefined;
}

/** A column the statement's top-level WHERE gives values: `col = v`, `v = col`, `col IN (v, …)`. */
interface PushedCondition {
  readonly column: string;
  /** Each value's SQL text, as written. */
  readonly values: readonly string[];
}

/** The statement's top-level AND-ed `column = value` conditions on the view's columns (none when the WHERE has a top-level OR). */
function conditionsOn(tokens: readonly Token[], alias: string, unqualifiedAllowed: boolean): PushedCondition[] {
  const where = topLevel(tokens, 'WHERE');
  if (where === -1) return [];
  const clause = clauseTokens(tokens, where);
  const conjuncts = splitTopLevel(clause, 'AND');
  if (conjuncts.some((conjunct) => splitTopLevel(conjunct, 'OR').length > 1)) return [];
  return conjuncts.flatMap((conjunct) => {
    const condition = equalityOf(conjunct);
    if (!condition) return [];
    if (condition.qualifier === undefined ? !unqualifiedAllowed : !sameName(condition.qualifier, alias)) return [];
    return [{ column: condition.column, values: condition.values }];
  });
}

function equalityOf(tokens: readonly Token[]): { qualifier?: string; column: string; values: string[] } | undefined {
  const column = columnAt(tokens, 0);
  if (column && tokens[column.next]?.value === '=' && column.next + 2 === tokens.length && isValue(tokens[column.next + 1])) {
    return { qualifier: column.qualifier, column: column.name, values: [tokenText(tokens[column.next + 1])] };
  }
  if (column && isKeyword(tokens[column.next], 'IN') && tokens[column.next + 1]?.value === '(' && tokens.at(-1)?.value === ')') {
    const inside = tokens.slice(column.next + 2, -1);
    const values = inside.filter((_, i) => i % 2 === 0);
    const commas = inside.filter((_, i) => i % 2 === 1);
    if (values.length > 0 && values.every(isValue) && commas.every((token) => token.value === ','))
      return { qualifier: column.qualifier, column: column.name, values: values.map(tokenText) };
  }
  if (tokens.length >= 3 && isValue(tokens[0]) && tokens[1].value === '=') {
    const right = columnAt(tokens, 2);
    if (right && right.next === tokens.length) return { qualifier: right.qualifier, column: right.name, values: [tokenText(tokens[0])] };
  }
  return undefined;
}

function columnAt(tokens: readonly Token[], at: number): { qualifier?: string; name: string; next: number } | undefined {
  const isName = (token: Token | undefined) => token?.kind === 'word' || token?.kind === 'quoted';
  if (!isName(tokens[at])) return undefined;
  if (tokens[at + 1]?.value === '.' && isName(tokens[at + 2])) return { qualifier: tokens[at].value, name: tokens[at + 2].value, next: at + 3 };
  return { name: tokens[at].value, next: at + 1 };
}

function isValue(token: Token | undefined): boolean {
  return token?.kind === 'string' || token?.kind === 'number' || token?.kind === 'template';
}

function tokenText(token: Token): string {
  if (token.kind === 'string') return `'${token.value.replace(/'/g, "''")}'`;
  if (token.kind === 'template') return `'{{ ${token.value} }}'`;
  return token.value;
}

/** The view's query with the statement's conditions added (and its `'replace-me'` values filled). */
function withConditions(query: string, pushed: readonly PushedCondition[], name: string): string {
  const tokens = tokenize(query);
  const where = topLevel(tokens, 'WHERE');
  const clause = where === -1 ? [] : clauseTokens(tokens, where);
  const fills: Edit[] = [];
  const filled = new Set<string>();
  for (const conjunct of splitTopLevel(clause, 'AND')) {
    const condition = equalityOf(conjunct);
    if (condition?.values.length !== 1 || condition.values[0] !== `'${REPLACE_ME}'`) continue;
    const given = pushed.find((entry) => sameName(entry.column, condition.column));
    if (!given) {
      throw new EngineError('PLAN_MISSING_PARAM', `the view ${name} needs a value for ${condition.column}`, {
        hint: `add WHERE ${condition.column} = '…' to the statement`,
      });
    }
    fills.push({ start: conjunct[0].offset, end: conjunct[conjunct.length - 1].end, replacement: conditionText(condition.column, given.values) });
    filled.add(given.column.toLowerCase());
  }
  const passing = passedThrough(tokens);
  const added = pushed
    .filter((entry) => !filled.has(entry.column.toLowerCase()) && passing(entry.column))
    .map((entry) => conditionText(entry.column, entry.values));
  if (where === -1) {
    if (added.length === 0) return query;
    const end = clauseEnd(tokens, topLevel(tokens, 'FROM'));
    return applyEdits(query, 0, query.length, [{ start: end, end, replacement: ` WHERE ${added.join(' AND ')} ` }]).text;
  }
  if (clause.length === 0) return query;
  const [start, end] = [clause[0].offset, clause[clause.length - 1].end];
  const own = applyEdits(query, start, end, fills).text;
  const condition = added.length === 0 ? own : `(${own}) AND ${added.join(' AND ')}`;
  return applyEdits(query, 0, query.length, [{ start, end, replacement: condition }]).text;
}

function conditionText(column: string, values: readonly string[]): string {
  const name = quoteIdentifier(column);
  return values.length === 1 ? `${name} = ${values[0]}` : `${name} IN (${values.join(', ')})`;
}

/**
 * Whether filtering the view's rows on a column is the same as filtering the rows it reads: a
 * plain SELECT (no grouping, DISTINCT, LIMIT, window or set operation) over one item that
 * selects the column as it is (or `*`).
 */
function passedThrough(tokens: readonly Token[]): (column: string) => boolean {
  const blocked =
    ['GROUP', 'HAVING', 'LIMIT', 'OFFSET', 'DISTINCT', 'UNION', 'INTERSECT', 'EXCEPT', 'WINDOW'].some((word) => topLevel(tokens, word) !== -1) ||
    tokens.some((token) => isKeyword(token, 'OVER')) ||
    hasOtherFromItems(tokens);
  if (blocked) return () => false;
  const select = topLevel(tokens, 'SELECT');
  const from = topLevel(tokens, 'FROM');
  if (select === -1 || from === -1) return () => false;
  const items = splitTopLevelPunct(tokens.slice(select + 1, from), ',');
  const bare = new Set<string>();
  let star = false;
  for (const item of items) {
    if (item.length === 1 && item[0].value === '*') star = true;
    const column = columnAt(item, 0);
    if (!column) continue;
    if (column.next === item.length) bare.add(column.name.toLowerCase());
    else if (isKeyword(item[column.next], 'AS') && column.next + 2 === item.length && sameName(item[column.next + 1].value, column.name))
      bare.add(column.name.toLowerCase());
  }
  return (column) => star || bare.has(column.toLowerCase());
}

/** Whether the FROM of the statement's top level joins more than one item. */
function hasOtherFromItems(tokens: readonly Token[]): boolean {
  const from = topLevel(tokens, 'FROM');
  if (from === -1) return false;
  let depth = 0;
  for (let i = from + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.value === '(') depth++;
    else if (token.value === ')') depth--;
    else if (depth === 0 && (isKeyword(token, 'JOIN') || token.value === ',')) return true;
    else if (depth === 0 && CLAUSES.some((word) => isKeyword(token, word))) return false;
  }
  return false;
}

const CLAUSES = ['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'RETURNING'];

/** The index of a keyword outside parentheses, or -1. */
function topLevel(tokens: readonly Token[], keyword: string): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].value === '(' && tokens[i].kind === 'punct') depth++;
    else if (tokens[i].value === ')' && tokens[i].kind === 'punct') depth--;
    else if (depth === 0 && isKeyword(tokens[i], keyword)) return i;
  }
  return -1;
}

/** The tokens of the clause that starts at `start`, up to the next clause. */
function clauseTokens(tokens: readonly Token[], start: number): Token[] {
  const taken: Token[] = [];
  let depth = 0;
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
    if (depth === 0 && CLAUSES.some((word) => isKeyword(token, word))) break;
    if (token.kind !== 'hint') taken.push(token);
  }
  return taken;
}

/** Where the clause that starts at `start` ends (an offset). */
function clauseEnd(tokens: readonly Token[], start: number): number {
  const clause = clauseTokens(tokens, start);
  return clause.length > 0 ? clause[clause.length - 1].end : tokens[start].end;
}

function splitTopLevel(tokens: readonly Token[], keyword: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  let between = false;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
    // `x BETWEEN a AND b`: that AND is not a conjunction.
    if (depth === 0 && isKeyword(token, 'BETWEEN')) between = true;
    if (depth === 0 && isKeyword(token, keyword) && !(keyword === 'AND' && between)) parts.push([]);
    else {
      if (depth === 0 && isKeyword(token, 'AND')) between = false;
      parts[parts.length - 1].push(token);
    }
  }
  return parts.filter((part) => part.length > 0);
}

function splitTopLevelPunct(tokens: readonly Token[], punct: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
    if (depth === 0 && token.kind === 'punct' && token.value === punct) parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts.filter((part) => part.length > 0);
}

/** The view's query with each {{ placeholder }} replaced by its value now, as an SQL literal. */
export function withValuesFixed(query: string, vars: TemplateVars): string {
  const edits: Edit[] = [];
  for (const token of tokenize(query)) {
    if (token.kind === 'string' && token.value.includes('{{')) {
      edits.push({ start: token.offset, end: token.end, replacement: `'${substituteTemplates(token.value, vars).replace(/'/g, "''")}'` });
    } else if (token.kind === 'template') {
      edits.push({ start: token.offset, end: token.end, replacement: sqlLiteral(vars[token.value]) });
    }
  }
  return applyEdits(query, 0, query.length, edits).text;
}

function sqlLiteral(value: TemplateVars[string]): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}
