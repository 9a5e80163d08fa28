// The MCP audit log: one JSON line per tool call, appended to a file only its owner can read
// (0600, in a 0700 folder when skyql makes it). A line holds the statement as written and the
// names of the vars given, never their values (put secrets in vars), nor any token.

import { appendFileSync, chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AuditEntry {
  readonly time: string;
  readonly tool: string;
  readonly statement?: string;
  /** The vars' names only. */
  readonly vars?: readonly string[];
  /** OK, or the error's code. */
  readonly outcome: string;
  readonly requests: number;
  readonly durationMs: number;
}

export interface AuditLog {
  append(entry: AuditEntry): void;
}

export function fileAuditLog(path: string, onError: (message: string) => void): AuditLog {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  // A file made earlier with a wider mode is narrowed: the log names resources and statements.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return {
    append(entry) {
      try {
        appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      } catch (error) {
        onError(`cannot append to the audit log ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    },
  };
}
