// setTimeout fires at once (after a warning) for delays above 2^31-1 ms or that are not numbers,
// so a server asking for a huge wait would get none: every timer delay passes through here.

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay setTimeout honours: negative or NaN → 0, beyond the timer range → its maximum. */
export function timerDelayMs(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
