// Relative time defaults (`-P1D`, `PT0S`): a signed ISO-8601 duration added to now.

import { EngineError } from '../errors.ts';

const DURATION = /^([+-])?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function relativeTime(now: Date, duration: string): string {
  const match = DURATION.exec(duration);
  if (!match) throw new EngineError('REG_INVALID', `defaultRelativeTime "${duration}" is not an ISO-8601 duration such as -P1D`);
  const [, sign, days, hours, minutes, seconds] = match;
  const ms = ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 + Number(seconds ?? 0) * 1000;
  return new Date(now.getTime() + (sign === '-' ? -ms : ms)).toISOString();
}
