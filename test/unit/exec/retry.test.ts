import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { backoffMs, DEFAULT_RETRY, isRetriable, nextRetryDelay, retryAfterMs, type Outcome } from '../../../src/exec/retry.ts';

const status = (code: number, headers: Record<string, string> = {}): Outcome => ({ kind: 'status', status: code, headers });
const failure = (code: 'HTTP_NETWORK' | 'HTTP_TIMEOUT' | 'HTTP_ABORTED', stage: 'connect' | 'request'): Outcome => ({
  kind: 'error',
  error: new EngineError(code, 'x', { details: { stage } }),
});

describe('isRetriable', () => {
  it('retries idempotent requests on 408, 429 and 5xx gateway errors, timeouts and dropped connections', () => {
    for (const code of [408, 429, 500, 502, 503, 504]) expect(isRetriable(status(code), true), String(code)).toBe(true);
    for (const code of [400, 401, 403, 404, 409, 501]) expect(isRetriable(status(code), true), String(code)).toBe(false);
    expect(isRetriable(failure('HTTP_NETWORK', 'request'), true)).toBe(true);
    expect(isRetriable(failure('HTTP_TIMEOUT', 'request'), true)).toBe(true);
  });

  it('retries actions only when the server certainly did not process them: 429 and failures to connect', () => {
    expect(isRetriable(status(429), false)).toBe(true);
    for (const code of [408, 500, 502, 503, 504]) expect(isRetriable(status(code), false), String(code)).toBe(false);
    expect(isRetriable(failure('HTTP_NETWORK', 'connect'), false)).toBe(true);
    expect(isRetriable(failure('HTTP_NETWORK', 'request'), false)).toBe(false);
    expect(isRetriable(failure('HTTP_TIMEOUT', 'request'), false)).toBe(false);
  });

  it('never retries a cancelled request', () => {
    expect(isRetriable(failure('HTTP_ABORTED', 'connect'), true)).toBe(false);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('reads retry-after-ms and x-ms-retry-after-ms first, then Retry-After seconds or date', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(retryAfterMs({ 'x-ms-retry-after-ms': '40' }, now)).toBe(40);
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 11:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('ignores negative and unreadable values (the caller falls back to backoff or the poll interval)', () => {
    // Date.parse('-5') is a date in 2001: read as a date, it would mean "retry at once".
    for (const value of ['-5', '-1', '-0', 'abc', 'NaN', 'Infinity', '1e3', '0x10', '', ' ', '5 s', '3 days']) {
      expect(retryAfterMs({ 'retry-after': value }, now), value).toBeUndefined();
      expect(retryAfterMs({ 'retry-after-ms': value }, now), value).toBeUndefined();
    }
  });

  it('a negative retry-after-ms gives way to the next header', () => {
    expect(retryAfterMs({ 'retry-after-ms': '-5', 'x-ms-retry-after-ms': 'abc', 'retry-after': '2' }, now)).toBe(2000);
  });

  it("returns a huge value as it is: the budget or the caller's clamp decides", () => {
    expect(retryAfterMs({ 'retry-after': '99999999999' }, now)).toBe(99_999_999_999_000);
    expect(retryAfterMs({ 'retry-after-ms': '9'.repeat(400) }, now)).toBe(Infinity);
  });

  it('reads whitespace around a number, fractions and a date in the past', () => {
    expect(retryAfterMs({ 'retry-after': ' 3 ' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': '1.5' }, now)).toBe(1500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }, now)).toBe(0);
  });
});

describe('backoff', () => {
  it('is full jitter under an exponential, capped ceiling', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, options, () => 0)).toBe(0);
    expect(backoffMs(1, options, () => 0.999)).toBe(99);
    expect(backoffMs(3, options, () => 0.999)).toBe(399);
    expect(backoffMs(10, options, () => 0.999)).toBe(999);
  });
});

describe('nextRetryDelay', () => {
  const options = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 5000 };
  it("uses the server's Retry-After when it gives one", () => {
    expect(nextRetryDelay(status(429, { 'retry-after': '2' }), false, 1, 0, options, 0, () => 0.5)).toBe(2000);
  });
  it('stops after maxAttempts, and when the delay would pass the time budget', () => {
    expect(nextRetryDelay(status(503), true, 3, 0, options, 0, () => 0.5)).toBeUndefined();
    expect(nextRetryDelay(status(429, { 'retry-after': '10' }), true, 1, 0, options, 0, () => 0.5)).toBeUndefined();
    expect(nextRetryDelay(status(503), true, 1, 4990, options, 0, () => 0.5)).toBeUndefined();
    expect(nextRetryDelay(status(503), true, 1, 0, options, 0, () => 0.5)).toBe(50);
  });
  it('gives up when the server asks for a wait beyond the budget, however large', () => {
    for (const value of ['99999999999', '9'.repeat(400)]) {
      expect(
        nextRetryDelay(status(429, { 'retry-after': value }), true, 1, 0, options, 0, () => 0.5),
        value,
      ).toBeUndefined();
    }
  });
  it('falls back to backoff when Retry-After is garbage or negative', () => {
    for (const value of ['-5', 'abc', '-1'])
      expect(
        nextRetryDelay(status(503, { 'retry-after': value }), true, 1, 0, options, 0, () => 0.5),
        value,
      ).toBe(50);
  });
});
