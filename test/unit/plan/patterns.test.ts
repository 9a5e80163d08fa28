// Spec patterns are .NET regular expressions, checked in linear time (re2js) with .NET's
// meanings; what RE2 cannot express is deliberately not checked.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { specPattern, translateDotNetPattern } from '../../../src/plan/patterns.ts';
import { coerceParam } from '../../../src/plan/values.ts';
import type { ParamSpec } from '../../../src/registry/types.ts';
import { PlanSession } from '../../../src/plan/session.ts';

const session = new PlanSession();
import { errorOf } from '../../helpers/errors.ts';
import { needsShared } from '../../helpers/shared.ts';
import { specsRoot } from '../generator/paths.ts';

const ADF_FOLDER = join(specsRoot, 'datafactory/resource-manager/Microsoft.DataFactory/stable/2018-06-01');
const RESOURCE_GROUP = '^[-\\w\\._\\(\\)]+$';

const matches = (pattern: string, value: string) => specPattern(pattern, session).test(value);
const shared = needsShared('the patterns of the Azure specs');

describe('.NET meanings', () => {
  it('\\w is Unicode: a resource group named rg-é is accepted, as Azure accepts it', () => {
    expect(matches(RESOURCE_GROUP, 'rg-é')).toBe(true);
    expect(matches(RESOURCE_GROUP, 'Ünïcödé_(prod).v2')).toBe(true);
    expect(matches(RESOURCE_GROUP, 'rg é')).toBe(false);
    expect(matches(RESOURCE_GROUP, 'rg/é')).toBe(false);
    expect(matches(RESOURCE_GROUP, '')).toBe(false);
  });

  it('through a param: rg-é is no longer refused', () => {
    const param: ParamSpec = { name: 'resourceGroupName', in: 'path', required: true, type: 'string', pattern: RESOURCE_GROUP };
    const context = { script: '', vars: {}, operation: 'a.b.c.d', session };
    expect(coerceParam(param, { kind: 'literal', value: 'rg-é', quoted: true }, context)).toBe('rg-é');
    expect(errorOf(() => coerceParam(param, { kind: 'literal', value: 'rg é', quoted: true }, context)).code).toBe('PLAN_INVALID_VALUE');
  });

  it('\\w is letters, non-spacing marks, decimal digits and connector punctuation, nothing else', () => {
    for (const word of ['a', 'Ж', '中', 'ǅ', 'ʰ', '\u0301', '٣', '_', '‿']) expect(matches('^\\w$', word), word).toBe(true);
    for (const other of ['-', ' ', '½', 'Ⅻ', '€', '\u200d', '\u0903']) expect(matches('^\\w$', other), other).toBe(false);
    expect(matches('^\\W$', '€')).toBe(true);
    expect(matches('^\\W$', 'é')).toBe(false);
  });

  it('\\d is any decimal digit, \\s any .NET white space', () => {
    expect(matches('^\\d+$', '٣٤५')).toBe(true);
    expect(matches('^\\d+$', '½')).toBe(false);
    for (const space of [' ', '\t', '\v', '\f', '\r', '\n', '\u0085', '\u00a0', '\u2003', '\u2028'])
      expect(matches('^\\s$', space), JSON.stringify(space)).toBe(true);
    expect(matches('^\\s$', '\ufeff')).toBe(false);
    expect(matches('^\\S+$', 'a\u00a0b')).toBe(false);
  });

  it('\\W and \\S inside a class', () => {
    expect(matches('^[a\\W]+$', 'a-€a')).toBe(true);
    expect(matches('^[a\\W]+$', 'ab')).toBe(false);
    // A word character that is not `_` (Azure's `^[^_\\W][\\w-._]{0,79}(?<![-.])$`).
    const name = '^[^_\\W][\\w-._]{0,79}(?<![-.])$';
    expect(matches(name, 'é-name_1')).toBe(true);
    expect(matches(name, '_name')).toBe(false);
    expect(matches(name, '-name')).toBe(false);
    expect(matches(name, 'name-')).toBe(false);
    expect(matches('^[^\\S\\d]$', ' ')).toBe(true);
    expect(matches('^[^\\S\\d]$', 'x')).toBe(false);
  });

  it('$ also matches before a final newline, as in .NET; . matches \\r but not \\n', () => {
    expect(matches('^abc$', 'abc\n')).toBe(true);
    expect(matches('^abc$', 'abc\n\n')).toBe(false);
    expect(matches('^abc\\z', 'abc\n')).toBe(false);
    expect(matches('^a.c$', 'a\rc')).toBe(true);
    expect(matches('^a.c$', 'a\nc')).toBe(false);
    expect(matches('(?m)^b$', 'a\nb\nc')).toBe(true);
  });

  it('the rest of .NET syntax: escapes, groups, options, literal braces, ] first in a class', () => {
    expect(matches('^\\u00e9\\x41\\t\\e\\cA\\0$', 'éA\t\u001b\u0001\u0000')).toBe(true);
    expect(matches("^(?<name>ab)+(?'other'c)(?#comment)$", 'ababc')).toBe(true);
    expect(matches('^(?i)abc$', 'ABC')).toBe(true);
    expect(matches('^(?i:a)b$', 'Ab')).toBe(true);
    expect(matches('^(?i:a)b$', 'AB')).toBe(false);
    expect(matches('^(?n:a)(?s:.)$', 'a\n')).toBe(true);
    expect(matches('^{a}x{2}$', '{a}xx')).toBe(true);
    expect(matches('^[]a]+$', ']a]')).toBe(true);
    expect(matches('^[a-c-z]+$', 'b-z')).toBe(true);
    expect(matches('^[\\w-.]+$', 'a-.')).toBe(true);
    expect(matches('^\\p{Lu}\\P{Lu}$', 'Ab')).toBe(true);
    // No POSIX classes in .NET: `[[:alpha:]` is a class of `[:alph`, then a literal `]`.
    expect(matches('^[[:alpha:]]$', ':]')).toBe(true);
    expect(matches('^[[:alpha:]]$', 'b]')).toBe(false);
    expect(matches('(?<=-)a', 'x-a')).toBe(true);
    expect(matches('(?<!-)a$', 'x-a')).toBe(false);
  });

  it('what RE2 cannot express is not checkable, and accepts everything', () => {
    const notCheckable: Record<string, string> = {
      '^(?!-)[A-Za-z0-9-]{3,63}(?<!-)$': 'lookahead',
      '^(?=.{2,60}$)[a-z0-9]+$': 'lookahead',
      '^(a)\\1$': 'backreference',
      '^(?<x>a)\\k<x>$': 'backreference',
      '\\bword\\b': 'word boundary',
      '^(?>a+)b$': 'atomic group',
      '^(?(a)a|b)$': 'conditional',
      '^[a-z-[aeiou]]+$': 'character class subtraction',
      '^\\p{IsGreek}+$': 'unknown Unicode category \\p{IsGreek}',
      '(?x) a b ': 'RegexOptions.IgnorePatternWhitespace',
      '^a{1,2000}$': 'invalid repeat count',
      '^(a$': 'unbalanced (',
      '^\\q$': 'unknown escape \\q',
    };
    for (const [pattern, reason] of Object.entries(notCheckable)) {
      const check = specPattern(pattern, session);
      expect(check.checkable, pattern).toBe(false);
      expect(check.reason, pattern).toContain(reason);
      expect(check.test('anything at all'), pattern).toBe(true);
    }
  });

  it('a catastrophic pattern for a backtracking engine answers promptly, and rejects', () => {
    const value = `${'a'.repeat(5_000)}!`;
    expect(matches('^(a+)+$', value)).toBe(false);
    expect(matches('^([a-zA-Z0-9-]*[a-zA-Z0-9])*$', value)).toBe(false);
    expect(matches('^(a+)+$', 'a'.repeat(5_000))).toBe(true);
  });

  it('translations read as RE2 syntax', () => {
    expect(translateDotNetPattern('^[-\\w]+$')).toEqual({ source: '^[\\x{2d}\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}]+(?:\\n?\\z)', lookbehinds: false });
    expect(translateDotNetPattern('(a)(?<!b)')).toEqual({ source: '(?:a)(?<!b)', lookbehinds: true });
    expect(translateDotNetPattern('x'.repeat(5_000))).toEqual({ unsupported: 'longer than 4096 characters' });
  });
});

describe('real Azure Data Factory patterns', () => {
  const table: [string, string, string[], string[]][] = [
    ['resourceGroupName', RESOURCE_GROUP, ['my-rg', 'rg.prod_(1)', 'rg-é', 'RG'], ['', 'my rg', 'rg/1', 'rg#', 'rg?x']],
    ['factoryName', '^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$', ['my-factory', 'F1', 'a-b-c'], ['', '-f', 'f-', 'a--b', 'my_factory', 'fé']],
    ['pipelineName', '^[A-Za-z0-9_][^<>*#.%&:\\\\+?/]*$', ['my pipeline', '_p', 'p-é (copy)'], ['', '.p', 'p.1', 'p/1', 'p\\1', 'a%20', 'p:x']],
    ['integrationRuntimeName', '^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$', ['ir-1'], ['ir_1']],
    ['privateEndpointConnectionName', '^[a-z0-9A-Z][a-z0-9A-Z_-]{0,149}$', ['pe_1-x', 'a'.repeat(150)], ['_pe', 'a'.repeat(151), 'pe.1']],
    ['globalParameterName', '^([_A-Za-z0-9]|([_A-Za-z0-9][-_A-Za-z0-9]{0,125}[_A-Za-z0-9]))$', ['default', '_', 'a-b'], ['-a', 'a-', 'a.b', 'a'.repeat(128)]],
    [
      'trigger delay',
      '((\\d+)\\.)?(\\d\\d):(60|([0-5][0-9])):(60|([0-5][0-9]))',
      ['00:15:00', '1.02:03:04', 'x 12:00:00'],
      ['1:00:00', '12:61:00', '12-00-00'],
    ],
  ];

  for (const [name, pattern, accepted, rejected] of table) {
    it(name, () => {
      expect(specPattern(pattern, session).checkable).toBe(true);
      for (const value of accepted) expect(matches(pattern, value), `${value} accepted`).toBe(true);
      for (const value of rejected) expect(matches(pattern, value), `${value} rejected`).toBe(false);
    });
  }

  shared.it('for ASCII, the translated matcher agrees with JS RegExp on every pattern of the ADF spec', () => {
    const patterns = specPatterns(ADF_FOLDER);
    expect(patterns.length).toBeGreaterThanOrEqual(7);
    // Printable ASCII and tab: \r (which .NET's `.` matches) and a final \n (which .NET's `$`
    // allows) are where .NET and JS differ on ASCII.
    const ascii = fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\t');
    for (const pattern of patterns) {
      const js = new RegExp(pattern);
      const matching = fc.stringMatching(js).filter((value) => /^[\x20-\x7e\t]*$/.test(value) && value.length <= 40);
      const nearMiss = fc.tuple(matching, fc.nat(), ascii).map(([value, at, char]) => {
        const i = at % (value.length + 1);
        return [value.slice(0, i) + char + value.slice(i), value.slice(0, i) + value.slice(i + 1), value.slice(0, i) + char + value.slice(i + 1)];
      });
      const random = fc.array(ascii, { maxLength: 24 }).map((chars) => [chars.join('')]);
      fc.assert(
        fc.property(
          fc.oneof(
            matching.map((value) => [value]),
            nearMiss,
            random,
          ),
          (values) => {
            for (const value of values) expect(matches(pattern, value), `${pattern} on ${JSON.stringify(value)}`).toBe(js.test(value));
          },
        ),
        { numRuns: 300 },
      );
    }
  });
});

shared.it('every pattern in the Azure specs skyql ships from compiles', () => {
  const notCheckable = specPatterns(specsRoot).filter((pattern) => !specPattern(pattern, session).checkable);
  expect(notCheckable).toEqual([]);
});

/** Every string `pattern` in the JSON documents under a folder (examples aside). */
function specPatterns(folder: string): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.add(value);
      visit(value);
    }
  };
  for (const file of jsonFiles(folder)) visit(JSON.parse(readFileSync(file, 'utf8')));
  return [...found];
}

function jsonFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'examples' ? [] : jsonFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}
