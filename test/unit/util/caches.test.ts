import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../src/util/caches.ts';

describe('BoundedCache', () => {
  it('keeps at most `limit` entries, the oldest going first, and counts hits and misses', () => {
    const cache = new BoundedCache<string, number>('test', 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    expect(cache.stats()).toEqual({ name: 'test', size: 2, limit: 2, hits: 2, misses: 1 });
  });

  describe('admitOnSecondSight', () => {
    it('keeps a key from the second time it is set', () => {
      const cache = new BoundedCache<string, number>('shapes', 10, { admitOnSecondSight: true });
      let computed = 0;
      const compute = () => ++computed;
      expect(cache.getOrCompute('a', compute)).toBe(1);
      expect(cache.has('a')).toBe(false);
      expect(cache.getOrCompute('a', compute)).toBe(2);
      expect(cache.getOrCompute('a', compute)).toBe(2);
      expect(computed).toBe(2);
      expect(cache.stats().size).toBe(1);
    });

    it('setMade makes the value only when it is kept: not at the first sight', () => {
      const cache = new BoundedCache<string, number>('templates', 10, { admitOnSecondSight: true });
      let made = 0;
      const make = () => ++made;
      cache.setMade('a', make);
      expect([made, cache.has('a')]).toEqual([0, false]);
      cache.setMade('a', make);
      expect([made, cache.get('a')]).toEqual([1, 1]);
      cache.setMade('a', make);
      expect([made, cache.get('a')]).toEqual([2, 2]);
    });

    it('keeps at once when asked (a script with placeholders)', () => {
      const cache = new BoundedCache<string, number>('scripts', 10, { admitOnSecondSight: true });
      cache.set('a', 1, true);
      expect(cache.get('a')).toBe(1);
    });

    it('remembers only the last `limit` keys seen once', () => {
      const cache = new BoundedCache<string, number>('shapes', 2, { admitOnSecondSight: true });
      for (const key of ['a', 'b', 'c']) cache.set(key, 1);
      cache.set('a', 2);
      cache.set('c', 3);
      expect([cache.has('a'), cache.has('c')]).toEqual([false, true]);
    });

    it('remembers `secondSightWindow` keys seen once, and still keeps `limit` entries', () => {
      const cache = new BoundedCache<string, number>('scripts', 10, { admitOnSecondSight: true, secondSightWindow: 2 });
      for (const key of ['a', 'b', 'c']) cache.set(key, 1);
      cache.set('c', 2);
      cache.set('a', 2);
      expect([cache.has('a'), cache.has('c')]).toEqual([false, true]);
      for (const key of ['d', 'e', 'f', 'g']) {
        cache.set(key, 1);
        cache.set(key, 2);
      }
      expect(cache.stats().size).toBe(5);
    });

    it('forgets a key seen once by its own turn, not by an older sight of it', () => {
      const cache = new BoundedCache<string, number>('shapes', 10, { admitOnSecondSight: true, secondSightWindow: 2 });
      cache.set('a', 1);
      cache.set('a', 2);
      cache.delete('a');
      // Seen once again, after 'a' was kept and dropped: 'b' takes the turn of a's first sight.
      cache.set('a', 3);
      cache.set('b', 1);
      cache.set('a', 4);
      expect(cache.get('a')).toBe(4);
      // Two keys later, the second sight of 'a' is forgotten as 'c' and 'd' take its turn and b's.
      cache.delete('a');
      cache.set('a', 5);
      cache.set('c', 1);
      cache.set('d', 1);
      cache.set('a', 6);
      expect(cache.has('a')).toBe(false);
    });

    it('forgets the keys seen once on clear()', () => {
      const cache = new BoundedCache<string, number>('shapes', 10, { admitOnSecondSight: true });
      cache.set('a', 1);
      cache.clear();
      cache.set('a', 2);
      expect(cache.has('a')).toBe(false);
    });
  });
});
