// The thread a local query that can run away runs on (local-worker.ts starts it): it receives
// the database and the query, runs it and answers, query after query, until it is ended. While
// SQLite runs, the thread cannot read messages, so a cancel comes as a flag in shared memory, read
// by skyql_continue() (sql/cancel-checks.ts placed its calls), which then throws and so ends the
// statement.

import { parentPort } from 'node:worker_threads';
import { CONTINUE_FUNCTION } from '../sql/cancel-checks.ts';
import { allRows, openLocalDatabase } from './sqlite.ts';
import type { LocalQueryReply, LocalQueryRequest } from './local-worker.ts';

const port = parentPort!;
port.on('message', (request: LocalQueryRequest) => {
  port.postMessage(answer(request));
});

function answer(request: LocalQueryRequest): LocalQueryReply {
  const cancelled = new Int32Array(request.cancelled);
  const db = openLocalDatabase();
  try {
    db.deserialize(request.database);
    db.function(CONTINUE_FUNCTION, { deterministic: false, varargs: true }, () => {
      if (Atomics.load(cancelled, 0) !== 0) throw new Error('cancelled');
      return 1;
    });
    const statement = db.prepare(request.text);
    // Arrays cost less than row objects to make, and to copy to the main thread.
    statement.setReturnArrays(true);
    return { columns: statement.columns().map((column) => column.name), rows: allRows(statement, request.params) as unknown[][] };
  } catch (error) {
    if (Atomics.load(cancelled, 0) !== 0) return { cancelled: true };
    const { message, code, errcode, errstr } = error as { message?: string; code?: unknown; errcode?: unknown; errstr?: unknown };
    return { error: { message: message ?? String(error), code, errcode, errstr } };
  } finally {
    db.close();
  }
}
