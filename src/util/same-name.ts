// One rule for names in SQL: column, param, alias, view and resource names are the same name
// whatever their case (`runId`, `RUNID`, `runid`), as SQLite and StackQL read them.

/**
 * Whether `a` and `b` name the same thing: `a.toLowerCase() === b.toLowerCase()`. Planning asks
 * this for every name of a statement against every param of a method, so ASCII names are compared
 * code by code without lower-casing either (no string made); a name with any other character is
 * lower-cased as JavaScript does (`K`, the Kelvin sign, is `k`; `İ` becomes two code units).
 */
export function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return (hasNonAscii(a) || hasNonAscii(b)) && a.toLowerCase() === b.toLowerCase();
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Two codes that differ only in 0x20 are one letter's two cases when that is an ASCII letter;
    // any other difference is one only if the rest of either name is not all ASCII.
    const lower = x | 0x20;
    if (lower !== (y | 0x20) || lower < 0x61 || lower > 0x7a) return (hasNonAscii(a, i) || hasNonAscii(b, i)) && a.toLowerCase() === b.toLowerCase();
  }
  return true;
}

function hasNonAscii(text: string, from = 0): boolean {
  for (let i = from; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}
