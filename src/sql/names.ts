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
  const { tokens } = statement;
  const word = statement.words().find((candidate) => candidate.first >= from && candidate.value === name);
  return word && { offset: tokens[word.first].offset, length: tokens[word.last].end - tokens[word.first].offset };
}
