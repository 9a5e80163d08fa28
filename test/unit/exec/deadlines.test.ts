import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from '../../../src/exec/deadlines.ts';

describe('Deadlines', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 0;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => vi.useRealTimers());

  /** Watches `count` exchanges, each started `spacingMs` after the one before; records which expire. */
  function watchMany(deadlines: Deadlines, count: number, spacingMs: number) {
    const expired: number[] = [];
    const unwatch = Array.from({ length: count }, (_, i) => {
      clock = i * spacingMs;
      return deadlines.watch(() => expired.push(i));
    });
    return { expired, unwatch };
  }

  it('expires each exchange once its total time has passed, and only those', () => {
    const deadlines = new Deadlines(1_000, now);
    const { expired } = watchMany(deadlines, 5, 100);
    clock = 1_250;
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([0, 1, 2]);
    expect(deadlines.size).toBe(2);
    clock = 5_000;
    vi.advanceTimersByTime(100);
    expect(expired.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(deadlines.size).toBe(0);
  });

  it('never expires an exchange that stopped being watched, whichever entries moved into its place', () => {
    const deadlines = new Deadlines(1_000, now);
    const { expired, unwatch } = watchMany(deadlines, 6, 10);
    // The first and a middle one leave: the last entries move into their places.
    unwatch[0]();
    unwatch[3]();
    unwatch[3]();
    expect(deadlines.size).toBe(4);
    unwatch[5]();
    clock = 10_000;
    vi.advanceTimersByTime(250);
    expect(expired.sort()).toEqual([1, 2, 4]);
    // Stopping a watch after it expired leaves the others alone.
    const later = deadlines.watch(() => expired.push(99));
    unwatch[1]();
    unwatch[2]();
    expect(deadlines.size).toBe(1);
    clock = 20_000;
    vi.advanceTimersByTime(250);
    expect(expired).toContain(99);
    later();
  });

  it('lets an exchange that expires stop another one from its callback', () => {
    const deadlines = new Deadlines(100, now);
    const expired: string[] = [];
    let stopSecond = () => {};
    deadlines.watch(() => {
      expired.push('first');
      stopSecond();
    });
    clock = 50;
    stopSecond = deadlines.watch(() => expired.push('second'));
    clock = 1_000;
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['first']);
    expect(deadlines.size).toBe(0);
  });

  it('watches nothing when there is no total time', () => {
    const deadlines = new Deadlines(0, now);
    const expired: number[] = [];
    deadlines.watch(() => expired.push(1));
    clock = 1e9;
    vi.advanceTimersByTime(10_000);
    expect(expired).toEqual([]);
    expect(deadlines.size).toBe(0);
  });
});
