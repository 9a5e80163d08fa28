// Column types: the registry's when the values fit, else what the values are, else text.

import { describe, expect, it } from 'vitest';
import { cellWriter, columnType, resultFormats } from '../../../src/server/pg-types.ts';
import { MessageWriter } from '../../../src/server/wire-write.ts';

describe('columnType', () => {
  it("takes the registry's type when every value fits it", () => {
    expect(columnType([1, 2, null], 'integer')).toBe('int8');
    expect(columnType(['{"a":1}', '[]', null], 'object')).toBe('json');
    expect(columnType([1, 2.5], 'number')).toBe('float8');
    expect(columnType([true, null], 'boolean')).toBe('bool');
    expect(columnType([null], 'integer')).toBe('int8');
    expect(columnType([1, 0], 'boolean')).toBe('bool');
  });

  it('goes by the values when they do not fit (an alias that names a field)', () => {
    expect(columnType([1.5], 'integer')).toBe('float8');
    expect(columnType(['x'], 'object')).toBe('text');
    expect(columnType([3], 'string')).toBe('text');
  });

  it('without the registry: integers, numbers, booleans; mixed or unknown is text', () => {
    expect(columnType([1, 2])).toBe('int8');
    expect(columnType([1, 2.5])).toBe('float8');
    expect(columnType([true, false])).toBe('bool');
    expect(columnType([1, 'a'])).toBe('text');
    expect(columnType([true, 1])).toBe('text');
    expect(columnType([null, null])).toBe('text');
    expect(columnType([])).toBe('text');
    expect(columnType([2 ** 60])).toBe('float8');
  });
});

describe('cells', () => {
  const cell = (type: Parameters<typeof cellWriter>[0], format: 0 | 1, value: Parameters<ReturnType<typeof cellWriter>>[1]) => {
    const writer = new MessageWriter(16);
    cellWriter(type, format)(writer, value);
    return writer.take();
  };

  it("text format: PostgreSQL's spelling, NULL as length -1", () => {
    expect(cell('bool', 0, true).subarray(4).toString()).toBe('t');
    for (const value of [42, 0, -7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])
      expect(cell('int8', 0, value).subarray(4).toString()).toBe(String(value));
    expect(cell('text', 0, 'é').readInt32BE(0)).toBe(2);
    expect(cell('text', 0, null).readInt32BE(0)).toBe(-1);
  });

  it('binary format: 8-byte integers and doubles, one-byte booleans', () => {
    expect(cell('int8', 1, 42).subarray(4).readBigInt64BE()).toBe(42n);
    expect(cell('float8', 1, 2.5).subarray(4).readDoubleBE()).toBe(2.5);
    expect([...cell('bool', 1, false)]).toEqual([0, 0, 0, 1, 0]);
  });

  it('result format codes: none is text, one is for all, else one per column', () => {
    expect(resultFormats([], 2)).toEqual([0, 0]);
    expect(resultFormats([1], 2)).toEqual([1, 1]);
    expect(resultFormats([0, 1], 2)).toEqual([0, 1]);
  });
});
