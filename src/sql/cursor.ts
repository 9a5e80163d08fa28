// A cursor over one statement's tokens, for the statements skyql parses itself.

import { isKeyword, syntaxError, type Token } from './lexer.ts';
import type { Literal, QualifiedName } from './ast.ts';
import type { EngineError } from '../errors.ts';

export class TokenCursor {
  private index = 0;
  private readonly tokens: readonly Token[];
  readonly script: string;
  private readonly end: number;

  constructor(script: string, tokens: readonly Token[], end: number) {
    this.script = script;
    this.tokens = tokens.filter((token) => token.kind !== 'hint');
    this.end = end;
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  next(): Token | undefined {
    return this.tokens[this.index++];
  }

  back(): void {
    this.index--;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  acceptKeyword(...words: string[]): Token | undefined {
    return isKeyword(this.peek(), ...words) ? this.next() : undefined;
  }

  expectKeyword(...words: string[]): Token {
    const token = this.acceptKeyword(...words);
    if (!token) throw this.error(`expected ${words.join(' or ')}`);
    return token;
  }

  acceptPunct(value: string): Token | undefined {
    const token = this.peek();
    return token?.kind === 'punct' && token.value === value ? this.next() : undefined;
  }

  expectPunct(value: string): Token {
    const token = this.acceptPunct(value);
    if (!token) throw this.error(`expected "${value}"`);
    return token;
  }

  /** The tokens not read yet (hints left out); the cursor is then at the end. */
  rest(): readonly Token[] {
    const rest = this.tokens.slice(this.index);
    this.index = this.tokens.length;
    return rest;
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.error('unexpected text');
  }

  /** `a.b.c`: dotted words or quoted identifiers. */
  qualifiedName(): QualifiedName {
    const first = this.identifier('a name such as azure.data_factory.pipeline_runs');
    const parts = [first.value];
    let last = first;
    while (this.acceptPunct('.')) {
      last = this.identifier('a name after "."');
      parts.push(last.value);
    }
    return { parts, span: { offset: first.offset, length: last.end - first.offset } };
  }

  identifier(what: string): Token {
    const token = this.peek();
    if (token?.kind !== 'word' && token?.kind !== 'quoted') throw this.error(`expected ${what}`);
    return this.next() as Token;
  }

  literal(): Literal {
    const token = this.next();
    const span = token && { offset: token.offset, length: token.end - token.offset };
    if (token?.kind === 'string') return { kind: 'literal', value: token.value, quoted: true, span };
    if (token?.kind === 'template') return { kind: 'literal', value: `{{ ${token.value} }}`, quoted: true, span };
    if (token?.kind === 'number') return { kind: 'literal', value: Number(token.value), quoted: false, span };
    if (token?.kind === 'punct' && token.value === '-' && this.peek()?.kind === 'number') {
      const number = this.next() as Token;
      return { kind: 'literal', value: -Number(number.value), quoted: false, span: { offset: token.offset, length: number.end - token.offset } };
    }
    if (isKeyword(token, 'TRUE', 'FALSE')) return { kind: 'literal', value: token!.value.toUpperCase() === 'TRUE', quoted: false, span };
    if (isKeyword(token, 'NULL')) return { kind: 'literal', value: null, quoted: false, span };
    this.back();
    throw this.error("expected a value (a 'string', a number, TRUE, FALSE or NULL)");
  }

  error(message: string): EngineError {
    const token = this.peek();
    const found = token ? ` but found "${this.script.slice(token.offset, token.end)}"` : ' but the statement ended';
    return syntaxError(this.script, token ? token.offset : this.end, `${message}${found}`);
  }
}
