// $n parameters: found outside strings, quoted names and comments; bound as template variables
// (strings) or checked literals (numbers, booleans, NULL), never as statement text.

import { describe, expect, it } from 'vitest';
import { bindParams, findParams, paramType } from '../../../src/server/params.ts';
import { OID, ParamError, readParam } from '../../../src/server/pg-types.ts';

describe('findParams', () => {
  it('finds $n outside strings, quoted names and comments', () => {
    const slots = findParams(`SELECT '$1', "$2", x$3 FROM t -- $4\nWHERE a = $1 AND b = $2 /* $5 */ AND c IN ($10)`);
    expect(slots.slots.map((slot) => slot.index)).toEqual([1, 2, 10]);
    expect(slots.count).toBe(10);
  });

  it("takes a cast as the parameter's type and removes it", () => {
    const slots = findParams('SELECT * FROM t WHERE a = $1::int AND b = $2 :: boolean AND c = $3::double precision');
    expect(paramType(slots, [], 1)).toBe(OID.int4);
    expect(paramType(slots, [], 2)).toBe(OID.bool);
    expect(paramType(slots, [], 3)).toBe(OID.float8);
    expect(paramType(slots, [OID.text], 1)).toBe(OID.text);
    const bound = bindParams(slots, [
      { kind: 'number', value: '5' },
      { kind: 'bool', value: true },
      { kind: 'number', value: '-1.5' },
    ]);
    expect(bound.text).toBe('SELECT * FROM t WHERE a = 5 AND b = TRUE AND c = (-1.5)');
  });
});

describe('bindParams', () => {
  it('binds strings as template variables inside a literal, whatever they hold', () => {
    const hostile = "x' OR '1'='1 {{ secret }} -- ";
    const bound = bindParams(findParams('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1'), [{ kind: 'text', value: hostile }, { kind: 'null' }]);
    expect(bound.text).toBe("SELECT * FROM t WHERE a = '{{ __p1 }}' AND b = NULL AND c = '{{ __p1 }}'");
    expect(bound.vars).toEqual({ __p1: hostile });
  });

  it('LIMIT and OFFSET take untyped parameters as whole numbers, and nothing else', () => {
    const slots = findParams('SELECT * FROM t WHERE a = $1 LIMIT $2 OFFSET $3');
    expect(
      bindParams(slots, [
        { kind: 'text', value: '5' },
        { kind: 'text', value: '10' },
        { kind: 'text', value: '0' },
      ]).text,
    ).toBe("SELECT * FROM t WHERE a = '{{ __p1 }}' LIMIT 10 OFFSET 0");
    expect(() =>
      bindParams(slots, [
        { kind: 'text', value: '5' },
        { kind: 'text', value: '1; DROP' },
        { kind: 'text', value: '0' },
      ]),
    ).toThrow(ParamError);
  });

  it('refuses too few values', () => {
    expect(() => bindParams(findParams('SELECT $2'), [{ kind: 'null' }])).toThrow(ParamError);
  });
});

describe('readParam', () => {
  it('reads text by the declared type: numbers are checked, booleans read as PostgreSQL does', () => {
    expect(readParam(Buffer.from('42'), 0, OID.int8)).toEqual({ kind: 'number', value: '42' });
    expect(() => readParam(Buffer.from('42; DROP'), 0, OID.int4)).toThrow(ParamError);
    expect(readParam(Buffer.from('t'), 0, OID.bool)).toEqual({ kind: 'bool', value: true });
    expect(readParam(Buffer.from('off'), 0, OID.bool)).toEqual({ kind: 'bool', value: false });
    expect(readParam(Buffer.from('42'), 0, OID.unknown)).toEqual({ kind: 'text', value: '42' });
    expect(readParam(null, 0, OID.text)).toEqual({ kind: 'null' });
  });

  it('reads binary integers, floats, booleans, uuids and text; refuses other binary types', () => {
    const int8 = Buffer.alloc(8);
    int8.writeBigInt64BE(-7n);
    expect(readParam(int8, 1, OID.int8)).toEqual({ kind: 'number', value: '-7' });
    const float8 = Buffer.alloc(8);
    float8.writeDoubleBE(2.5);
    expect(readParam(float8, 1, OID.float8)).toEqual({ kind: 'number', value: '2.5' });
    expect(readParam(Buffer.from([1]), 1, OID.bool)).toEqual({ kind: 'bool', value: true });
    expect(readParam(Buffer.from('00112233445566778899aabbccddeeff', 'hex'), 1, OID.uuid)).toEqual({
      kind: 'text',
      value: '00112233-4455-6677-8899-aabbccddeeff',
    });
    expect(() => readParam(Buffer.alloc(8), 1, 1184)).toThrow(ParamError);
  });
});
