// An engine's threads for local queries that can run away (local-worker.ts): one per query
// running, and those that answered kept for the next queries, since starting a thread costs more
// than most joins. Loads the thread's module only when a query first needs a thread.

import type { LocalThread } from './local-worker.ts';

/** Threads kept waiting for the next query; more at once (queries in parallel) are ended after use. */
const IDLE_LIMIT = 2;

export class LocalWorkers {
  private readonly idle: LocalThread[] = [];
  private closed = false;

  /** A waiting thread, or a new one. Taken before the rows are fetched, a new thread starts meanwhile. */
  async acquire(): Promise<LocalThread> {
    for (let waiting = this.idle.pop(); waiting; waiting = this.idle.pop()) {
      // A waiting thread that exited meanwhile is not used.
      if (waiting.reusable) {
        waiting.ref();
        return waiting;
      }
      await waiting.close();
    }
    return new (await import('./local-worker.ts')).LocalThread();
  }

  /** Keeps the thread for the next query when it answered and there is room; ends it otherwise. */
  async release(thread: LocalThread): Promise<void> {
    if (this.closed || !thread.reusable || this.idle.length >= IDLE_LIMIT) return thread.close();
    // A waiting thread does not keep the process alive.
    thread.unref();
    this.idle.push(thread);
  }

  /** Ends every waiting thread; one in use is ended when it is released. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((thread) => thread.close()));
  }
}
