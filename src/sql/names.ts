// Names as node-sql-parser reads them from tokens: `data-factory` (three tokens, no spaces) is one name.

import type { Span } from './ast.ts';
import type { Token } from './lexer.ts';

export interface NameWord {
  readonly value: string;
  /** Token range: `data-factory` is three tokens, as the parser reads it as one name. */
  readonly first: number;
  readonly last: number;
}

/** The names of a statement's tokens (a conversion reads them once: ConvertContext.words). */
export function nameWords(tokens: readonly Token[]): NameWord[] {
  const words: NameWord[] = [];
  tokens.forEach((token, index) => {
    const previous = words[words.length - 1];
    const glued = previous && index > 0 && tokens[index - 1].end === token.offset;
    const joinsHyphen = glued && ((token.kind === 'punct' && token.value === '-') || (previous.value.endsWith('-') && token.kind === 'word'));
    if (joinsHyphen && previous.value !== '.') words[words.length - 1] = { value: previous.value + token.value, first: previous.first, last: index };
    else words.push({ value: token.value, first: index, last: index });
  });
  return words;
}

/** The span of a column name at or after token `from`: a word, a quoted name, or a hyphenated run. */
export function spanOfName(
  statement: { readonly tokens: readonly Token[]; readonly words: () => readonly NameWord[] },
  name: string,
  from: number,
): Span | undefined {
  const word = nameWordAt(statement.words(), name, from);
  return word && tokenSpan(statement.tokens, word.first, word.last);
}

/** The first word that is the name, at or after token `from`. */
export function nameWordAt(words: readonly NameWord[], name: string, from: number): NameWord | undefined {
  return words.find((candidate) => candidate.first >= from && candidate.value === name);
}

/** The text of tokens `first` to `last`, as a span of the script. */
export function tokenSpan(tokens: readonly Token[], first: number, last: number): Span {
  return { offset: tokens[first].offset, length: tokens[last].end - tokens[first].offset };
}
