import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../../src/output/escape.ts';

describe('escapeControls', () => {
  it('returns text without control characters as it is (the same string)', () => {
    const text = 'factory-a1 ünïcødé 名前 "quotes" \\x1b as typed\nsecond line';
    expect(escapeControls(text)).toBe(text);
  });

  it('escapes C0 but \\n, DEL and C1 as \\xHH, bidi overrides and isolates as \\uHHHH', () => {
    expect(escapeControls('a\x00b\x07c\x1b[2Jd\re\tf\x7fg\n')).toBe('a\\x00b\\x07c\\x1b[2Jd\\x0de\\x09f\\x7fg\n');
    expect(escapeControls('\x80\x85\x9b31m\x9f\xa0')).toBe('\\x80\\x85\\x9b31m\\x9f\xa0');
    expect(escapeControls('\u202a\u202b\u202c\u202d\u202e|\u2066\u2067\u2068\u2069|\u200f\u2029')).toBe(
      '\\u202a\\u202b\\u202c\\u202d\\u202e|\\u2066\\u2067\\u2068\\u2069|\u200f\u2029',
    );
  });

  it('an OSC 8 hyperlink shows as text', () => {
    expect(escapeControls('\x1b]8;;http://evil\x07click\x1b]8;;\x07')).toBe('\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07');
  });

  it('json: \\u00XX escapes, so JSON text stays valid and means the same', () => {
    const text = JSON.stringify({ name: 'a\x7fb\x9bc\u202ed\x1b' });
    const escaped = escapeControls(text, 'json');
    expect(escaped).toBe('{"name":"a\\u007fb\\u009bc\\u202ed\\u001b"}');
    expect(JSON.parse(escaped)).toEqual(JSON.parse(text));
  });

  it('columns: a tab becomes spaces to the next tab stop, other controls are escaped', () => {
    expect(escapeControls('a\tbc\td', 'columns')).toBe('a       bc      d');
    expect(escapeControls('\x1b\tx', 'columns')).toBe('\\x1b    x');
    expect(escapeControls('a\tbc\td')).toBe('a\\x09bc\\x09d');
  });

  it('is idempotent: escaped text has nothing left to escape', () => {
    const once = escapeControls('\x1b[2J\x9b\u202e\t');
    expect(escapeControls(once)).toBe(once);
  });
});
