import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { formatResult, OUTPUT_FORMATS, type OutputFormat, type Tabular } from '../../../src/output/format.ts';

const RESULT: Tabular = {
  columns: ['name', 'size', 'ok', 'note'],
  rows: [
    { name: 'a', size: 1, ok: true, note: null },
    { name: 'b, "quoted"', size: 22.5, ok: false, note: 'line1\nline2' },
  ],
};

describe('formatResult', () => {
  it('table: aligned columns, numbers to the right, NULL shown as NULL, a multi-line cell spans several lines', () => {
    expect(formatResult(RESULT, 'table')).toBe(
      [
        '+-------------+------+-------+-------+',
        '| name        | size | ok    | note  |',
        '+-------------+------+-------+-------+',
        '| a           |    1 | true  | NULL  |',
        '| b, "quoted" | 22.5 | false | line1 |',
        '|             |      |       | line2 |',
        '+-------------+------+-------+-------+',
        '',
      ].join('\n'),
    );
  });

  it('table: CRLF inside a cell splits lines too', () => {
    expect(formatResult({ columns: ['x'], rows: [{ x: 'a\r\nbb' }] }, 'table')).toBe('+----+\n| x  |\n+----+\n| a  |\n| bb |\n+----+\n');
  });

  it('table with no rows: the header only', () => {
    expect(formatResult({ columns: ['a', 'bb'], rows: [] }, 'table')).toBe('+---+----+\n| a | bb |\n+---+----+\n');
  });

  it('json: an indented array of objects in column order, nulls kept', () => {
    const text = formatResult({ columns: ['b', 'a'], rows: [{ a: 1, b: null }] }, 'json');
    expect(text).toBe('[\n  {\n    "b": null,\n    "a": 1\n  }\n]\n');
    expect(JSON.parse(formatResult(RESULT, 'json'))).toEqual(RESULT.rows);
  });

  it('json with no rows is []', () => {
    expect(formatResult({ columns: ['a'], rows: [] }, 'json')).toBe('[]\n');
  });

  it('jsonl: one compact object per line', () => {
    expect(formatResult(RESULT, 'jsonl')).toBe(
      '{"name":"a","size":1,"ok":true,"note":null}\n' + '{"name":"b, \\"quoted\\"","size":22.5,"ok":false,"note":"line1\\nline2"}\n',
    );
    expect(formatResult({ columns: ['a'], rows: [] }, 'jsonl')).toBe('');
  });

  it('json and jsonl give a missing column as null and drop columns not asked for', () => {
    const result: Tabular = { columns: ['a', 'missing'], rows: [{ a: 'x', extra: 'y' }] };
    expect(formatResult(result, 'jsonl')).toBe('{"a":"x","missing":null}\n');
  });

  it('csv: RFC 4180 quoting, CRLF line ends, null as empty', () => {
    expect(formatResult(RESULT, 'csv')).toBe('name,size,ok,note\r\n' + 'a,1,true,\r\n' + '"b, ""quoted""",22.5,false,"line1\nline2"\r\n');
  });

  it('csv quotes header names that need it, and carriage returns', () => {
    expect(formatResult({ columns: ['a,b', 'c'], rows: [{ 'a,b': 'x\ry', c: '' }] }, 'csv')).toBe('"a,b",c\r\n"x\ry",\r\n');
  });

  it('every listed format is accepted', () => {
    for (const format of OUTPUT_FORMATS) expect(typeof formatResult(RESULT, format)).toBe('string');
  });

  it('an unknown format is CFG_INVALID', () => {
    let error: unknown;
    try {
      formatResult(RESULT, 'xml' as OutputFormat);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('CFG_INVALID');
  });
});

describe('jsonl', () => {
  it('writes a repeated column once, as an object can hold it', () => {
    expect(formatResult({ columns: ['a', 'a'], rows: [{ a: 1 }] }, 'jsonl')).toBe('{"a":1}\n');
  });
});

describe('tables that fit', () => {
  const WIDE: Tabular = {
    columns: ['name', 'properties', 'n'],
    rows: [
      { name: 'factory-a1', properties: `{"provisioningState":"Succeeded","createTime":"2026-11-01T00:00:00Z","version":"2018-06-01"}`, n: 7 },
      { name: 'b', properties: '', n: null },
    ],
  };

  it('cuts the widest columns to the width with a marker, and every line is exactly that wide', () => {
    const lines = formatResult(WIDE, 'table', { width: 60 }).trimEnd().split('\n');
    expect(new Set(lines.map((line) => line.length))).toEqual(new Set([60]));
    expect(lines[3]).toBe('| factory-a1 | {"provisioningState":"Succeeded","c… |    7 |');
    expect(lines[4]).toBe('| b          |                                      | NULL |');
  });

  it('leaves a table that fits as it is', () => {
    expect(formatResult(WIDE, 'table', { width: 500 })).toBe(formatResult(WIDE, 'table'));
  });

  it('tells NULL from an empty string, and dims NULL when colours are on', () => {
    const table = formatResult(WIDE, 'table');
    expect(table).toMatch(/\| b +\| +\| NULL \|/);
    expect(formatResult(WIDE, 'table', { color: true })).toContain('\x1b[2mNULL\x1b[22m');
  });

  it('measures wide characters as two columns', () => {
    const lines = formatResult({ columns: ['x'], rows: [{ x: '日本語のテキスト' }, { x: 'ab' }] }, 'table', { width: 12 })
      .trimEnd()
      .split('\n');
    expect(lines[3]).toBe('| 日本語…  |');
    expect(lines[4]).toBe('| ab       |');
  });

  it('expanded: one line per column, records numbered, values cut to the width', () => {
    expect(formatResult(WIDE, 'table', { expanded: true, width: 40 })).toBe(
      [
        '-[ RECORD 1 ]---------------------------',
        'name       | factory-a1',
        'properties | {"provisioningState":"Succ…',
        'n          | 7',
        '-[ RECORD 2 ]---------------------------',
        'name       | b',
        'properties |',
        'n          | NULL',
        '',
      ].join('\n'),
    );
    expect(formatResult({ columns: ['a'], rows: [] }, 'table', { expanded: true })).toBe('');
  });

  it("expanded 'auto': only a table wider than the terminal is expanded", () => {
    expect(formatResult(WIDE, 'table', { expanded: 'auto', width: 60 })).toMatch(/^-\[ RECORD 1 \]/);
    expect(formatResult(WIDE, 'table', { expanded: 'auto', width: 500 })).toBe(formatResult(WIDE, 'table'));
    expect(formatResult(WIDE, 'table', { expanded: 'auto' })).toBe(formatResult(WIDE, 'table'));
  });
});

describe('object and array columns', () => {
  const TYPED: Tabular = {
    columns: ['name', 'tags', 'ids', 'note'],
    rows: [
      { name: 'f', tags: '{"env":"prod"}', ids: '[1,2]', note: '{"not":"typed"}' },
      { name: 'g', tags: null, ids: 'not json', note: null },
    ],
    columnTypes: ['string', 'object', 'array', undefined],
  };

  it('json and jsonl write them as JSON values, other columns as they are', () => {
    expect(JSON.parse(formatResult(TYPED, 'json'))).toEqual([
      { name: 'f', tags: { env: 'prod' }, ids: [1, 2], note: '{"not":"typed"}' },
      { name: 'g', tags: null, ids: 'not json', note: null },
    ]);
    expect(formatResult(TYPED, 'jsonl')).toBe(
      '{"name":"f","tags":{"env":"prod"},"ids":[1,2],"note":"{\\"not\\":\\"typed\\"}"}\n{"name":"g","tags":null,"ids":"not json","note":null}\n',
    );
  });

  it('csv and tables keep the JSON text', () => {
    expect(formatResult(TYPED, 'csv')).toContain('f,"{""env"":""prod""}"');
    expect(formatResult(TYPED, 'table')).toContain('{"env":"prod"}');
  });
});

describe('control characters', () => {
  const HOSTILE: Tabular = { columns: ['name', 'n'], rows: [{ name: 'a\x1b[2J\u202eb\tc\x9b', n: 1 }] };

  it('table: always escaped, a tab as spaces to the next tab stop, columns still aligned', () => {
    expect(formatResult(HOSTILE, 'table')).toBe(
      [
        '+-----------------------+---+',
        '| name                  | n |',
        '+-----------------------+---+',
        '| a\\x1b[2J\\u202eb c\\x9b | 1 |',
        '+-----------------------+---+',
        '',
      ].join('\n'),
    );
    expect(formatResult({ columns: ['\x1bx'], rows: [] }, 'table')).toContain('| \\x1bx |');
  });

  it('json, jsonl and csv: byte-exact data unless the text goes to a terminal', () => {
    expect(formatResult(HOSTILE, 'jsonl')).toBe('{"name":"a\\u001b[2J\u202eb\\tc\x9b","n":1}\n');
    expect(formatResult(HOSTILE, 'jsonl', { terminal: true })).toBe('{"name":"a\\u001b[2J\\u202eb\\tc\\u009b","n":1}\n');
    expect(JSON.parse(formatResult(HOSTILE, 'json', { terminal: true }))).toEqual(HOSTILE.rows);
    expect(formatResult(HOSTILE, 'csv')).toBe('name,n\r\na\x1b[2J\u202eb\tc\x9b,1\r\n');
    expect(formatResult(HOSTILE, 'csv', { terminal: true })).toBe('name,n\r\na\\x1b[2J\\u202eb\\x09c\\x9b,1\r\n');
  });

  it('csv on a terminal: a carriage return inside a cell is escaped, not quoted', () => {
    expect(formatResult({ columns: ['x'], rows: [{ x: 'a\rb' }] }, 'csv', { terminal: true })).toBe('x\r\na\\x0db\r\n');
  });
});
