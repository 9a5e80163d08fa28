// The deadline of each exchange under way (HttpTimeouts.totalMs), checked by one timer per client.

/**
 * The exchanges under way and when each must be done, checked by one timer for the client rather
 * than one per request (a timer per request costs CPU on every call). The timer runs while
 * exchanges are under way and a little after, and never keeps the process alive.
 *
 * The exchanges are kept in an array, each entry knowing its index (an entry leaves by having the
 * last one moved into its place). A Set churned by an add and a delete per request made V8 keep
 * ~40 % of all a request allocated alive through one or two scavenges with 32 requests in flight
 * (`--trace-gc-nvp`: new space grown to 64 MB, ~10 MB promoted per scavenge, even right after a
 * full collection), which cost more CPU than the requests themselves: createRun at 32 in flight
 * 64 → 44 µs a call. Why V8 kept them was not pinned down (a small script churning a Set the same
 * way does not show it); the bench's create-run-c32 is the check.
 */
export class Deadlines {
  private readonly entries: DeadlineEntry[] = [];
  private readonly totalMs: number;
  private readonly everyMs: number;
  private readonly now: () => number;
  private timer?: ReturnType<typeof setInterval>;
  private idleTicks = 0;

  /** `totalMs` 0: no deadline. `now` reads a clock in milliseconds (performance.now() unless a test gives its own). */
  constructor(totalMs: number, now: () => number = () => performance.now()) {
    this.totalMs = totalMs;
    this.everyMs = Math.min(250, Math.max(10, Math.floor(totalMs / 10)));
    this.now = now;
  }

  /** Exchanges watched now. */
  get size(): number {
    return this.entries.length;
  }

  /** Calls `expire` once totalMs have passed from now; the returned function stops watching. */
  watch(expire: () => void): () => void {
    if (this.totalMs <= 0) return () => {};
    const entry: DeadlineEntry = { at: this.now() + this.totalMs, expire, index: this.entries.length };
    this.entries.push(entry);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), this.everyMs);
      this.timer.unref();
    }
    return () => this.remove(entry);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.entries.length = 0;
  }

  /** False when the entry had already left (it expired, or its watch was stopped). */
  private remove(entry: DeadlineEntry): boolean {
    const { entries } = this;
    if (entries[entry.index] !== entry) return false;
    const last = entries.pop()!;
    if (last !== entry) {
      entries[entry.index] = last;
      last.index = entry.index;
    }
    return true;
  }

  private check(): void {
    const now = this.now();
    const expired = this.entries.filter((entry) => now > entry.at);
    // An expiring exchange may stop watching another (its retry, its stream): that one does not expire.
    for (const entry of expired) if (this.remove(entry)) entry.expire();
    // Idle for a while: the next exchange starts the timer again.
    this.idleTicks = this.entries.length === 0 ? this.idleTicks + 1 : 0;
    if (this.idleTicks > 20) this.stop();
  }
}

interface DeadlineEntry {
  readonly at: number;
  readonly expire: () => void;
  /** Where the entry is in the array (it moves when another entry leaves). */
  index: number;
}
