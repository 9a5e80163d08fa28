// A SELECT's text with its string literals taken out: statements that differ only in the strings
// they give (`… AND runId = '<a new id>'`) have one key, and the planner can reuse what it worked
// out for the first ones (plan/generic-plans.ts) without parsing the new text.

import type { Span } from './ast.ts';
import { isKeyword, tokenize, type Token } from './lexer.ts';
import { isStringLike } from './normalize.ts';
import { splitStatements } from './split.ts';
import { hasExecTable } from './exec-tables.ts';
import { BoundedCache, type CacheOwner, type CacheStats } from '../util/caches.ts';

export interface LiteralShape {
  /** The statement's text with each string literal written `'?'`; equal keys mean equal text but for string values. */
  readonly key: string;
  /** Each string literal's value, in order. */
  readonly values: readonly string[];
  /** The script's tokens (parsing takes them instead of reading the text again). */
  readonly tokens: readonly Token[];
  /** The statement as written, without a trailing `;`. */
  readonly statement: string;
}

/**
 * The shape of a script that is one SELECT with string literals and nothing filled in from vars or
 * a data block; undefined for anything else (those plan as they always do).
 */
export function literalShape(text: string): LiteralShape | undefined {
  if (text.includes('{{') || text.includes('<<<')) return undefined;
  const tokens = tokenize(text);
  const statements = splitStatements(tokens);
  if (statements.length !== 1) return undefined;
  const { offset, end } = statements[0];
  const first = statements[0].tokens.find((token) => token.kind !== 'hint');
  // An `(EXEC …)` table is parsed as another text, with strings of its own.
  if (!isKeyword(first, 'SELECT') || hasExecTable(tokens)) return undefined;
  let key = '';
  let from = 0;
  const values: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'param' || token.kind === 'json_param') return undefined;
    if (token.kind !== 'string') continue;
    key += `${text.slice(from, token.offset)}'?'`;
    from = token.end;
    values.push(token.value);
  }
  if (values.length === 0) return undefined;
  return { key: key + text.slice(from), values, tokens, statement: text.slice(offset, end) };
}

/**
 * A text whose literal shape is known, cut around its string literals' contents: the text is
 * `parts[0]`, a value, `parts[1]`, …, a value, `parts[k]` — each part from a literal's closing quote
 * (the first part from the text's start) to the next literal's opening quote (the last part to the end).
 */
interface ShapeTemplate {
  readonly key: string;
  readonly parts: readonly string[];
  /** Where the statement starts, and how far before the text's end it ends (its `;`, spaces, comments). */
  readonly statementStart: number;
  readonly statementEndFromEnd: number;
}

/**
 * literalShape, for the texts of a shape seen before without reading them with the lexer: a text
 * that is an earlier text of its shape but for the contents of its string literals, none of which
 * holds a quote, is read by the lexer as that text was, token for token, but for those strings'
 * values — inside a literal every character but a quote only extends it. The tokens are read when
 * asked for (a statement planned as usual). Owned by the engine's SqlSession.
 */
export class LiteralShapes implements CacheOwner {
  /** By the text up to the first literal's opening quote. */
  private readonly templates = new BoundedCache<string, ShapeTemplate>('sql.literal-shapes', 256, { admitOnSecondSight: true, secondSightWindow: 64 });

  shapeOf(text: string): LiteralShape | undefined {
    const quote = text.indexOf("'");
    if (quote === -1 || text.includes('{{') || text.includes('<<<')) return undefined;
    const opening = text.slice(0, quote + 1);
    const template = this.templates.get(opening);
    const known = template && fromTemplate(template, text);
    if (known) return known;
    const shape = literalShape(text);
    // Looked up by the text up to its first quote: kept when that is the first literal's (not one in a comment or a name).
    if (shape && shape.tokens.find((token) => token.kind === 'string')?.offset === quote) {
      // Kept from a shape's second text: most texts of a script, or of new shapes, come once.
      this.templates.setMade(opening, () => templateOf(text, shape));
    }
    return shape;
  }

  stats(): CacheStats[] {
    return [this.templates.stats()];
  }

  clear(): void {
    this.templates.clear();
  }
}

function templateOf(text: string, shape: LiteralShape): ShapeTemplate {
  const parts: string[] = [];
  let from = 0;
  for (const token of shape.tokens) {
    if (token.kind !== 'string') continue;
    parts.push(text.slice(from, token.offset + 1));
    from = token.end - 1;
  }
  parts.push(text.slice(from));
  const [{ offset, end }] = splitStatements(shape.tokens);
  return { key: shape.key, parts, statementStart: offset, statementEndFromEnd: text.length - end };
}

function fromTemplate(template: ShapeTemplate, text: string): LiteralShape | undefined {
  const { parts } = template;
  const values: string[] = [];
  let at = parts[0].length;
  for (let i = 1; i < parts.length; i++) {
    const close = text.indexOf("'", at);
    if (close === -1 || !text.startsWith(parts[i], close)) return undefined;
    values.push(text.slice(at, close));
    at = close + parts[i].length;
  }
  if (at !== text.length) return undefined;
  return new TemplateShape(template.key, values, text, text.slice(template.statementStart, text.length - template.statementEndFromEnd));
}

/** A shape found from a template: its tokens are read when first asked for. */
class TemplateShape implements LiteralShape {
  readonly key: string;
  readonly values: readonly string[];
  readonly statement: string;
  private readonly text: string;
  private read?: readonly Token[];

  constructor(key: string, values: readonly string[], text: string, statement: string) {
    this.key = key;
    this.values = values;
    this.text = text;
    this.statement = statement;
  }

  get tokens(): readonly Token[] {
    this.read ??= tokenize(this.text);
    return this.read;
  }
}

/** The lower-case text of every token a string value could be confused with when values are compared (numbers, words, names). */
export function otherTokenValues(tokens: readonly Token[]): Set<string> {
  const values = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'string' || token.kind === 'punct' || token.kind === 'hint') continue;
    values.add(token.value.toLowerCase());
    if (token.kind === 'number') values.add(String(Number(token.value)));
  }
  return values;
}

/**
 * Where the statement's string (or placeholder) number `index` is written, in the statement of the
 * script that holds offset `within` (a Literal the parser made knows its index, not its place).
 * For errors: reads the script again.
 */
export function stringLiteralSpan(script: string, within: number, index: number): Span | undefined {
  const statement = splitStatements(tokenize(script)).find((part) => part.offset <= within && within < part.end);
  const token = statement?.tokens.filter(isStringLike)[index];
  return token && { offset: token.offset, length: token.end - token.offset };
}
