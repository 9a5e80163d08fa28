// Client-side pacing per (origin, subscription, read/write): a token bucket with ARM's published
// defaults, lowered when ARM says fewer requests remain, plus a cap on requests in flight. The
// goal is a large fan-out that runs at the allowed rate instead of a storm of 429s.

import { splitUrl } from '../util/url.ts';

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

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

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
   */
  acquire(method: string, url: string, signal?: AbortSignal): (() => void) | Promise<() => void> {
    if (!this.pacing && this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return this.releaser;
    }
    return this.acquireLater(method, url, signal);
  }

  private readonly releaser = () => this.release();

  private async acquireLater(method: string, url: string, signal?: AbortSignal): Promise<() => void> {
    if (!this.pacing) {
      await this.slot(signal);
      return this.releaser;
    }
    const bucket = this.bucket(method, url);
    for (;;) {
      this.refill(bucket);
      if (bucket.tokens >= 1) break;
      await this.clock.sleep(Math.ceil(((1 - bucket.tokens) / bucket.spec.perSecond) * 1000), signal);
    }
    bucket.tokens -= 1;
    await this.slot(signal);
    return this.releaser;
  }

  /** ARM reports what is left of the subscription's budget: plan on exactly that. */
  observe(method: string, url: string, headers: Readonly<Record<string, string>>): void {
    if (!this.pacing) return;
    const header = headers[isWrite(method) ? 'x-ms-ratelimit-remaining-subscription-writes' : 'x-ms-ratelimit-remaining-subscription-reads'];
    const remaining = Number(header);
    if (header === undefined || !Number.isFinite(remaining)) return;
    const bucket = this.bucket(method, url);
    this.refill(bucket);
    bucket.tokens = remaining;
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
    // A budget ARM reported above the burst is spent down before refilling starts.
    if (bucket.tokens < bucket.spec.burst) bucket.tokens = Math.min(bucket.spec.burst, bucket.tokens + ((now - bucket.updated) / 1000) * bucket.spec.perSecond);
    bucket.updated = now;
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve, reject) => {
        this.waiting.push(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

export function bucketKey(method: string, url: string): string {
  const { origin, path } = splitUrl(url);
  const subscription = /\/subscriptions\/([^/?]+)/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return `${origin}|${subscription}|${isWrite(method) ? 'write' : 'read'}`;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  }),
};
