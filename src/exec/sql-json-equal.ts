// json_equal(a, b) for local SQL: 1 if the two JSON texts mean the same value, 0 if not, NULL if
// either is NULL. Objects are equal when they have the same keys with equal values, in any order
// (a key given twice counts once, with its last value, as JSON.parse reads it); arrays when they
// have equal elements in the same order; numbers when their exact decimal values are equal (1,
// 1.0 and 1e0 are; 9007199254740993 and 9007199254740992 are not, though they are the same
// double); strings, true, false and null only with themselves. Text that is not JSON, or JSON
// nested deeper than SQLite's JSON functions allow (1000 levels), is an error.

/** SQLite's JSON functions refuse deeper nesting (JSON_MAX_DEPTH). */
const MAX_DEPTH = 1000;

/** A JSON number, as its exact decimal value: sign, digits without leading or trailing zeros, exponent. */
class JsonNumber {
  readonly value: string;
  constructor(source: string) {
    this.value = exactValue(source);
  }
}

export function jsonEqual(a: string | null, b: string | null): bigint | null {
  if (a === null || b === null) return null;
  return sameValue(parse(a, 1), parse(b, 2)) ? 1n : 0n;
}

function parse(text: string, argument: number): unknown {
  if (nestingDepth(text) > MAX_DEPTH) throw new Error(`json_equal: argument ${argument} is nested deeper than ${MAX_DEPTH} levels`);
  try {
    // The reviver sees each number's source text: its exact value, not the nearest double.
    return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' ? new JsonNumber(context!.source!) : value,
    );
  } catch (error) {
    throw new Error(`json_equal: argument ${argument} is not JSON: ${(error as Error).message}`);
  }
}

/** The deepest nesting of arrays and objects (brackets inside strings aside); exact for valid JSON. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return deepest;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof JsonNumber || b instanceof JsonNumber) return a instanceof JsonNumber && b instanceof JsonNumber && a.value === b.value;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => Object.hasOwn(y, key) && sameValue(x[key], y[key]));
}

/** A JSON number's exact value as text: `-0.0120e+3` is `-12e0`, any zero is `0`. */
function exactValue(source: string): string {
  const negative = source.startsWith('-');
  const exponentAt = source.search(/[eE]/);
  const mantissa = source.slice(negative ? 1 : 0, exponentAt < 0 ? undefined : exponentAt);
  const point = mantissa.indexOf('.');
  const fraction = point < 0 ? '' : mantissa.slice(point + 1);
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + fraction;
  let first = 0;
  while (first < digits.length && digits[first] === '0') first++;
  if (first === digits.length) return '0';
  let last = digits.length;
  while (digits[last - 1] === '0') last--;
  const exponent = (exponentAt < 0 ? 0n : BigInt(source.slice(exponentAt + 1))) - BigInt(fraction.length) + BigInt(digits.length - last);
  return `${negative ? '-' : ''}${digits.slice(first, last)}e${exponent}`;
}
