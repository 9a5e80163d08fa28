import fc from 'fast-check';
import { expect, it } from 'vitest';
import { sameName } from '../../../src/util/same-name.ts';

it('names are the same whatever their case, and only then', () => {
  expect(sameName('runId', 'runId')).toBe(true);
  expect(sameName('runId', 'RUNID')).toBe(true);
  expect(sameName('resourceGroupName', 'resourcegroupname')).toBe(true);
  expect(sameName('runId', 'run_id')).toBe(false);
  expect(sameName('runId', 'runIds')).toBe(false);
  expect(sameName('', '')).toBe(true);
});

it('codes that differ only in 0x20 are the same only for letters', () => {
  expect(sameName('a@b', 'a`b')).toBe(false);
  expect(sameName('a[b', 'a{b')).toBe(false);
  expect(sameName('a\\b', 'a|b')).toBe(false);
  expect(sameName('a_b', 'a\x7fb')).toBe(false);
  expect(sameName('x1', 'x\x11')).toBe(false);
});

it('a name with other characters than ASCII is compared lower-cased, as JavaScript lower-cases it', () => {
  expect(sameName('\u212Aey', 'key')).toBe(true); // the Kelvin sign is k
  expect(sameName('key', '\u212AEY')).toBe(true);
  expect(sameName('\u0130d', 'i\u0307d')).toBe(true); // İ lower-cases to two code units
  expect(sameName('Ärger', 'ärger')).toBe(true);
  expect(sameName('Ärger', 'arger')).toBe(false);
});

// What it must equal, for any two strings: lower-casing both.
const reference = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const nameChars = fc.constantFrom(...'aAzZbB_@`[{\\|\x7f09 -\u212A\u0130i\u0307\u00c4\u00e4\u03a3\u03c3\u03c2kKsS\u017f');

it('agrees with lower-casing both, for names and their case variants', () => {
  const name = fc.string({ unit: nameChars, maxLength: 8 });
  const variant = (text: string, flips: readonly boolean[]) =>
    [...text].map((char, i) => (flips[i % Math.max(1, flips.length)] ? char.toUpperCase() : char.toLowerCase())).join('');
  fc.assert(
    fc.property(name, name, fc.array(fc.boolean(), { maxLength: 8 }), (a, b, flips) => {
      expect(sameName(a, b)).toBe(reference(a, b));
      expect(sameName(a, variant(a, flips))).toBe(reference(a, variant(a, flips)));
      expect(sameName(variant(b, flips), b)).toBe(reference(variant(b, flips), b));
    }),
    { numRuns: 20_000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }), (a, b) => {
      expect(sameName(a, b)).toBe(reference(a, b));
      expect(sameName(a, a.toUpperCase())).toBe(reference(a, a.toUpperCase()));
    }),
    { numRuns: 20_000 },
  );
});
