// Runs a local query that can run away on a thread of its own, so that the main thread stays
// free to see Ctrl-C and the AbortSignal while SQLite works: node:sqlite is synchronous, and a
// thread inside SQLite cannot be terminated. A cancel sets a flag in shared memory that the
// query's skyql_continue() calls read (local-worker-thread.ts), so it ends at its next row; the
// thread then answers. The database goes over as bytes (serialize: a copy of its pages).
// Starting a thread costs tens of milliseconds of CPU (an isolate, node:sqlite, the module), more
// than the join it runs: the engine keeps the threads that answered (local-workers.ts) for its
// next queries. A thread whose query was cancelled, failed or left it is ended, never used again.

import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { EngineError } from '../errors.ts';
import { localQueryCancelled } from '../plan/local-check.ts';
import type { Row, SqlValue } from '../plan/types.ts';
import { rowsFromArrays, sqliteValue, type BoundValue } from './sqlite.ts';
import { uniqueColumnNames } from '../util/column-names.ts';

export interface LocalQueryRequest {
  readonly database: Uint8Array;
  readonly text: string;
  readonly params: readonly BoundValue[];
  /** An Int32Array's memory: 0 until the query is cancelled. */
  readonly cancelled: SharedArrayBuffer;
}

export type LocalQueryReply =
  | { readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }
  | { readonly error: { readonly message: string; readonly code?: unknown; readonly errcode?: unknown; readonly errstr?: unknown } }
  | { readonly cancelled: true };

/** How the thread ended its work: it answered, failed, or exited without answering. */
type Outcome = { readonly reply: LocalQueryReply } | { readonly failure: Error } | { readonly exitCode: number };

export interface LocalWorker {
  /**
   * Runs the query over a copy of the database. Settles once the thread has answered; rejects
   * with SQL_LOCAL_CANCELLED when the signal aborts, and with SQLite's own error (message, code)
   * when SQLite fails.
   */
  run(db: DatabaseSync, text: string, params: readonly SqlValue[], signal?: AbortSignal): Promise<{ columns: string[]; rows: Row[] }>;
}

// The thread's module sits beside this one, with its extension: .ts in src/, .js in dist/.
const THREAD_MODULE = new URL(`./local-worker-thread${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);
/** One thread; it runs one query at a time. */
export class LocalThread implements LocalWorker {
  private readonly worker = new Worker(THREAD_MODULE);
  /** The outcome of the query in progress, once the thread gives one. */
  private settle?: (outcome: Outcome) => void;
  private ended?: Outcome;
  /** False once a query was cancelled or the thread failed or exited: it is not used again. */
  reusable = true;

  constructor() {
    this.worker.on('message', (reply: LocalQueryReply) => this.settle?.({ reply }));
    this.worker.once('error', (failure) => this.end({ failure }));
    this.worker.once('exit', (exitCode) => this.end({ exitCode }));
  }

  async run(db: DatabaseSync, text: string, params: readonly SqlValue[], signal?: AbortSignal): Promise<{ columns: string[]; rows: Row[] }> {
    if (signal?.aborted) throw localQueryCancelled();
    if (this.ended) return resultOf(this.ended);
    const memory = new SharedArrayBuffer(4);
    const cancel = () => Atomics.store(new Int32Array(memory), 0, 1);
    signal?.addEventListener('abort', cancel, { once: true });
    let settled: Outcome;
    try {
      const outcome = new Promise<Outcome>((resolve) => {
        this.settle = resolve;
      });
      const database = db.serialize();
      const request: LocalQueryRequest = { database, text, params: params.map(sqliteValue), cancelled: memory };
      this.worker.postMessage(request, [database.buffer]);
      settled = await outcome;
    } catch (error) {
      this.reusable = false;
      throw error;
    } finally {
      this.settle = undefined;
      signal?.removeEventListener('abort', cancel);
    }
    // SQLite's error is an answer like rows; a cancelled query's thread is not used again.
    if (!('reply' in settled) || 'cancelled' in settled.reply) this.reusable = false;
    return resultOf(settled);
  }

  ref(): void {
    this.worker.ref();
  }

  unref(): void {
    this.worker.unref();
  }

  /** Ends the thread if it has not ended, and waits until it has. */
  async close(): Promise<void> {
    this.reusable = false;
    await this.worker.terminate();
  }

  private end(outcome: Outcome): void {
    this.reusable = false;
    this.ended ??= outcome;
    this.settle?.(outcome);
  }
}

function resultOf(outcome: Outcome): { columns: string[]; rows: Row[] } {
  if ('failure' in outcome)
    throw new EngineError('INTERNAL_INVARIANT', `the local query thread failed: ${outcome.failure.message}`, { cause: outcome.failure });
  if ('exitCode' in outcome) throw new EngineError('INTERNAL_INVARIANT', `the local query thread exited (code ${outcome.exitCode}) without answering`);
  const { reply } = outcome;
  if ('cancelled' in reply) throw localQueryCancelled();
  // SQLite's error as SQLite gave it, for localSqlError to word as it words errors on this thread.
  if ('error' in reply)
    throw Object.assign(new Error(reply.error.message), { code: reply.error.code, errcode: reply.error.errcode, errstr: reply.error.errstr });
  const columns = uniqueColumnNames(reply.columns);
  return { columns: [...columns], rows: rowsFromArrays(columns, reply.rows) };
}
