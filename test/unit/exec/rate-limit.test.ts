import { describe, expect, it } from 'vitest';
import type { EngineError } from '../../../src/errors.ts';
import { ARM_READS, bucketKey, pacingWaitMs, RateLimiter, remainingRequests, systemClock, type Clock } from '../../../src/exec/rate-limit.ts';
import { MAX_TIMER_MS, timerDelayMs } from '../../../src/util/timer.ts';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const READ = 'https://management.azure.com/subscriptions/S1/resourceGroups/rg/providers/x?api-version=1';

describe('RateLimiter', () => {
  it('lets a burst through, then paces reads at 25 per second', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    for (let i = 0; i < 250; i++) (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([]);
    for (let i = 0; i < 5; i++) (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([40, 40, 40, 40, 40]);
  });

  it('paces writes at 10 per second after a burst of 200, separately from reads', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    for (let i = 0; i < 200; i++) (await limiter.acquire('POST', READ))();
    (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([]);
    (await limiter.acquire('DELETE', READ))();
    expect(clock.slept).toEqual([100]);
  });

  it('believes ARM when it says fewer requests remain', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    limiter.observe('GET', READ, { 'x-ms-ratelimit-remaining-subscription-reads': '1' });
    (await limiter.acquire('GET', READ))();
    (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([40]);
  });

  it('never plans on more than the burst, whatever ARM says remains', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    limiter.observe('POST', READ, { 'x-ms-ratelimit-remaining-subscription-writes': '1190' });
    for (let i = 0; i < 200; i++) (await limiter.acquire('POST', READ))();
    expect(clock.slept).toEqual([]);
    (await limiter.acquire('POST', READ))();
    expect(clock.slept).toEqual([100]);
  });

  it('without pacing only caps requests in flight', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000, false);
    for (let i = 0; i < 1000; i++) (await limiter.acquire('POST', READ))();
    expect(clock.slept).toEqual([]);
  });

  it('keeps one bucket per origin, subscription and read/write', () => {
    expect(bucketKey('GET', READ)).toBe('https://management.azure.com|s1|read');
    expect(bucketKey('PUT', READ)).toBe('https://management.azure.com|s1|write');
    expect(bucketKey('GET', 'https://ws.dev.azuresynapse.net/pipelines')).toBe('https://ws.dev.azuresynapse.net||read');
  });

  it('caps the requests in flight', async () => {
    const limiter = new RateLimiter(fakeClock(), 2);
    const first = await limiter.acquire('GET', READ);
    await limiter.acquire('GET', READ);
    let third = false;
    const waiting = Promise.resolve(limiter.acquire('GET', READ)).then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    first();
    await waiting;
    expect(third).toBe(true);
  });
});

describe('rate-limit headers from a hostile server', () => {
  it('reads the remaining count as a number of at least 0; garbage is no answer', () => {
    expect(remainingRequests('249')).toBe(249);
    expect(remainingRequests('-1000000')).toBe(0);
    expect(remainingRequests('2.5')).toBe(2.5);
    expect(remainingRequests('1e999')).toBe(Infinity);
    for (const value of [undefined, '', '  ', 'NaN', 'abc', '1.2.3']) expect(remainingRequests(value), String(value)).toBeUndefined();
  });

  it('a negative count empties the bucket; the next request waits one token (40 ms), not 11 hours', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    limiter.observe('GET', READ, { 'x-ms-ratelimit-remaining-subscription-reads': '-1000000' });
    (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([40]);
  });

  it('a huge count is held to the burst; garbage leaves the bucket as it was', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    limiter.observe('GET', READ, { 'x-ms-ratelimit-remaining-subscription-reads': '1e999' });
    limiter.observe('GET', READ, { 'x-ms-ratelimit-remaining-subscription-reads': 'garbage' });
    for (let i = 0; i < 250; i++) (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([]);
    (await limiter.acquire('GET', READ))();
    expect(clock.slept).toEqual([40]);
  });

  it('the pacing wait never exceeds the time one token takes to refill', () => {
    expect(pacingWaitMs(-1e12, ARM_READS)).toBe(40);
    expect(pacingWaitMs(Number.NaN, ARM_READS)).toBe(40);
    expect(pacingWaitMs(0.5, ARM_READS)).toBe(20);
    expect(pacingWaitMs(1, ARM_READS)).toBe(0);
  });

  it('a clock set back does not drain the bucket', async () => {
    let now = 1_000_000;
    const slept: number[] = [];
    const limiter = new RateLimiter(
      {
        now: () => now,
        sleep: async (ms) => {
          slept.push(ms);
          now += ms;
        },
      },
      1000,
    );
    (await limiter.acquire('GET', READ))();
    now -= 3_600_000;
    for (let i = 0; i < 249; i++) (await limiter.acquire('GET', READ))();
    expect(slept).toEqual([]);
  });
});

describe('request slots and cancellation', () => {
  const settle = (ticket: ReturnType<RateLimiter['acquire']>) =>
    Promise.resolve(ticket).then(
      (release) => ({ release }),
      (error: unknown) => ({ error: error as EngineError }),
    );

  for (const pacing of [false, true]) {
    it(`callers that abort while queued leave the queue; the rest all get a slot and the counts return to zero (pacing ${pacing})`, async () => {
      const limiter = new RateLimiter(fakeClock(), 2, pacing);
      const holders = [await limiter.acquire('GET', READ), await limiter.acquire('GET', READ)];
      const controllers = Array.from({ length: 6 }, () => new AbortController());
      const queued = controllers.map((controller) => settle(limiter.acquire('GET', READ, controller.signal)));
      await new Promise((resolve) => setImmediate(resolve));
      expect(limiter.load()).toEqual({ inFlight: 2, queued: 6 });
      for (const index of [0, 2, 5]) controllers[index].abort();
      expect(limiter.load()).toEqual({ inFlight: 2, queued: 3 });
      for (const release of holders) release();
      // Each caller that got a slot gives it back, which lets the next one in.
      const outcomes = [];
      for (const outcome of queued) {
        const settled = await outcome;
        if ('release' in settled) settled.release();
        outcomes.push('release' in settled ? 'slot' : settled.error.code);
      }
      expect(outcomes).toEqual(['HTTP_ABORTED', 'slot', 'HTTP_ABORTED', 'slot', 'slot', 'HTTP_ABORTED']);
      expect(limiter.load()).toEqual({ inFlight: 0, queued: 0 });
    });
  }

  it('an already aborted signal rejects at once, even with a slot free, and takes nothing', async () => {
    for (const pacing of [false, true]) {
      const limiter = new RateLimiter(fakeClock(), 2, pacing);
      const error = await Promise.resolve(limiter.acquire('GET', READ, AbortSignal.abort())).then(
        () => undefined,
        (caught: unknown) => caught as EngineError,
      );
      expect(error?.code).toBe('HTTP_ABORTED');
      expect(limiter.load()).toEqual({ inFlight: 0, queued: 0 });
    }
  });

  it('releasing twice frees one slot: inFlight never goes negative', async () => {
    const limiter = new RateLimiter(fakeClock(), 1, false);
    const release = await limiter.acquire('GET', READ);
    release();
    release();
    expect(limiter.load()).toEqual({ inFlight: 0, queued: 0 });
    const again = await limiter.acquire('GET', READ);
    expect(limiter.load()).toEqual({ inFlight: 1, queued: 0 });
    again();
  });

  it('a caller aborted while it waits for a pacing token rejects with HTTP_ABORTED and holds no slot', async () => {
    const limiter = new RateLimiter(systemClock, 2);
    limiter.observe('GET', READ, { 'x-ms-ratelimit-remaining-subscription-reads': '0' });
    const controller = new AbortController();
    const waiting = settle(limiter.acquire('GET', READ, controller.signal));
    controller.abort();
    expect(await waiting).toMatchObject({ error: { code: 'HTTP_ABORTED' } });
    expect(limiter.load()).toEqual({ inFlight: 0, queued: 0 });
  });
});

describe('sleeping', () => {
  it('a delay is clamped to what setTimeout can wait', () => {
    expect(timerDelayMs(1500)).toBe(1500);
    expect(timerDelayMs(99_999_999_999_000)).toBe(MAX_TIMER_MS);
    expect(timerDelayMs(Infinity)).toBe(MAX_TIMER_MS);
    for (const ms of [-5, Number.NaN, -Infinity]) expect(timerDelayMs(ms)).toBe(0);
  });

  it("systemClock sleeps through a delay beyond setTimeout's range instead of waking at once", async () => {
    const controller = new AbortController();
    let woke = false;
    const sleeping = systemClock.sleep(99_999_999_999_000, controller.signal).then(
      () => {
        woke = true;
      },
      () => 'aborted',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woke).toBe(false);
    controller.abort();
    expect(await sleeping).toBe('aborted');
  });
});
