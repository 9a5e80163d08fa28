// Client-side pacing per (origin, subscription, read/write): a token bucket with ARM's published
// defaults, lowered when ARM says fewer requests remain, plus a cap on requests in flight. The
// goal is a large fan-out that runs at the allowed rate instead of a storm of 429s.

import { EngineError } from '../errors.ts';
import { splitUrl } from '../util/url.ts';
import { timerDelayMs } from '../util/timer.ts';

export interface BucketSpec {
  readonly burst: number;
  readonly perSecond: number;
}

export const ARM_READS: BucketSpec = { burst: 250, perSecond: 25 };
export const ARM_WRITES: BucketSpec = { burst: 200, perSecond: 10 };

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

interface Bucket {
  tokens: number;
  updated: number;
  readonly spec: BucketSpec;
}

/** A caller waiting for a request slot; `grant` hands it the slot of a request that ended. */
interface SlotWaiter {
  readonly grant: () => void;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: SlotWaiter[] = [];

  private readonly pacing: boolean;

  /** Without `pacing`, only the cap on requests in flight applies (emulators, benchmarks). */
  constructor(clock: Clock, maxInFlight = 32, pacing = true) {
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.pacing = pacing;
  }

  /**
   * Waits for a token and a free slot; call the returned function when the request is done.
   * Without pacing and with a slot free, answers at once (no promise): the common case costs nothing.
   * A caller whose signal fires while it waits leaves the queue with HTTP_ABORTED.
   */
  acquire(method: string, url: string, signal?: AbortSignal): (() => void) | Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled(url));
    if (!this.pacing && this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return this.ticket();
    }
    return this.acquireLater(method, url, signal);
  }

  /** Requests holding a slot, and callers waiting for one. */
  load(): { readonly inFlight: number; readonly queued: number } {
    return { inFlight: this.inFlight, queued: this.waiting.length };
  }

  /** The release function of one slot: calling it again does nothing. */
  private ticket(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private async acquireLater(method: string, url: string, signal?: AbortSignal): Promise<() => void> {
    if (this.pacing) await this.token(method, url, signal);
    await this.slot(url, signal);
    return this.ticket();
  }

  private async token(method: string, url: string, signal?: AbortSignal): Promise<void> {
    const bucket = this.bucket(method, url);
    for (;;) {
      this.refill(bucket);
      if (bucket.tokens >= 1) break;
      try {
        await this.clock.sleep(pacingWaitMs(bucket.tokens, bucket.spec), signal);
      } catch {
        throw cancelled(url);
      }
    }
    bucket.tokens -= 1;
  }

  /** ARM reports what is left of the subscription's budget: plan on exactly that, within [0, burst]. */
  observe(method: string, url: string, headers: Readonly<Record<string, string>>): void {
    if (!this.pacing) return;
    const remaining = remainingRequests(
      headers[isWrite(method) ? 'x-ms-ratelimit-remaining-subscription-writes' : 'x-ms-ratelimit-remaining-subscription-reads'],
    );
    if (remaining === undefined) return;
    const bucket = this.bucket(method, url);
    this.refill(bucket);
    bucket.tokens = Math.min(remaining, bucket.spec.burst);
  }

  private bucket(method: string, url: string): Bucket {
    const key = bucketKey(method, url);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const spec = isWrite(method) ? ARM_WRITES : ARM_READS;
      bucket = { tokens: spec.burst, updated: this.clock.now(), spec };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private refill(bucket: Bucket): void {
    const now = this.clock.now();
    // A clock set back must not drain the bucket.
    const elapsed = Math.max(0, now - bucket.updated);
    bucket.tokens = Math.min(bucket.spec.burst, bucket.tokens + (elapsed / 1000) * bucket.spec.perSecond);
    bucket.updated = now;
  }

  private slot(url: string, signal?: AbortSignal): Promise<void> | void {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return;
    }
    if (signal?.aborted) return Promise.reject(cancelled(url));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(cancelled(url));
      };
      const waiter: SlotWaiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The slot passes straight to the first caller waiting (inFlight unchanged), else it is freed. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.inFlight--;
  }
}

/** The remaining-requests header as a count of at least 0; undefined when it is absent or not a number. */
export function remainingRequests(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const remaining = Number(header);
  if (Number.isNaN(remaining)) return undefined;
  return Math.max(0, remaining);
}

/** How long to wait for the bucket's next token: never more than the time one token takes to refill. */
export function pacingWaitMs(tokens: number, spec: BucketSpec): number {
  const missing = tokens >= 1 ? 0 : tokens > 0 ? 1 - tokens : 1;
  return Math.ceil((missing / spec.perSecond) * 1000);
}

function cancelled(url: string): EngineError {
  const host = splitUrl(url).origin.replace(/^[a-z]+:\/\//, '');
  return new EngineError('HTTP_ABORTED', `request to ${host} was cancelled while it waited its turn`, { details: { host, stage: 'connect' } });
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

export function bucketKey(method: string, url: string): string {
  const { origin, path } = splitUrl(url);
  const subscription = /\/subscriptions\/([^/?]+)/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return `${origin}|${subscription}|${isWrite(method) ? 'write' : 'read'}`;
}

/** Every sleep is clamped to what setTimeout can wait: a longer delay would fire at once. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, timerDelayMs(ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
