// Runs a local query that can run away on a thread of its own, so that the main thread stays
// free to see Ctrl-C and the AbortSignal while SQLite works: node:sqlite is synchronous, and a
// thread inside SQLite cannot be terminated. A cancel sets a flag in shared memory that the
// query's skyql_continue() calls read (local-worker-thread.ts), so it ends at its next row; the
// thread then answers and exits. The database goes over as bytes (serialize: a copy of its pages).

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
  /** Ends the thread if it has not ended, and waits until it has. */
  close(): Promise<void>;
}

// The thread's module sits beside this one, with its extension: .ts in src/, .js in dist/.
const THREAD_MODULE = new URL(`./local-worker-thread${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/** Starts the thread; it waits for one query. Starting it before the rows are fetched hides its start-up. */
export function startLocalWorker(): LocalWorker {
  const worker = new Worker(THREAD_MODULE);
  const outcome = new Promise<Outcome>((resolve) => {
    worker.once('message', (reply: LocalQueryReply) => resolve({ reply }));
    worker.once('error', (failure) => resolve({ failure }));
    worker.once('exit', (exitCode) => resolve({ exitCode }));
  });
  return {
    async run(db, text, params, signal) {
      if (signal?.aborted) throw localQueryCancelled();
      const memory = new SharedArrayBuffer(4);
      const cancel = () => Atomics.store(new Int32Array(memory), 0, 1);
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        const database = db.serialize();
        const request: LocalQueryRequest = { database, text, params: params.map(sqliteValue), cancelled: memory };
        worker.postMessage(request, [database.buffer]);
        return resultOf(await outcome);
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
    },
    async close() {
      await worker.terminate();
    },
  };
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
