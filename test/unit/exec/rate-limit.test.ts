import { describe, expect, it } from 'vitest';
import { bucketKey, RateLimiter, type Clock } from '../../../src/exec/rate-limit.ts';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } };
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

  it('believes ARM when it says more remain than the defaults allow', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, 1000);
    limiter.observe('POST', READ, { 'x-ms-ratelimit-remaining-subscription-writes': '1190' });
    for (let i = 0; i < 1000; i++) (await limiter.acquire('POST', READ))();
    expect(clock.slept).toEqual([]);
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
    const waiting = Promise.resolve(limiter.acquire('GET', READ)).then(() => { third = true; });
    await Promise.resolve();
    expect(third).toBe(false);
    first();
    await waiting;
    expect(third).toBe(true);
  });
});
