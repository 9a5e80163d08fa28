// Word-level helpers shared by naming, aliases and titles.

/** Splits camelCase, PascalCase, snake_case, kebab-case and `$top` into words. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

export function snakeCase(text: string): string {
  return splitWords(text)
    .map((word) => word.toLowerCase())
    .join('_');
}

// Words that have no plural form in resource names.

import { constantSet } from '../util/caches.ts';
const UNCOUNTABLE = constantSet(['access', 'data', 'metadata', 'info', 'information']);

/** English plural of one lower- or mixed-case word; words ending in `s` count as plural already. */
export function pluralize(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  if (lower.endsWith('ss') || /(x|ch|sh)$/.test(lower)) return `${word}es`;
  if (lower.endsWith('s')) return word;
  if (/[^aeiou]y$/.test(lower)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** True when two words are the same noun, ignoring case and number. */
export function sameNoun(a: string, b: string): boolean {
  return pluralize(a.toLowerCase()) === pluralize(b.toLowerCase());
}

/** `pipelines_runs` → `Pipelines runs`. */
export function humanize(snakeName: string): string {
  const text = snakeName.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
