import { describe, expect, it } from 'vitest';
import type { Literal } from '../../../src/sql/ast.ts';
import type { ParamSpec } from '../../../src/registry/types.ts';
import { coerceParam, parseJson, type ValueContext } from '../../../src/plan/values.ts';
import { errorOf } from '../../helpers/errors.ts';
import { PlanSession } from '../../../src/plan/session.ts';

const context = (vars: ValueContext['vars'] = {}, script = ''): ValueContext => ({ script, vars, operation: 'p.s.r.m', session: new PlanSession() });
const param = (type: ParamSpec['type'], rules: Partial<ParamSpec> = {}): ParamSpec => ({ name: 'p', in: 'query', required: false, type, ...rules });
const str = (value: string): Literal => ({ kind: 'literal', value, quoted: true });
const raw = (value: number | boolean | null): Literal => ({ kind: 'literal', value, quoted: false });
const coerce = (spec: ParamSpec, literal: Literal, vars: ValueContext['vars'] = {}) => coerceParam(spec, literal, context(vars));
const codeOf = (spec: ParamSpec, literal: Literal, vars: ValueContext['vars'] = {}) => errorOf(() => coerce(spec, literal, vars)).code;

describe('booleans', () => {
  const bool = param('boolean');

  it('accepts TRUE/FALSE literals', () => {
    expect(coerce(bool, raw(true))).toBe(true);
    expect(coerce(bool, raw(false))).toBe(false);
  });

  it('accepts true/false in any case, and 1/0, quoted or not', () => {
    for (const text of ['true', 'TRUE', 'True', ' tRuE ', '1']) expect(coerce(bool, str(text)), text).toBe(true);
    for (const text of ['false', 'FALSE', 'False', '0']) expect(coerce(bool, str(text)), text).toBe(false);
    expect(coerce(bool, raw(1))).toBe(true);
    expect(coerce(bool, raw(0))).toBe(false);
  });

  it('anything else is PLAN_INVALID_VALUE', () => {
    for (const literal of [str('yes'), str('no'), str('maybe'), str('2'), raw(2), raw(-1), str('t')]) {
      expect(codeOf(bool, literal), JSON.stringify(literal.value)).toBe('PLAN_INVALID_VALUE');
    }
  });

  it('the error names the param, the value and points at the literal', () => {
    const script = "EXEC a.b.c.d @p='yes'";
    const literal: Literal = { ...str('yes'), span: { offset: script.indexOf("'yes'"), length: 5 } };
    const error = errorOf(() => coerceParam({ ...bool, name: 'isRecursive' }, literal, context({}, script)));
    expect(error.code).toBe('PLAN_INVALID_VALUE');
    expect(error.message).toContain('isRecursive');
    expect(error.message).toContain('yes');
    expect(error.details).toMatchObject({ param: 'isRecursive', value: 'yes' });
    expect(error.span).toMatchObject({ offset: script.indexOf("'yes'"), length: 5, line: 1, column: 17 });
  });
});

describe('integers and numbers', () => {
  it('integers from numbers and digit strings', () => {
    const integer = param('integer');
    expect(coerce(integer, raw(5))).toBe(5);
    expect(coerce(integer, str('42'))).toBe(42);
    expect(coerce(integer, str('-7'))).toBe(-7);
    expect(coerce(integer, raw(-3))).toBe(-3);
    expect(coerce(integer, str(' 8 '))).toBe(8);
  });

  it('non-integers are PLAN_INVALID_VALUE', () => {
    const integer = param('integer');
    for (const literal of [str('1.5'), raw(1.5), str('1e3'), str('abc'), str('0x10'), raw(true), str('1 2')]) {
      expect(codeOf(integer, literal), JSON.stringify(literal.value)).toBe('PLAN_INVALID_VALUE');
    }
  });

  it('numbers accept decimals, exponents and leading dots', () => {
    const number = param('number');
    expect(coerce(number, str('1.5'))).toBe(1.5);
    expect(coerce(number, str('-2e3'))).toBe(-2000);
    expect(coerce(number, str('.5'))).toBe(0.5);
    expect(coerce(number, raw(3.25))).toBe(3.25);
    expect(coerce(number, str('10'))).toBe(10);
  });

  it('non-numbers are PLAN_INVALID_VALUE', () => {
    const number = param('number');
    for (const literal of [str('abc'), str('1.2.3'), str('NaN'), str('Infinity'), raw(false)]) {
      expect(codeOf(number, literal), JSON.stringify(literal.value)).toBe('PLAN_INVALID_VALUE');
    }
  });

  it('minimum and maximum are inclusive', () => {
    const ranged = param('integer', { minimum: 1, maximum: 10 });
    expect(coerce(ranged, raw(1))).toBe(1);
    expect(coerce(ranged, raw(10))).toBe(10);
    expect(codeOf(ranged, raw(0))).toBe('PLAN_INVALID_VALUE');
    expect(codeOf(ranged, str('11'))).toBe('PLAN_INVALID_VALUE');
    expect(codeOf(param('number', { minimum: 0.5 }), raw(0.25))).toBe('PLAN_INVALID_VALUE');
  });
});

describe('strings', () => {
  it('numbers and booleans given for a string param become text', () => {
    expect(coerce(param('string'), raw(5))).toBe('5');
    expect(coerce(param('string'), raw(true))).toBe('true');
    expect(coerce(param('string'), str('x'))).toBe('x');
  });

  it('pattern must match', () => {
    const named = param('string', { pattern: '^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$' });
    expect(coerce(named, str('my-factory1'))).toBe('my-factory1');
    expect(codeOf(named, str('bad name'))).toBe('PLAN_INVALID_VALUE');
    expect(codeOf(named, str('-leading'))).toBe('PLAN_INVALID_VALUE');
  });

  it('minLength and maxLength count characters, not UTF-16 units', () => {
    const bounded = param('string', { minLength: 3, maxLength: 3 });
    expect(coerce(bounded, str('abc'))).toBe('abc');
    expect(coerce(bounded, str('😀😀😀'))).toBe('😀😀😀');
    expect(codeOf(bounded, str('ab'))).toBe('PLAN_INVALID_VALUE');
    expect(codeOf(bounded, str('abcd'))).toBe('PLAN_INVALID_VALUE');
    expect(codeOf(bounded, str('😀😀😀😀'))).toBe('PLAN_INVALID_VALUE');
  });

  it('enum is exact', () => {
    const choice = param('string', { enum: ['Running', 'Succeeded'] });
    expect(coerce(choice, str('Running'))).toBe('Running');
    expect(codeOf(choice, str('running'))).toBe('PLAN_INVALID_VALUE');
    expect(codeOf(choice, str('Failed'))).toBe('PLAN_INVALID_VALUE');
  });
});

describe('empty values', () => {
  it("'' and NULL mean no value, whatever the type and rules", () => {
    for (const spec of [param('string', { minLength: 5 }), param('integer'), param('boolean'), param('object'), param('string', { enum: ['a'] })]) {
      expect(coerce(spec, str(''))).toBeUndefined();
      expect(coerce(spec, raw(null))).toBeUndefined();
    }
  });

  it('a lone placeholder whose var is empty or null means no value', () => {
    expect(coerce(param('integer'), str('{{ n }}'), { n: '' })).toBeUndefined();
    expect(coerce(param('integer'), str('{{ n }}'), { n: null })).toBeUndefined();
  });

  it('but whitespace is a value', () => {
    expect(coerce(param('string'), str(' '))).toBe(' ');
  });

  it("'' is a value where the spec makes it one (emptyIsValue), and is checked like any other", () => {
    expect(coerce(param('string', { emptyIsValue: true }), str(''))).toBe('');
    expect(coerce(param('string', { emptyIsValue: true, required: true }), str(''))).toBe('');
    expect(coerce(param('string', { emptyIsValue: true }), str('{{ v }}'), { v: '' })).toBe('');
    expect(coerce(param('string', { emptyIsValue: true, enum: ['', 'r'] }), str(''))).toBe('');
    expect(codeOf(param('string', { emptyIsValue: true, enum: ['r'] }), str(''))).toBe('PLAN_INVALID_VALUE');
  });

  it("NULL is still no value where '' is one", () => {
    expect(coerce(param('string', { emptyIsValue: true }), raw(null))).toBeUndefined();
  });
});

describe('date-times and path values, refused before sending', () => {
  it('a format: date-time param takes RFC 3339 only: PLAN_INVALID_VALUE for a word, a date alone, a time without offset', () => {
    const when = param('string', { format: 'date-time' });
    expect(coerce(when, str('2026-11-01T00:00:00Z'))).toBe('2026-11-01T00:00:00Z');
    expect(coerce(when, str('2026-11-01T00:00:00.1234567+01:00'))).toBe('2026-11-01T00:00:00.1234567+01:00');
    for (const text of ['yesterday', '2026-11-01', '2026-11-01T00:00:00', '2026-02-30T00:00:00Z'])
      expect(codeOf(when, str(text)), text).toBe('PLAN_INVALID_VALUE');
  });

  it('an empty date-time is still no value', () => {
    expect(coerce(param('string', { format: 'date-time' }), str(''))).toBeUndefined();
  });

  it('a path value "." or ".." is PLAN_INVALID_VALUE, whatever the param\'s own rules; "..." is a name', () => {
    const runId = param('string', { name: 'runId', in: 'path', required: true });
    for (const text of ['.', '..']) expect(codeOf(runId, str(text)), text).toBe('PLAN_INVALID_VALUE');
    expect(coerce(runId, str('...'))).toBe('...');
    expect(coerce(param('string', { in: 'query' }), str('..'))).toBe('..');
  });

  it('values from fetched rows are checked too (a dependent join, INSERT … SELECT … FROM)', () => {
    const name = param('string', { name: 'pipelineName', in: 'path', required: true });
    expect(codeOf(name, { kind: 'literal', value: '..', quoted: true, fromData: true })).toBe('PLAN_INVALID_VALUE');
  });
});

describe('templates', () => {
  it('are substituted before typing and rules', () => {
    expect(coerce(param('integer'), str('{{ n }}'), { n: 5 })).toBe(5);
    expect(coerce(param('integer'), str('{{ n }}'), { n: '6' })).toBe(6);
    expect(coerce(param('boolean'), str('{{ b }}'), { b: false })).toBe(false);
    expect(coerce(param('string'), str('pre-{{ n }}'), { n: 5 })).toBe('pre-5');
    expect(codeOf(param('integer', { maximum: 3 }), str('{{ n }}'), { n: 5 })).toBe('PLAN_INVALID_VALUE');
  });
});

describe('JSON params', () => {
  it('objects and arrays are parsed', () => {
    expect(coerce(param('object'), str('{"a": [1, {"b": null}]}'))).toEqual({ a: [1, { b: null }] });
    expect(coerce(param('array'), str('[1, "two"]'))).toEqual([1, 'two']);
    expect(coerce(param('object'), str('{}'))).toEqual({});
  });

  it('invalid JSON is PLAN_INVALID_JSON naming the param', () => {
    const error = errorOf(() => coerce({ ...param('object'), name: 'parameters' }, str('{not json')));
    expect(error.code).toBe('PLAN_INVALID_JSON');
    expect(error.details).toMatchObject({ param: 'parameters' });
    expect(error.message).toContain('parameters');
  });

  it('the wrong JSON shape is PLAN_INVALID_JSON', () => {
    expect(codeOf(param('object'), str('[1]'))).toBe('PLAN_INVALID_JSON');
    expect(codeOf(param('array'), str('{"a": 1}'))).toBe('PLAN_INVALID_JSON');
    expect(codeOf(param('object'), str('null'))).toBe('PLAN_INVALID_JSON');
    expect(codeOf(param('object'), str('"text"'))).toBe('PLAN_INVALID_JSON');
    expect(codeOf(param('object'), raw(5))).toBe('PLAN_INVALID_JSON');
  });
});

describe('parseJson', () => {
  it('parses any JSON value', () => {
    expect(parseJson('[1]', '@@json', context())).toEqual([1]);
    expect(parseJson('3', '@@json', context())).toBe(3);
  });

  it('a syntax error is PLAN_INVALID_JSON with the name', () => {
    const error = errorOf(() => parseJson('{', '@@json', context()));
    expect(error.code).toBe('PLAN_INVALID_JSON');
    expect(error.details).toEqual({ param: '@@json' });
  });
});
