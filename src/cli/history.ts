// The shell's history file: private to its user (mode 0600, checked on an existing file too),
// one statement per entry, the newest last. A statement of several lines is one entry, stored as a
// JSON string on one line; a line that is not a JSON string (older files) is an entry as it is.

import { appendFileSync, chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const HISTORY_SIZE = 1000;
/** Past this size the file is rewritten with its newest HISTORY_SIZE entries: it never grows without end. */
const TRIM_AT_BYTES = 512 * 1024;

/** Newest first, as readline wants them, each statement once. A file another user owns is not read. */
export function loadHistory(file: string, uid?: number): string[] {
  try {
    if (!isOwnPrivateFile(file, uid)) return [];
    const newestFirst = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(decodeEntry).reverse();
    return [...new Set(newestFirst)].slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

export function appendHistory(file: string, entry: string, uid?: number): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    if (!isOwnPrivateFile(file, uid)) return;
    appendFileSync(file, `${encodeEntry(entry)}\n`);
    if (statSync(file).size > TRIM_AT_BYTES) trim(file);
  } catch {
    // History is a convenience: a read-only home must not stop the shell.
  }
}

function trim(file: string): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  writeFileSync(file, `${lines.slice(-HISTORY_SIZE).join('\n')}\n`, { mode: 0o600 });
}

/** Tightens a file of ours that others could read to 0600; false for another user's file. */
function isOwnPrivateFile(file: string, uid: number | undefined): boolean {
  const stat = statSync(file);
  if (uid !== undefined && stat.uid !== uid) return false;
  if ((stat.mode & 0o077) !== 0) chmodSync(file, 0o600);
  return true;
}

export function encodeEntry(entry: string): string {
  return /[\n\r]/.test(entry) || entry.startsWith('"') ? JSON.stringify(entry) : entry;
}

export function decodeEntry(line: string): string {
  if (!line.startsWith('"')) return line;
  try {
    const decoded = JSON.parse(line);
    return typeof decoded === 'string' ? decoded : line;
  } catch {
    return line;
  }
}
