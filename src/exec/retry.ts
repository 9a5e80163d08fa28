// Retry decisions, as pure functions of what happened. The loop that uses them is in send.ts.
//
// Idempotent requests (GET, HEAD, PUT, DELETE, and POSTs that only read) are retried on 408,
// 429, 500, 502, 503, 504, timeouts and dropped connections. Other requests (createRun, cancel,
// PATCH) only when the server certainly did not process them: 429 (ARM throttles before the
// provider sees the request) and failures to connect.

import type { EngineError } from '../errors.ts';
import { constantSet } from '../util/caches.ts';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  readonly budgetMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, budgetMs: 120_000 };

const RETRIABLE_STATUS = constantSet([408, 429, 500, 502, 503, 504]);

export type Outcome =
  | { readonly kind: 'status'; readonly status: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'error'; readonly error: EngineError };

/** Whether the failure may be retried for a request of this kind. */
export function isRetriable(outcome: Outcome, idempotent: boolean): boolean {
  if (outcome.kind === 'status') return idempotent ? RETRIABLE_STATUS.has(outcome.status) : outcome.status === 429;
  const { code, details } = outcome.error;
  if (code === 'HTTP_ABORTED') return false;
  if (details?.stage === 'connect') return true;
  return idempotent && (code === 'HTTP_NETWORK' || code === 'HTTP_TIMEOUT');
}

const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;
const HTTP_DATE_START = /^\s*[A-Za-z]{3}/;

/**
 * Milliseconds the server asked to wait: retry-after-ms, x-ms-retry-after-ms, Retry-After (seconds
 * or an HTTP date; a date passed is 0). A negative or unreadable value is no answer (undefined);
 * a huge one is returned as it is, for the caller's budget or clamp to judge.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers[name];
    if (value !== undefined && DECIMAL.test(value)) return Number(value);
  }
  const retryAfter = headers['retry-after'];
  if (retryAfter === undefined) return undefined;
  if (DECIMAL.test(retryAfter)) return Number(retryAfter) * 1000;
  // Date.parse reads "-5" as a date in 2001: only text that starts like an HTTP date is one.
  const date = HTTP_DATE_START.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random delay up to base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The delay before the next attempt, or undefined to give up. `attempt` is the one that failed (1-based). */
export function nextRetryDelay(
  outcome: Outcome,
  idempotent: boolean,
  attempt: number,
  elapsedMs: number,
  options: RetryOptions,
  now: number,
  random: () => number,
): number | undefined {
  if (attempt >= options.maxAttempts || !isRetriable(outcome, idempotent)) return undefined;
  const asked = outcome.kind === 'status' ? retryAfterMs(outcome.headers, now) : undefined;
  const delay = asked ?? backoffMs(attempt, options, random);
  return elapsedMs + delay > options.budgetMs ? undefined : delay;
}
