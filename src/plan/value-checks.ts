// Value rules beyond the spec's pattern, length and enum, checked before anything is sent:
// a date-time must be one, and a path value must not name another resource ("." and "..").

import type { ParamSpec } from '../registry/types.ts';

/** What is wrong with a param's value, or undefined. */
export function valueProblem(param: ParamSpec, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (param.in === 'path' && hasDotSegment(value, param.skipUrlEncoding === true)) {
    return 'a path value cannot be "." or ".." (the URL would name another resource)';
  }
  if (param.format === 'date-time' && !isDateTime(value)) {
    return 'must be an RFC 3339 date-time: date, time and offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T09:30:00.5+01:00';
  }
  return undefined;
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * "." and ".." are removed from a URL's path by every URL parser, taking the segment before with
 * them. An encoded value is one segment; a value inserted as is (skipUrlEncoding: ARM scopes) is
 * checked segment by segment, with the spellings URL parsers also take as dots (`%2e`, `\` as `/`).
 */
export function hasDotSegment(value: string, raw: boolean): boolean {
  if (!raw) return value === '.' || value === '..';
  return value.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * RFC 3339's date-time, which Azure's `format: date-time` means: `2026-11-01T00:00:00Z`, with a
 * fraction (`.1234567`), with an offset (`+01:00`). Not a date alone, nor a time without an offset:
 * the SDKs send `Date.toISOString()`, and skyql will not guess a time of day or a time zone.
 */
export function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetOk = match[7] === undefined || (Number(match[7]) <= 23 && Number(match[8]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
