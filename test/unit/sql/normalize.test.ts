import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/sql/lexer.ts';
import { normalizeForParser, stringValues, topLevelIndex } from '../../../src/sql/normalize.ts';

/**
 * Normalizes, then puts each string's text back in place of its numbered stand-in, so the
 * expectations read like SQL; offsets are mapped through both steps.
 */
function normalize(script: string, start = 0, end = script.length) {
  const tokens = tokenize(script).filter((token) => token.offset >= start && token.end <= end);
  const normalized = normalizeForParser(script, tokens, start, end);
  const originals = tokens
    .filter((token) => token.kind === 'string' || token.kind === 'template')
    .map((token) => (token.kind === 'template' ? `'{{ ${token.value} }}'` : script.slice(token.offset, token.end)));
  let text = '';
  const shifts: { at: number; delta: number }[] = [];
  let last = 0;
  for (const match of normalized.text.matchAll(/'\u0001(\d+)'/g)) {
    text += normalized.text.slice(last, match.index);
    const original = originals[Number(match[1])];
    text += original;
    shifts.push({ at: text.length, delta: match[0].length - original.length });
    last = match.index! + match[0].length;
  }
  text += normalized.text.slice(last);
  const toOriginal = (offset: number) =>
    normalized.toOriginal(offset + shifts.filter((shift) => shift.at <= offset).reduce((sum, shift) => sum + shift.delta, 0));
  return { text, toOriginal };
}

describe('normalizeForParser', () => {
  it('replaces string literals and placeholders with numbered stand-ins (one parse per shape)', () => {
    const tokens = tokenize("SELECT a FROM x WHERE b = 'v' AND c = {{ id }}");
    expect(normalizeForParser("SELECT a FROM x WHERE b = 'v' AND c = {{ id }}", tokens, 0, 45).text).toBe(
      "SELECT a FROM x WHERE b = '\u00010' AND c = '\u00011'",
    );
    expect(stringValues(tokens)).toEqual(['v', '{{ id }}']);
  });

  it('leaves text without special forms unchanged, offsets identical', () => {
    const script = "SELECT a, b FROM x.y.z WHERE a = 'v'";
    const normalized = normalize(script);
    expect(normalized.text).toBe(script);
    for (const offset of [0, 7, 20, script.length]) expect(normalized.toOriginal(offset)).toBe(offset);
  });

  it('quotes hyphenated identifiers and maps offsets after them back', () => {
    const script = "SELECT * FROM x.y.z WHERE api-version = '1' AND b = 2";
    const normalized = normalize(script);
    expect(normalized.text).toBe('SELECT * FROM x.y.z WHERE "api-version" = \'1\' AND b = 2');
    // Before the edit: unchanged.
    expect(normalized.toOriginal(script.indexOf('WHERE'))).toBe(script.indexOf('WHERE'));
    // After the edit: shifted by the two added quotes.
    const bInNormalized = normalized.text.indexOf('b = 2');
    expect(normalized.toOriginal(bInNormalized)).toBe(script.indexOf('b = 2'));
    // The start of the replacement maps to the start of the original word.
    expect(normalized.toOriginal(normalized.text.indexOf('"api-version"'))).toBe(script.indexOf('api-version'));
  });

  it('quotes chains of hyphenated words as one identifier', () => {
    expect(normalize('SELECT a-b-c FROM x').text).toBe('SELECT "a-b-c" FROM x');
  });

  it('leaves subtraction with spaces alone', () => {
    const script = 'SELECT a - b, c -d, e- f FROM x';
    expect(normalize(script).text).toBe(script);
  });

  it('does not quote a word followed by a hyphen and a number', () => {
    expect(normalize('SELECT a-1 FROM x').text).toBe('SELECT a-1 FROM x');
  });

  it('does not touch hyphens inside strings or quoted identifiers', () => {
    const script = `SELECT "already-quoted" FROM x WHERE a = 'some-value'`;
    expect(normalize(script).text).toBe(script);
  });

  it('turns unquoted placeholders into string literals', () => {
    expect(normalize('SELECT * FROM x WHERE a = {{  id }}').text).toBe("SELECT * FROM x WHERE a = '{{ id }}'");
  });

  it('blanks hints', () => {
    const script = '/*+ AWAIT */ INSERT INTO x.y.z (a) SELECT 1';
    const normalized = normalize(script);
    expect(normalized.text).toBe('  INSERT INTO x.y.z (a) SELECT 1');
    expect(normalized.toOriginal(normalized.text.indexOf('INSERT'))).toBe(script.indexOf('INSERT'));
  });

  it('parenthesises the SELECT of INSERT … SELECT … RETURNING', () => {
    const script = "INSERT INTO x.y.z (a, b) SELECT 'a', 'b' RETURNING id";
    const normalized = normalize(script);
    expect(normalized.text).toBe("INSERT INTO x.y.z (a, b) (SELECT 'a', 'b' ) RETURNING id");
    expect(normalized.toOriginal(normalized.text.indexOf('RETURNING'))).toBe(script.indexOf('RETURNING'));
    expect(normalized.toOriginal(normalized.text.indexOf('SELECT'))).toBe(script.indexOf('SELECT'));
  });

  it('leaves an already parenthesised SELECT alone', () => {
    const script = "INSERT INTO x.y.z (a) (SELECT 'a') RETURNING id";
    expect(normalize(script).text).toBe(script);
  });

  it('does not add parentheses without RETURNING or without INSERT', () => {
    expect(normalize("INSERT INTO x.y.z (a) SELECT 'a'").text).toBe("INSERT INTO x.y.z (a) SELECT 'a'");
    expect(normalize("INSERT INTO x.y.z (a) VALUES ('a') RETURNING *").text).toBe("INSERT INTO x.y.z (a) VALUES ('a') RETURNING *");
    expect(normalize('SELECT returning FROM x').text).toBe('SELECT returning FROM x');
  });

  it('a hint before INSERT does not hide the INSERT', () => {
    expect(normalize("/*+ AWAIT */ INSERT INTO x.y.z (a) SELECT 'a' RETURNING *").text).toBe("  INSERT INTO x.y.z (a) (SELECT 'a' ) RETURNING *");
  });

  it('combines several edits with offsets mapped back correctly', () => {
    const script = "INSERT INTO x.y.z (a, api-version) SELECT {{ v }}, '2' RETURNING x-id";
    const normalized = normalize(script);
    expect(normalized.text).toBe(`INSERT INTO x.y.z (a, "api-version") (SELECT '{{ v }}', '2' ) RETURNING "x-id"`);
    expect(normalized.toOriginal(normalized.text.indexOf("'2'"))).toBe(script.indexOf("'2'"));
    expect(normalized.toOriginal(normalized.text.indexOf('"x-id"'))).toBe(script.indexOf('x-id'));
  });

  it('works on one statement of a multi-statement script, with absolute offsets', () => {
    const script = 'SHOW PROVIDERS; SELECT api-version FROM x';
    const start = script.indexOf('SELECT');
    const normalized = normalize(script, start, script.length);
    expect(normalized.text).toBe('SELECT "api-version" FROM x');
    expect(normalized.toOriginal(0)).toBe(start);
    expect(normalized.toOriginal(normalized.text.indexOf('FROM'))).toBe(script.indexOf('FROM'));
  });
});

/** One test per case: the WHERE condition as written → as node-sql-parser is given it. */
function itNormalizesWhere(cases: readonly (readonly [string, string])[]): void {
  for (const [condition, expected] of cases) {
    it(`${condition} → ${expected}`, () => {
      expect(normalize(`SELECT a FROM t WHERE ${condition}`).text).toBe(`SELECT a FROM t WHERE ${expected}`);
    });
  }
}

describe('a LIKE pattern that is an expression', () => {
  const cases: [string, string][] = [
    ["a LIKE '%' || b || '%'", "a LIKE ('%' || b || '%')"],
    ["a NOT LIKE 'x' || b AND c = 1", "a NOT LIKE ('x' || b) AND c = 1"],
    ["a ILIKE '%' || lower(f.b) || '%' ESCAPE '!'", "a ILIKE ('%' || lower(f.b) || '%') ESCAPE '!'"],
    ["a LIKE b::text || '%' OR c LIKE -d + 1", "a LIKE (b::text || '%') OR c LIKE (-d + 1)"],
    ["a LIKE CASE WHEN x THEN 'p' ELSE 'q' END || '%'", "a LIKE (CASE WHEN x THEN 'p' ELSE 'q' END || '%')"],
    ["a LIKE {{ prefix }} || '%'", "a LIKE ('{{ prefix }}' || '%')"],
    ["a LIKE api-version || '%'", 'a LIKE ("api-version" || \'%\')'],
    ["a LIKE (b || '%') AND c LIKE b", "a LIKE (b || '%') AND c LIKE b"],
    ["a LIKE 'x' ESCAPE '!' AND b || 'y' LIKE c", "a LIKE 'x' ESCAPE '!' AND b || 'y' LIKE c"],
  ];
  itNormalizesWhere(cases);

  it('maps offsets after the parentheses back to the text as written', () => {
    const script = "SELECT a FROM t WHERE a LIKE '%' || b || '%' AND zz = 1";
    const normalized = normalize(script);
    expect(normalized.toOriginal(normalized.text.indexOf('zz'))).toBe(script.indexOf('zz'));
  });
});

describe('a collation after a compared literal', () => {
  const cases: [string, string][] = [
    ["status = 'failed' COLLATE NOCASE", "status COLLATE NOCASE = 'failed' "],
    ["r.status <> 'x' COLLATE nocase AND b = 1", "r.status COLLATE nocase <> 'x'  AND b = 1"],
    ['(n >= 5 COLLATE "BINARY")', '(n COLLATE "BINARY" >= 5 )'],
    // Left as written (node-sql-parser reports them): the column has its own, or more than a column is compared.
    ["status COLLATE RTRIM = 'x' COLLATE NOCASE", "status COLLATE RTRIM = 'x' COLLATE NOCASE"],
    ["a || b = 'x' COLLATE NOCASE", "a || b = 'x' COLLATE NOCASE"],
  ];
  itNormalizesWhere(cases);
});

describe('topLevelIndex', () => {
  it('finds a keyword outside parentheses only', () => {
    const tokens = tokenize('INSERT INTO x (SELECT 1) SELECT 2');
    expect(topLevelIndex(tokens, 'SELECT')).toBe(tokens.findLastIndex((token) => token.value === 'SELECT'));
    expect(topLevelIndex(tokens, 'RETURNING')).toBe(-1);
    const dotted = tokenize('INSERT INTO azure.returning.x SELECT u.limit FROM y RETURNING id LIMIT 1');
    expect(topLevelIndex(dotted, 'RETURNING')).toBe(dotted.findLastIndex((token) => token.value === 'RETURNING'));
    expect(topLevelIndex(dotted, 'LIMIT')).toBe(dotted.findLastIndex((token) => token.value === 'LIMIT'));
  });
});
