import { describe, expect, it } from 'vitest';
import { checkNames, placeholderNames as namesOf, substituteTemplates, type TemplateVars } from '../../../src/sql/templates.ts';
import { tokenize } from '../../../src/sql/lexer.ts';
import { literalValue } from '../../../src/plan/values.ts';
import type { Literal } from '../../../src/sql/ast.ts';
import { errorOf } from '../../helpers/errors.ts';

const quoted = (value: string): Literal => ({ kind: 'literal', value, quoted: true });
/** The placeholders of a text, found among its tokens. */
const placeholderNames = (text: string) => namesOf(tokenize(text), text);
const checkTemplateVars = (text: string, vars: TemplateVars) => checkNames(placeholderNames(text), vars);

describe('placeholderNames', () => {
  it('finds names with letters, digits, _, - and ., once each, in order', () => {
    expect(placeholderNames("SELECT '{{ sub-id }}', {{a.b}}, '{{ _x1 }}' -- {{ sub-id }}")).toEqual(['sub-id', 'a.b', '_x1']);
  });

  it('a placeholder in a comment is no placeholder', () => {
    expect(placeholderNames("SELECT 1 -- {{ old }}\n/* {{ older }} */ FROM x WHERE a = '{{ used }}'")).toEqual(['used']);
  });

  it('reads StackQL names: $params, Go template paths and indexes', () => {
    expect(
      placeholderNames("WHERE $filter = '{{ $filter }}' AND p = '{{ .global.project }}' AND n = '{{firewalls[0].name}}' AND x = {{ .values.size }}"),
    ).toEqual(['$filter', '.global.project', 'firewalls[0].name', '.values.size']);
  });

  it('a Go template action is SQL_UNSUPPORTED, with its position', () => {
    const text = 'SELECT 1;\n{{range .firewalls}}\nSELECT 2;\n{{end}}';
    const error = errorOf(() => placeholderNames(text));
    expect(error.code).toBe('SQL_UNSUPPORTED');
    expect(error.span).toMatchObject({ line: 2, column: 1 });
  });

  it('tolerates any whitespace inside the braces', () => {
    expect(placeholderNames('{{x}} {{   y\t}}')).toEqual(['x', 'y']);
  });

  it('has no names in text without placeholders', () => {
    expect(placeholderNames("SELECT '{ not one }' FROM x")).toEqual([]);
  });

  it('an invalid name is TPL_INVALID with its position', () => {
    const text = "SELECT 1;\nSELECT '{{ not valid! }}'";
    const error = errorOf(() => placeholderNames(text));
    expect(error.code).toBe('TPL_INVALID');
    expect(error.span).toMatchObject({ offset: text.indexOf('{{'), line: 2, column: 9 });
  });

  it('names must not start with a digit or -, and must not be empty', () => {
    for (const text of ['{{ 1abc }}', '{{ -a }}', '{{ }}', '{{ a b }}', '{{ a[x] }}', '{{ .. }}', "'{{ a[-1] }}'"]) {
      expect(errorOf(() => placeholderNames(text)).code, text).toBe('TPL_INVALID');
    }
  });
});

describe('checkTemplateVars', () => {
  it('passes when every name has a value', () => {
    expect(() => checkTemplateVars('{{ a }} {{ b-c }} {{ d.e }}', { a: 'x', 'b-c': 1, 'd.e': false })).not.toThrow();
  });

  it('an empty string and null are values', () => {
    expect(() => checkTemplateVars('{{ a }} {{ b }}', { a: '', b: null })).not.toThrow();
  });

  it('TPL_MISSING_VAR lists every missing name once, undefined counting as missing', () => {
    const error = errorOf(() => checkTemplateVars('{{ a }} {{ b }} {{ a }} {{ c }} {{ d }}', { b: 'ok', d: undefined }));
    expect(error.code).toBe('TPL_MISSING_VAR');
    expect(error.details?.missing).toEqual(['a', 'c', 'd']);
    for (const name of ['a', 'c', 'd']) expect(error.message).toContain(`"${name}"`);
    expect(error.message).not.toContain('"b"');
  });

  it('inherited object properties are not values', () => {
    const error = errorOf(() => checkTemplateVars('{{ toString }}', {}));
    expect(error.code).toBe('TPL_MISSING_VAR');
    expect(error.details?.missing).toEqual(['toString']);
  });

  it('an invalid placeholder is TPL_INVALID even when vars are missing', () => {
    expect(errorOf(() => checkTemplateVars('{{ a }} {{ b! }}', {})).code).toBe('TPL_INVALID');
  });
});

describe('substituteTemplates', () => {
  it('replaces each placeholder with its value as text', () => {
    expect(substituteTemplates('/s/{{ sub }}/rg/{{rg}}?n={{ n }}&b={{ b }}', { sub: 'S', rg: 'R', n: 5, b: true })).toBe('/s/S/rg/R?n=5&b=true');
  });

  it('null and missing become empty text', () => {
    expect(substituteTemplates('[{{ a }}][{{ b }}]', { a: null })).toBe('[][]');
  });

  it('a value is not re-scanned for placeholders', () => {
    expect(substituteTemplates('{{ a }}', { a: '{{ b }}', b: 'no' })).toBe('{{ b }}');
  });
});

describe('literalValue', () => {
  it('a lone placeholder keeps its var type', () => {
    expect(literalValue(quoted('{{ n }}'), { n: 42 })).toBe(42);
    expect(literalValue(quoted('{{n}}'), { n: false })).toBe(false);
    expect(literalValue(quoted('{{ n }}'), { n: null })).toBeNull();
    expect(literalValue(quoted('{{ n }}'), { n: '' })).toBe('');
  });

  it('a placeholder inside other text is substituted as text', () => {
    expect(literalValue(quoted('run-{{ n }}'), { n: 42 })).toBe('run-42');
    expect(literalValue(quoted('{{ a }}{{ b }}'), { a: 1, b: 2 })).toBe('12');
  });

  it('a lone placeholder without a var is left as written', () => {
    expect(literalValue(quoted('{{ n }}'), {})).toBe('{{ n }}');
  });

  it('non-string literals pass through', () => {
    expect(literalValue({ kind: 'literal', value: 7, quoted: false }, { n: 1 })).toBe(7);
    expect(literalValue({ kind: 'literal', value: null, quoted: false }, {})).toBeNull();
    expect(literalValue(quoted('plain'), {})).toBe('plain');
  });

  it('names with - and . work as lone placeholders', () => {
    expect(literalValue(quoted('{{ sub-id.x }}'), { 'sub-id.x': 3 })).toBe(3);
  });
});
