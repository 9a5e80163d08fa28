// Caches with an owner. Every cache skyql keeps is one of these, created by the object that owns
// it (an engine, a registry, a session), named, bounded, counting hits and misses, and clearable.
// A module never holds one: two engines never share what one of them computed.

export interface CacheStats {
  readonly name: string;
  /** Entries held now (for a memo keyed by objects: entries made since the last clear). */
  readonly size: number;
  readonly limit: number;
  readonly hits: number;
  readonly misses: number;
}

/** Anything that holds caches: its stats, and a way to empty them. */
export interface CacheOwner {
  stats(): CacheStats[];
  clear(): void;
}

export interface BoundedCacheOptions {
  /**
   * Keep a key from the second time it is set: the first time, only the key is remembered (among
   * the last `limit` keys). For caches of statement shapes: in a stream of new statements (a
   * script) most never come again, and keeping each one only turns it into garbage that lives long
   * enough to cost full collections (planning new shapes: ~270 → ~165 µs a statement).
   */
  readonly admitOnSecondSight?: boolean;
  /**
   * With admitOnSecondSight: how many keys seen once are remembered (default: the limit). Few, for
   * statement texts: with 32 lookups of new values in flight, remembering the last 200 texts made
   * V8 promote ~25 MB per 10,000 statements and cost 30-40 % more CPU a statement (bench
   * get-run-star-c32, `--trace-gc-nvp`); 16 do not, and a text run again soon is still kept.
   */
  readonly secondSightWindow?: number;
}

/** A map of at most `limit` entries; the oldest entry goes first (insertion order). */
export class BoundedCache<K, V> {
  readonly name: string;
  readonly limit: number;
  private readonly entries = new Map<K, V>();
  /** With admitOnSecondSight: keys set once lately, not kept yet. */
  private readonly seenOnce?: RecentKeys<K>;
  private hits = 0;
  private misses = 0;

  constructor(name: string, limit: number, options: BoundedCacheOptions = {}) {
    this.name = name;
    this.limit = limit;
    if (options.admitOnSecondSight) this.seenOnce = new RecentKeys(options.secondSightWindow ?? limit);
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  /** The value, when it `matches` (what it was made from is the caller's own): one that does not is a miss. */
  getMatching(key: K, matches: (value: V) => boolean): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined || !matches(value)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Keeps the value (with admitOnSecondSight, from the key's second time, or at once when `now`); returns it. */
  set(key: K, value: V, now = false): V {
    if (!now && this.firstSight(key)) return value;
    boundedSet(this.entries, key, value, this.limit);
    return value;
  }

  /** As set, but the value is made only when it is kept: not at a key's first sight (admitOnSecondSight). */
  setMade(key: K, make: () => V): void {
    if (!this.firstSight(key)) boundedSet(this.entries, key, make(), this.limit);
  }

  /** With admitOnSecondSight: whether the key is new (it is remembered as seen once now). */
  private firstSight(key: K): boolean {
    if (!this.seenOnce || this.entries.has(key) || this.seenOnce.delete(key)) return false;
    this.seenOnce.add(key);
    return true;
  }

  /** The cached value, or `compute()`'s, kept. A computation that throws keeps nothing. */
  getOrCompute(key: K, compute: () => V): V {
    const value = this.get(key);
    return value !== undefined ? value : this.set(key, compute());
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.seenOnce?.clear();
    this.hits = 0;
    this.misses = 0;
  }

  stats(): CacheStats {
    return { name: this.name, size: this.entries.size, limit: this.limit, hits: this.hits, misses: this.misses };
  }
}

/**
 * The last `limit` keys added, the oldest forgotten first. A ring of slots says which key goes
 * next, so forgetting one costs a lookup: a Map's own oldest entry (`keys().next()`) is found by
 * skipping every entry deleted since the table was last rebuilt, up to `limit` of them a call when
 * keys come and go in order (a window of 500: 200-290 ns a key against 75 in a microbenchmark).
 */
class RecentKeys<K> {
  private readonly slots: (K | undefined)[];
  /** Each remembered key's slot (a key added again has a newer slot; the older one no longer owns it). */
  private readonly slotOf = new Map<K, number>();
  private next = 0;

  constructor(limit: number) {
    this.slots = new Array<K | undefined>(Math.max(1, limit)).fill(undefined);
  }

  add(key: K): void {
    const oldest = this.slots[this.next];
    if (oldest !== undefined && this.slotOf.get(oldest) === this.next) this.slotOf.delete(oldest);
    this.slots[this.next] = key;
    this.slotOf.set(key, this.next);
    this.next = (this.next + 1) % this.slots.length;
  }

  /** Forgets the key; whether it was remembered. */
  delete(key: K): boolean {
    return this.slotOf.delete(key);
  }

  clear(): void {
    this.slotOf.clear();
    this.slots.fill(undefined);
    this.next = 0;
  }
}

function boundedSet<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  if (!map.has(key) && map.size >= limit) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/**
 * Values derived from objects that live as long as their owner (a registry's method specs, a
 * session's parsed shapes): kept beside the object, gone with it. Bounded by the objects' own
 * number; `size` counts the entries made since the last clear.
 */
export class Memo<K extends object, V> {
  readonly name: string;
  private entries = new WeakMap<K, V>();
  private made = 0;
  private hits = 0;
  private misses = 0;

  constructor(name: string) {
    this.name = name;
  }

  getOrCompute(key: K, compute: () => V): V {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.hits++;
      return value;
    }
    this.misses++;
    const computed = compute();
    this.entries.set(key, computed);
    this.made++;
    return computed;
  }

  clear(): void {
    this.entries = new WeakMap();
    this.made = 0;
    this.hits = 0;
    this.misses = 0;
  }

  stats(): CacheStats {
    return { name: this.name, size: this.made, limit: Number.POSITIVE_INFINITY, hits: this.hits, misses: this.misses };
  }
}

/** Caches owned together: their stats, and one clear for all. */
export function cacheGroup(...caches: readonly { stats(): CacheStats | CacheStats[]; clear(): void }[]): CacheOwner {
  return {
    stats: () => caches.flatMap((cache) => cache.stats()),
    clear: () => {
      for (const cache of caches) cache.clear();
    },
  };
}

/** A set that never changes after it is made (a table of keywords, codes…): a constant, not state. */
export function constantSet<T>(values: Iterable<T>): ReadonlySet<T> {
  return new Set(values);
}
