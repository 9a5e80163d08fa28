import { describe, expect, it } from 'vitest';
import { isKeyword, tokenize, type Token } from '../../../src/sql/lexer.ts';
import { errorOf } from '../../helpers/errors.ts';

const kinds = (tokens: readonly Token[]) => tokens.map((token) => [token.kind, token.value]);

describe('tokenize', () => {
  it('reads words, punctuation and numbers with offsets', () => {
    const tokens = tokenize('SELECT a, b FROM x.y.z');
    expect(kinds(tokens)).toEqual([
      ['word', 'SELECT'],
      ['word', 'a'],
      ['punct', ','],
      ['word', 'b'],
      ['word', 'FROM'],
      ['word', 'x'],
      ['punct', '.'],
      ['word', 'y'],
      ['punct', '.'],
      ['word', 'z'],
    ]);
    expect(tokens[1]).toEqual({ kind: 'word', value: 'a', offset: 7, end: 8 });
    expect(tokens.at(-1)).toEqual({ kind: 'word', value: 'z', offset: 21, end: 22 });
  });

  it('offsets index into the original text, across lines', () => {
    const text = 'SHOW\n  PROVIDERS;\n\tDESCRIBE a.b.c';
    for (const token of tokenize(text)) {
      expect(text.slice(token.offset, token.end)).toBe(token.kind === 'word' || token.kind === 'punct' ? token.value : text.slice(token.offset, token.end));
    }
    const describe = tokenize(text).find((token) => token.value === 'DESCRIBE')!;
    expect(describe.offset).toBe(text.indexOf('DESCRIBE'));
  });

  it('unescapes doubled single quotes in strings and keeps the raw span', () => {
    const [token] = tokenize("'it''s ''quoted'''");
    expect(token).toEqual({ kind: 'string', value: "it's 'quoted'", offset: 0, end: 18 });
  });

  it('reads the empty string and strings spanning lines', () => {
    expect(kinds(tokenize("'' 'a\nb'"))).toEqual([
      ['string', ''],
      ['string', 'a\nb'],
    ]);
  });

  it('keeps comment and placeholder text inside strings as string content', () => {
    expect(kinds(tokenize("'-- not a comment /* nor this */ {{ x }}'"))).toEqual([['string', '-- not a comment /* nor this */ {{ x }}']]);
  });

  it('reads double-quoted and backquoted identifiers', () => {
    expect(tokenize('"api-version" `my col`')).toEqual([
      { kind: 'quoted', value: 'api-version', offset: 0, end: 13 },
      { kind: 'quoted', value: 'my col', offset: 14, end: 22 },
    ]);
  });

  it('reads @params, including hyphenated names, and @@json', () => {
    expect(tokenize('@runId @api-version @@json @@JSON')).toEqual([
      { kind: 'param', value: 'runId', offset: 0, end: 6 },
      { kind: 'param', value: 'api-version', offset: 7, end: 19 },
      { kind: 'json_param', value: 'json', offset: 20, end: 26 },
      { kind: 'json_param', value: 'JSON', offset: 27, end: 33 },
    ]);
  });

  it('reads a quoted @param name', () => {
    expect(tokenize('@"odd name"=1')[0]).toEqual({ kind: 'param', value: 'odd name', offset: 0, end: 11 });
  });

  it('stops a param name at = and ,', () => {
    expect(kinds(tokenize("@a='1',@b=2"))).toEqual([
      ['param', 'a'],
      ['punct', '='],
      ['string', '1'],
      ['punct', ','],
      ['param', 'b'],
      ['punct', '='],
      ['number', '2'],
    ]);
  });

  it('a lone @ is a SQL_SYNTAX error at its position', () => {
    const error = errorOf(() => tokenize('EXEC a.b.c.d @ = 1'));
    expect(error.code).toBe('SQL_SYNTAX');
    expect(error.span).toMatchObject({ offset: 13, line: 1, column: 14 });
  });

  it('reads {{ placeholders }} outside strings with the name trimmed', () => {
    expect(tokenize('x = {{  sub.id-1 }}')).toEqual([
      { kind: 'word', value: 'x', offset: 0, end: 1 },
      { kind: 'punct', value: '=', offset: 2, end: 3 },
      { kind: 'template', value: 'sub.id-1', offset: 4, end: 19 },
    ]);
  });

  it('an unterminated placeholder is TPL_INVALID', () => {
    const error = errorOf(() => tokenize('SELECT {{ x'));
    expect(error.code).toBe('TPL_INVALID');
    expect(error.span).toMatchObject({ offset: 7, line: 1, column: 8 });
  });

  it('reads hints /*+ … */ as hint tokens with the body trimmed', () => {
    expect(tokenize('/*+ AWAIT, REQUIRED */ INSERT')).toEqual([
      { kind: 'hint', value: 'AWAIT, REQUIRED', offset: 0, end: 22 },
      { kind: 'word', value: 'INSERT', offset: 23, end: 29 },
    ]);
  });

  it('skips -- line comments and /* block */ comments', () => {
    const text = 'SELECT -- the columns\n  a /* first\n   column */ , b -- trailing';
    expect(kinds(tokenize(text))).toEqual([
      ['word', 'SELECT'],
      ['word', 'a'],
      ['punct', ','],
      ['word', 'b'],
    ]);
    expect(tokenize(text).find((token) => token.value === 'b')!.offset).toBe(text.indexOf(', b') + 2);
  });

  it('a script of only comments and whitespace has no tokens', () => {
    expect(tokenize('  -- one\n/* two */\n\t')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });

  it('reads numbers: integers, decimals, exponents, leading dot', () => {
    expect(kinds(tokenize('42 3.14 1.5e3 2E-2 .5'))).toEqual([
      ['number', '42'],
      ['number', '3.14'],
      ['number', '1.5e3'],
      ['number', '2E-2'],
      ['number', '.5'],
    ]);
    // A trailing dot is the number's; an `e` without digits after it is not.
    expect(kinds(tokenize('1. 7e 8e+ 2e+3x'))).toEqual([
      ['number', '1.'],
      ['number', '7'],
      ['word', 'e'],
      ['number', '8'],
      ['word', 'e'],
      ['punct', '+'],
      ['number', '2e+3'],
      ['word', 'x'],
    ]);
  });

  it('a minus sign is its own token', () => {
    expect(kinds(tokenize('-5 a-b'))).toEqual([
      ['punct', '-'],
      ['number', '5'],
      ['word', 'a'],
      ['punct', '-'],
      ['word', 'b'],
    ]);
  });

  it('reads two-character operators as one token', () => {
    expect(kinds(tokenize('<= >= <> != || :: ->')).map(([, value]) => value)).toEqual(['<=', '>=', '<>', '!=', '||', '::', '->']);
  });

  it('words may hold digits, _ and $ after the first letter', () => {
    expect(kinds(tokenize('_a1$b 9x'))).toEqual([
      ['word', '_a1$b'],
      ['number', '9'],
      ['word', 'x'],
    ]);
  });

  describe('unterminated input is SQL_SYNTAX with line and column', () => {
    it('string', () => {
      const text = "SELECT *\nFROM x WHERE a = 'abc\nmore";
      const error = errorOf(() => tokenize(text));
      expect(error.code).toBe('SQL_SYNTAX');
      expect(error.span).toMatchObject({ offset: text.indexOf("'"), line: 2, column: 18 });
    });

    it('block comment', () => {
      const error = errorOf(() => tokenize('SELECT 1\n  /* never closed'));
      expect(error.code).toBe('SQL_SYNTAX');
      expect(error.span).toMatchObject({ offset: 11, line: 2, column: 3 });
    });

    it('hint', () => {
      const error = errorOf(() => tokenize('/*+ AWAIT INSERT'));
      expect(error.code).toBe('SQL_SYNTAX');
      expect(error.span).toMatchObject({ offset: 0, line: 1, column: 1 });
    });

    it('quoted identifier', () => {
      const error = errorOf(() => tokenize('SELECT "abc'));
      expect(error.code).toBe('SQL_SYNTAX');
      expect(error.span).toMatchObject({ offset: 7, line: 1, column: 8 });
    });

    it('a doubled quote at the end does not close the string', () => {
      expect(errorOf(() => tokenize("'abc''")).code).toBe('SQL_SYNTAX');
    });
  });
});

describe('isKeyword', () => {
  it('matches words case-insensitively against upper-case keywords', () => {
    const [word] = tokenize('select');
    expect(isKeyword(word, 'SELECT')).toBe(true);
    expect(isKeyword(word, 'INSERT', 'SELECT')).toBe(true);
    expect(isKeyword(word, 'INSERT')).toBe(false);
  });

  it('never matches strings, quoted identifiers or nothing', () => {
    expect(isKeyword(tokenize("'SELECT'")[0], 'SELECT')).toBe(false);
    expect(isKeyword(tokenize('"SELECT"')[0], 'SELECT')).toBe(false);
    expect(isKeyword(undefined, 'SELECT')).toBe(false);
  });
});
