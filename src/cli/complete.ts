// Tab completion in the shell: keywords, provider.service.resource[.method] names after FROM,
// JOIN, INTO, UPDATE, DESCRIBE, EXEC, SHOW … IN and \d, the columns of the resources a statement
// reads, `@param` names of an EXEC's method, meta-commands and output formats. Pure: the
// registry is asked through a Catalog, lazily (a service's document loads when first named).

import { tokenize, type Token } from '../sql/lexer.ts';
import { constantSet } from '../util/caches.ts';
import { OUTPUT_FORMATS } from '../output/format.ts';

export interface Catalog {
  /** Child names of a dotted path: providers (''), services, resources, methods. */
  names(parent: string): readonly string[];
  /** A resource's columns (the fields its SELECT returns) and the params of its methods. */
  columns(resource: string): readonly string[];
  /** The params of a method (provider.service.resource.method). */
  params(method: string): readonly string[];
}

export type Completion = [readonly string[], string];

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'LIKE',
  'BETWEEN',
  'JOIN',
  'LEFT',
  'INNER',
  'ON',
  'AS',
  'GROUP',
  'BY',
  'ORDER',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'DISTINCT',
  'ASC',
  'DESC',
  'UNION',
  'ALL',
  'WITH',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'INSERT',
  'INTO',
  'VALUES',
  'RETURNING',
  'UPDATE',
  'SET',
  'DELETE',
  'REPLACE',
  'EXEC',
  'SHOW',
  'PROVIDERS',
  'SERVICES',
  'RESOURCES',
  'METHODS',
  'DESCRIBE',
  'EXTENDED',
  'METHOD',
  'REGISTRY',
  'ADD',
  'LIST',
  'PULL',
  'EXPLAIN',
  'CREATE',
  'DROP',
  'VIEW',
  'MATERIALIZED',
  'REFRESH',
  'TRUE',
  'FALSE',
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'json_extract',
  'json_each',
];

/** After these words comes a qualified name. */
const NAME_BEFORE = constantSet(['FROM', 'JOIN', 'INTO', 'UPDATE', 'DESCRIBE', 'DESC', 'EXEC', 'EXECUTE', 'IN', 'METHOD', 'EXTENDED', 'TABLE']);
/** Qualified names are resources (3 parts) except after these, where methods (4) follow. */
const METHOD_AFTER = constantSet(['EXEC', 'EXECUTE', 'METHOD']);

export const META_COMMANDS = [
  '\\?',
  '\\q',
  '\\d',
  '\\d+',
  '\\x',
  '\\timing',
  '\\o',
  '\\i',
  '\\set',
  '\\unset',
  '\\pager',
  '\\r',
  'help',
  'exit',
  'quit',
  '.mode',
  '.help',
  '.quit',
  '.tables',
  '.schema',
  '.timer',
];

/**
 * Completions for the text before the cursor. `statement` is the whole statement so far (earlier
 * lines and the full current line), where the resources a statement reads are found.
 */
export function complete(before: string, statement: string, catalog: Catalog): Completion {
  const word = /[@]?[\w.$\\-]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - word.length);
  try {
    if (head.trim() === '' && (word.startsWith('\\') || word.startsWith('.'))) return [matching(META_COMMANDS, word), word];
    const meta = /^\s*(\\d\+?|\\dt|\.tables|\.schema|\\o|\.mode)\s+$/.exec(head);
    if (meta) return meta[1] === '\\o' || meta[1] === '.mode' ? [matching(OUTPUT_FORMATS, word), word] : [qualifiedNames(word, catalog, 4), word];
    const tokens = tokensOf(head);
    if (tokens === undefined) return [[], word];
    if (word.startsWith('@')) return [paramNames(word, tokensOf(statement) ?? tokens, catalog), word];
    const previous = lastWord(tokens);
    if ((previous !== undefined && NAME_BEFORE.has(previous)) || (word.includes('.') && isQualifiedStart(word, catalog))) {
      return [qualifiedNames(word, catalog, previous !== undefined && METHOD_AFTER.has(previous) ? 4 : 3), word];
    }
    const dot = word.lastIndexOf('.');
    // `f.na`: a column of the source aliased f (any source's columns are offered).
    const qualifier = dot === -1 ? '' : word.slice(0, dot + 1);
    const columns = columnsAndKeywords(word.slice(dot + 1), tokensOf(statement) ?? tokens, catalog, qualifier === '');
    return [columns.map((name) => qualifier + name), word];
  } catch {
    // A broken registry document must not break the prompt: no completions.
    return [[], word];
  }
}

function tokensOf(text: string): Token[] | undefined {
  try {
    return tokenize(text);
  } catch {
    return undefined; // inside a string or a comment: nothing to complete
  }
}

function lastWord(tokens: readonly Token[]): string | undefined {
  const last = tokens.at(-1);
  return last?.kind === 'word' ? last.value.toUpperCase() : undefined;
}

function matching(candidates: readonly string[], prefix: string): string[] {
  const lower = prefix.toLowerCase();
  return [...new Set(candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower)))].sort();
}

/** `azure.data_f` → `azure.data_factory.`: a name that has children ends with a dot. */
function qualifiedNames(word: string, catalog: Catalog, depth: number): string[] {
  const parts = word.split('.');
  const parent = parts.slice(0, -1).join('.');
  if (parts.length > depth) return [];
  const children = catalog.names(parent).map((name) => (parent ? `${parent}.${name}` : name));
  const leaf = parts.length === depth;
  return matching(children, word).map((name) => (leaf ? name : `${name}.`));
}

/** A word like `azure.d` (a known provider first) is a name wherever it is written. */
function isQualifiedStart(word: string, catalog: Catalog): boolean {
  return catalog.names('').includes(word.split('.')[0]);
}

/** The resources the statement reads or changes: the qualified names after FROM, JOIN, INTO, UPDATE. */
export function statementResources(tokens: readonly Token[]): string[] {
  const resources: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const keyword = tokens[i].kind === 'word' ? tokens[i].value.toUpperCase() : '';
    if (!['FROM', 'JOIN', 'INTO', 'UPDATE', 'DESCRIBE', 'EXEC', 'EXECUTE'].includes(keyword)) continue;
    const name = qualifiedAt(tokens, i + 1);
    if (name) resources.push(name);
  }
  return resources;
}

function qualifiedAt(tokens: readonly Token[], start: number): string | undefined {
  const parts: string[] = [];
  for (let i = start; i < tokens.length; i += 2) {
    if (tokens[i].kind !== 'word' && tokens[i].kind !== 'quoted') break;
    parts.push(tokens[i].value);
    if (tokens[i + 1]?.kind !== 'punct' || tokens[i + 1].value !== '.') break;
  }
  return parts.length >= 3 ? parts.join('.') : undefined;
}

function columnsAndKeywords(word: string, tokens: readonly Token[], catalog: Catalog, withKeywords: boolean): string[] {
  const columns = statementResources(tokens)
    .filter((name) => name.split('.').length === 3)
    .flatMap((name) => catalog.columns(name));
  if (!withKeywords) return matching(columns, word);
  const keywords = word !== '' && word === word.toLowerCase() ? KEYWORDS.map((keyword) => keyword.toLowerCase()) : KEYWORDS;
  return [...matching(columns, word), ...matching(keywords, word).filter((keyword) => !columns.includes(keyword))];
}

function paramNames(word: string, tokens: readonly Token[], catalog: Catalog): string[] {
  const method = statementResources(tokens).find((name) => name.split('.').length === 4);
  if (!method) return [];
  return matching(
    catalog.params(method).map((name) => `@${name}`),
    word,
  );
}
