// regexp_like, regexp_substr and regexp_replace for local SQL. StackQL runs them with Go's regexp,
// so patterns are RE2 syntax, matches are leftmost-first (Perl's choice, not the longest), and a
// replacement expands $1, ${1}, $name and ${name} as Go's ReplaceAllString does. re2js runs them
// in time linear in the text, whatever the pattern: never a backtracking JS RegExp, where a
// pattern like (a+)+$ would freeze the query. Compiled patterns are kept per database.
//
//   regexp_like(text, pattern [, flags])           1 if the pattern matches anywhere in the text, else 0
//   regexp_substr(text, pattern)                   the first match, or NULL if there is none
//   regexp_replace(text, pattern, repl [, flags])  the text with every match replaced by repl
//
// flags: any of i (case-insensitive), m (^ and $ match at line ends), s (. matches \n); the
// pattern can also set them itself ((?i)…). A NULL argument gives NULL. A pattern RE2 refuses
// (a lookahead, a backreference, a missing parenthesis) is an error with RE2's message.

import { createRequire } from 'node:module';
import type { Matcher, RE2JS } from 're2js';
import { BoundedCache } from '../util/caches.ts';

type Re2Module = typeof import('re2js');

/** Distinct (pattern, flags) compiled per database: a query uses a few, each on every row. */
const MAX_PATTERNS = 256;

/** A character of a group's name in a replacement, as Go's Regexp.Expand reads them. */
const NAME_CHARACTER = /^[\p{L}\p{Nd}_]$/u;
/** A name that is a group number: ASCII digits, no leading zero, below 10^9 (Go's limit). */
const GROUP_NUMBER = /^(?:0|[1-9][0-9]{0,8})$/;

/** The regexp functions of one database, with its compiled patterns. */
export class RegexpFunctions {
  private readonly patterns = new BoundedCache<string, RE2JS>('exec.sql-regexps', MAX_PATTERNS);
  private re2?: Re2Module;

  like(text: string | null, pattern: string | null, flags: string | null): bigint | null {
    if (text === null || pattern === null || flags === null) return null;
    return this.compile('regexp_like', pattern, flags).test(text) ? 1n : 0n;
  }

  substr(text: string | null, pattern: string | null): string | null {
    if (text === null || pattern === null) return null;
    const matcher = this.compile('regexp_substr', pattern, '').matcher(text);
    return matcher.find() ? matcher.group() : null;
  }

  replace(text: string | null, pattern: string | null, replacement: string | null, flags: string | null): string | null {
    if (text === null || pattern === null || replacement === null || flags === null) return null;
    return replaceAll(this.compile('regexp_replace', pattern, flags), text, replacement);
  }

  private compile(fn: string, pattern: string, flags: string): RE2JS {
    // re2js is loaded when a statement first uses a pattern: most never do.
    const { RE2JS: Re2, RE2JSException } = (this.re2 ??= createRequire(import.meta.url)('re2js') as Re2Module);
    const mask = flagMask(fn, flags, Re2);
    return this.patterns.getOrCompute(`${mask}/${pattern}`, () => {
      try {
        return Re2.compile(pattern, mask);
      } catch (error) {
        if (error instanceof RE2JSException) throw new Error(`${fn}: ${error.message}`);
        throw error;
      }
    });
  }
}

function flagMask(fn: string, flags: string, Re2: typeof RE2JS): number {
  let mask = 0;
  for (const flag of flags) {
    if (flag === 'i') mask |= Re2.CASE_INSENSITIVE;
    else if (flag === 'm') mask |= Re2.MULTILINE;
    else if (flag === 's') mask |= Re2.DOTALL;
    else throw new Error(`${fn}: unknown flag '${flag}' (flags are i, m and s)`);
  }
  return mask;
}

/**
 * Go's Regexp.ReplaceAllString: successive non-overlapping matches, each replaced by the expanded
 * template, except an empty match right after the previous match; the search always moves on by
 * at least one character.
 */
export function replaceAll(pattern: RE2JS, text: string, template: string): string {
  const matcher = pattern.matcher(text);
  let out = '';
  let lastEnd = 0;
  let searchFrom = 0;
  while (searchFrom <= text.length && matcher.find(searchFrom)) {
    const start = matcher.start();
    const end = matcher.end();
    out += text.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expand(template, matcher, pattern);
    lastEnd = end;
    const width = searchFrom < text.length && text.codePointAt(searchFrom)! > 0xffff ? 2 : 1;
    searchFrom = Math.max(searchFrom + width, end);
  }
  return out + text.slice(lastEnd);
}

/**
 * Go's Regexp.Expand: `$$` is `$`; `$name` takes the longest run of letters, digits and `_`
 * (so `$1x` names a group "1x"), `${name}` ends at `}`; a name that is a number is a group by
 * number. A group that does not exist or did not take part expands to nothing. A `$` followed by
 * no name is kept as it is; backslashes are plain text.
 */
export function expand(template: string, matcher: Matcher, pattern: RE2JS): string {
  let out = '';
  let at = 0;
  for (;;) {
    const dollar = template.indexOf('$', at);
    if (dollar < 0) return out + template.slice(at);
    out += template.slice(at, dollar);
    at = dollar + 1;
    if (template[at] === '$') {
      out += '$';
      at++;
      continue;
    }
    const reference = readReference(template, at);
    if (!reference) {
      out += '$';
      continue;
    }
    at = reference.end;
    out += groupText(reference.name, matcher, pattern);
  }
}

/** The `name` or `{name}` at `at`, and where it ends; none when there is no name (or no `}`). */
function readReference(template: string, at: number): { readonly name: string; readonly end: number } | undefined {
  const brace = template[at] === '{';
  const start = brace ? at + 1 : at;
  let end = start;
  while (end < template.length) {
    const character = String.fromCodePoint(template.codePointAt(end)!);
    if (!NAME_CHARACTER.test(character)) break;
    end += character.length;
  }
  if (end === start) return undefined;
  if (!brace) return { name: template.slice(start, end), end };
  return template[end] === '}' ? { name: template.slice(start, end), end: end + 1 } : undefined;
}

function groupText(name: string, matcher: Matcher, pattern: RE2JS): string {
  const named = pattern.namedGroups();
  const index = GROUP_NUMBER.test(name) ? Number(name) : Object.hasOwn(named, name) ? named[name] : undefined;
  if (index === undefined || index > pattern.groupCount()) return '';
  return matcher.group(index) ?? '';
}
