import { describe, expect, it } from 'vitest';
import { hasDotSegment, isDateTime, valueProblem } from '../../../src/plan/value-checks.ts';
import type { ParamSpec } from '../../../src/registry/types.ts';

describe('isDateTime (RFC 3339)', () => {
  it('accepts a date, a time and an offset: Z, a fraction of any length, ±hh:mm, lower-case t and z', () => {
    for (const text of [
      '2026-11-01T00:00:00Z',
      '2026-11-01T23:59:59.1234567Z',
      '2026-11-01T00:00:00.000Z',
      '2026-11-01T09:30:00+01:00',
      '2026-11-01T09:30:00.5-05:30',
      '2026-11-01t00:00:00z',
      '2024-02-29T12:00:00Z',
      '2000-02-29T12:00:00Z',
    ])
      expect(isDateTime(text), text).toBe(true);
  });

  it('refuses a date alone, a time without an offset, words, and other spellings', () => {
    for (const text of [
      'yesterday',
      '2026-11-01',
      '2026-11-01T00:00:00',
      '2026-11-01 00:00:00Z',
      '2026-11-01T00:00Z',
      '20261101T000000Z',
      '2026-11-01T00:00:00+0100',
      '2026-11-01T00:00:00.Z',
      ' 2026-11-01T00:00:00Z',
      '2026-11-01T00:00:00Z ',
      '1730419200',
      '',
    ])
      expect(isDateTime(text), text).toBe(false);
  });

  it('refuses dates and times that do not exist', () => {
    for (const text of [
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-11-00T00:00:00Z',
      '2026-11-01T24:00:00Z',
      '2026-11-01T00:60:00Z',
      '2026-11-01T00:00:60Z',
      '2026-11-01T00:00:00+24:00',
      '2026-11-01T00:00:00+01:60',
    ])
      expect(isDateTime(text), text).toBe(false);
  });
});

describe('hasDotSegment', () => {
  it('an encoded path value is one segment: only "." and ".." themselves', () => {
    for (const value of ['.', '..']) expect(hasDotSegment(value, false), value).toBe(true);
    for (const value of ['...', '.a', 'a.', 'a..b', '%2e', '%2e%2e', './x', '../x', '. ', '']) expect(hasDotSegment(value, false), value).toBe(false);
  });

  it('a value inserted as is (skipUrlEncoding) is checked per segment, with %2e and \\\\ as URL parsers read them', () => {
    for (const value of ['/subscriptions/s/resourceGroups/..', '../x', 'a/./b', '/subscriptions/%2e%2e/x', 'a/%2E./b', 'a/.%2e', 'a\\..\\b']) {
      expect(hasDotSegment(value, true), value).toBe(true);
    }
    for (const value of ['/subscriptions/s/resourceGroups/rg', '/a/.../b', '/a/b.c/d', '/a/%2e%2e%2e/b']) expect(hasDotSegment(value, true), value).toBe(false);
  });
});

describe('valueProblem', () => {
  const p = (extra: Partial<ParamSpec>): ParamSpec => ({ name: 'p', in: 'query', required: false, type: 'string', ...extra });

  it('applies the dot rule to path params only, and the date-time rule to format: date-time only', () => {
    expect(valueProblem(p({ in: 'path' }), '..')).toMatch(/"\." or "\.\."/);
    expect(valueProblem(p({ in: 'query' }), '..')).toBeUndefined();
    expect(valueProblem(p({ in: 'body' }), '.')).toBeUndefined();
    expect(valueProblem(p({ format: 'date-time' }), 'yesterday')).toMatch(/RFC 3339/);
    expect(valueProblem(p({ format: 'date-time' }), '2026-11-01T00:00:00Z')).toBeUndefined();
    expect(valueProblem(p({ format: 'date' }), 'yesterday')).toBeUndefined();
    expect(valueProblem(p({ in: 'path', type: 'integer' }), 5)).toBeUndefined();
  });
});
