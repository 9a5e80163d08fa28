// Spec patterns V8 may run (linear-pattern.ts): only unambiguous, start-anchored ones are given to
// it, and on those its answers are re2js's, the reference, for every value tried.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import type * as Re2 from 're2js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { linearTest } from '../../../src/plan/linear-pattern.ts';
import { specPattern, translateDotNetPattern } from '../../../src/plan/patterns.ts';
import { PlanSession } from '../../../src/plan/session.ts';
import { needsShared } from '../../helpers/shared.ts';
import { specsRoot } from '../generator/paths.ts';

const { RE2JS } = createRequire(import.meta.url)('re2js') as typeof Re2;
const shared = needsShared("the patterns of the Azure specs and StackQL's registry");

/** The RE2 text patterns.ts hands on, for a .NET pattern it can translate without lookbehinds. */
function re2Source(pattern: string): string {
  const translation = translateDotNetPattern(pattern);
  if ('unsupported' in translation || translation.lookbehinds) throw new Error(`${pattern} is not a plain translation`);
  return translation.source;
}

const native = (pattern: string) => linearTest(re2Source(pattern));

describe('which patterns V8 runs', () => {
  it('the Azure patterns a first statement meets: resource group, factory, pipeline, private endpoint names', () => {
    for (const pattern of [
      '^[-\\w\\._\\(\\)]+$',
      '^[-\\w\\._,\\(\\)]+$',
      '^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$',
      '^[A-Za-z0-9_][^<>*#.%&:\\\\+?/]*$',
      '^[a-z0-9A-Z][a-z0-9A-Z_-]{0,149}$',
      '^[a-z][a-z0-9]*(?:\\.[a-z0-9]+){0,3}\\z',
      '\\A\\d{4}-\\d{2}-\\d{2}',
    ]) {
      expect(native(pattern), pattern).toBeTypeOf('function');
    }
  });

  it('patterns a backtracking engine could take exponential or polynomial time on stay with re2js', () => {
    for (const pattern of [
      '^(a+)+$',
      '^(a*)*$',
      '^(?:a|a)*$',
      '^(a|ab)*c$',
      '^((x?)?y)*$',
      '^(x?|y?)*z$',
      '^a*a*$',
      '^[a-z]*[a-z0-9]*$',
      '^\\w+\\d+$',
      '^.*.*=.*$',
      '^([a-zA-Z0-9-]*[a-zA-Z0-9])*$',
      '^(?:a{1,3}){1,3}$',
      '^[^x]*\\s*$',
    ]) {
      expect(native(pattern), pattern).toBeUndefined();
    }
  });

  it('patterns that are not anchored at the start, anchor one option only, or use what V8 would read otherwise stay with re2js', () => {
    for (const pattern of ['a+b', '[a-z]+$', '^a|b', '^a+?$', '^(?i)a$', '^a$b', '^a{1,2000}$', '^(a{10}){200}$', '^a{3,2}$']) {
      expect(native(pattern), pattern).toBeUndefined();
    }
  });

  it('an alternation inside a group is read; one at the top, where RE2 anchors only the first option, is not', () => {
    expect(native('^(?:foo|bar)$')).toBeTypeOf('function');
    expect(native('^(foo|bar)$')).toBeTypeOf('function');
    expect(native('^foo|bar$')).toBeUndefined();
  });

  it('a pattern too costly to analyse (a spec is untrusted) is left to re2js, which still checks it', () => {
    // 100 ranges of 200 code points, each to be compared with \p{Zl}, code point by code point.
    const ranges = Array.from({ length: 100 }, (_, i) => {
      const low = 0x3000 + i * 200;
      return `[\\u${low.toString(16)}-\\u${(low + 199).toString(16)}]x`;
    });
    const pattern = `^(?:${ranges.join('|')}|\\p{Zl}z)$`;
    expect(native(pattern)).toBeUndefined();
    expect(native(`^(?:${ranges.slice(0, 2).join('|')}|\\p{Zl}z)$`)).toBeTypeOf('function');
    const check = specPattern(pattern, new PlanSession());
    expect(check.checkable).toBe(true);
    expect([check.test(`${String.fromCharCode(0x3000 + 250)}x`), check.test(`${String.fromCharCode(0x3000 + 250)}y`)]).toEqual([true, false]);
  });

  it(".NET's $ allows one final newline, \\z none", () => {
    const dollar = native('^[a-z]+$')!;
    const strict = native('^[a-z]+\\z')!;
    expect([dollar('abc'), dollar('abc\n'), dollar('abc\n\n'), dollar('ab\nc')]).toEqual([true, true, false, false]);
    expect([strict('abc'), strict('abc\n')]).toEqual([true, false]);
  });
});

/** Characters where the classes in Azure's patterns differ: categories, separators, newlines, astral and lone surrogates. */
const EDGES = [
  ...'aZz09_-.()<>*#%&:\\+?/,$^[]{}|!~ ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u3000',
  'é',
  'Ж',
  'ǅ',
  '\u0301',
  '\u0903',
  '٣',
  'Ⅻ',
  '½',
  '‿',
  '\u200d',
  '\ufeff',
  '😀',
  '𝒜',
  '𝟘',
  '\ud800',
  '\udc00',
];

/** Values near the pattern's own literals and range ends, near misses of those, and random ones. */
function values(pattern: string): fc.Arbitrary<string> {
  const own = [...new Set([...pattern].filter((char) => !'^$\\[](){}*+?|'.includes(char)))];
  const chars = fc.constantFrom(...EDGES, ...own);
  return fc.oneof(
    fc.array(chars, { maxLength: 12 }).map((parts) => parts.join('')),
    fc.array(fc.constantFrom(...own, 'a', '-'), { minLength: 1, maxLength: 40 }).map((parts) => parts.join('')),
    fc.tuple(fc.array(fc.constantFrom(...own, 'a'), { maxLength: 20 }), chars).map(([parts, last]) => parts.join('') + last),
  );
}

/** Patterns V8 runs answer as re2js does on `pattern`'s RE2 text; false when re2js runs it. */
function agreesWithRe2js(pattern: string): boolean {
  const source = re2Source(pattern);
  const test = linearTest(source);
  if (!test) return false;
  const reference = RE2JS.compile(source);
  fc.assert(
    fc.property(values(pattern), (value) => {
      expect(test(value), `${pattern} on ${JSON.stringify(value)}`).toBe(reference.test(value));
    }),
    { numRuns: 400 },
  );
  return true;
}

/** Hand-written patterns that exercise each construct linear-pattern.ts reads. */
const CONSTRUCTS = [
  '^[-\\w\\._\\(\\)]+$',
  '^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$',
  '^[A-Za-z0-9_][^<>*#.%&:\\\\+?/]*$',
  '^[a-z0-9A-Z][a-z0-9A-Z_-]{0,149}$',
  '^\\d{1,3}(?:\\.\\d{1,3}){3}$',
  '^\\s?[a-z]+$',
  '^\\S+$',
  '^\\D+$',
  '^\\W$',
  '^[\\s,]+$',
  '^\\p{Lu}\\p{Ll}*$',
  '^\\P{L}+$',
  '^.{2,4}\\z',
  '^(?:ab|c|(?:d))?e$',
  '^x(?:y|z{2,})?$',
  '^(foo|bar)-\\d+$',
  '^[^\\n]*$',
  '^\\$[a-z]$',
  '^\\{[0-9]+\\}$',
  '^😀[\\u0041-\\u005A]$',
  '^\\x41\\u00e9\\t$',
];

describe('V8 answers as re2js does', () => {
  for (const pattern of CONSTRUCTS) {
    it(pattern, () => expect(agreesWithRe2js(pattern)).toBe(true));
  }

  it('on every pattern of the registry skyql bundles', () => {
    const patterns = bundledPatterns();
    expect(patterns.length).toBeGreaterThanOrEqual(5);
    const runByV8 = patterns.filter(agreesWithRe2js);
    // All but the global parameter name, whose two options both start with [_A-Za-z0-9].
    expect(runByV8.length).toBe(patterns.length - 1);
  });

  it('on random patterns over a small alphabet, wherever V8 is given one', () => {
    const atom = fc.constantFrom('a', 'b', '-', '.', '[ab]', '[^a]', '[a-c]', '\\d', '\\w', '\\s', '\\W', '[\\d-]', 'é');
    const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{0,2}', '{1,3}', '{2,}');
    const { pattern } = fc.letrec((tie) => ({
      item: fc.oneof(
        { weight: 4, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
        { weight: 1, arbitrary: fc.tuple(tie('alternatives'), quantifier).map(([group, q]) => `(?:${group})${q}`) },
      ),
      sequence: fc.array(tie('item') as fc.Arbitrary<string>, { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
      alternatives: fc.array(tie('sequence') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).map((options) => options.join('|')),
      pattern: fc.tuple(tie('sequence') as fc.Arbitrary<string>, fc.constantFrom('$', '\\z', '')).map(([body, end]) => `^${body}${end}`),
    }));
    const value = fc.array(fc.constantFrom('a', 'b', 'c', '-', '1', '٣', ' ', '\n', 'é', '_', '.'), { maxLength: 8 }).map((chars) => chars.join(''));
    let runByV8 = 0;
    fc.assert(
      fc.property(pattern as fc.Arbitrary<string>, fc.array(value, { minLength: 20, maxLength: 20 }), (generated, values) => {
        const source = re2Source(generated);
        const test = linearTest(source);
        if (!test) return;
        runByV8++;
        const reference = RE2JS.compile(source);
        for (const v of values) expect(test(v), `${generated} on ${JSON.stringify(v)}`).toBe(reference.test(v));
      }),
      { numRuns: 1500 },
    );
    // The generator reaches V8 often enough for the comparison to mean something.
    expect(runByV8).toBeGreaterThan(300);
  });

  shared.it("on every pattern of the Azure specs and of StackQL's registry", () => {
    const patterns = new Set([...specPatterns(specsRoot), ...registryPatterns(join(specsRoot, '../../stackql-registry'))]);
    expect(patterns.size).toBeGreaterThanOrEqual(8);
    let runByV8 = 0;
    for (const pattern of patterns) {
      const translation = translateDotNetPattern(pattern);
      if (!('unsupported' in translation) && !translation.lookbehinds && agreesWithRe2js(pattern)) runByV8++;
    }
    expect(runByV8).toBeGreaterThanOrEqual(5);
  });
});

function bundledPatterns(): string[] {
  const folder = new URL('../../../providers/azure/', import.meta.url);
  const found = new Set<string>();
  for (const name of readdirSync(folder)) {
    if (name.endsWith('.yaml')) collect(parse(readFileSync(new URL(name, folder), 'utf8')), found);
  }
  return [...found];
}

function specPatterns(folder: string): string[] {
  const found = new Set<string>();
  for (const path of filesUnder(folder, '.json')) collect(JSON.parse(readFileSync(path, 'utf8')), found);
  return [...found];
}

/** StackQL's documents are large: their `pattern:` lines are read, not the whole YAML. */
function registryPatterns(folder: string): string[] {
  const found = new Set<string>();
  for (const path of filesUnder(folder, '.yaml')) {
    for (const [, value] of readFileSync(path, 'utf8').matchAll(/^\s*pattern: (.+)$/gm)) {
      const pattern: unknown = parse(value);
      if (typeof pattern === 'string') found.add(pattern);
    }
  }
  return [...found];
}

function filesUnder(folder: string, extension: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every string `pattern` under a document (what a schema named `pattern` holds is not one). */
function collect(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') found.add(value);
    else collect(value, found);
  }
}
