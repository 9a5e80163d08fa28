// Reading files skyql does not control (OpenAPI specs for REGISTRY ADD, the files their $refs
// name, registry documents): only regular files, and only so many bytes, so a path such as
// /dev/zero, a FIFO or a huge file cannot exhaust memory or block the process.

import { type BigIntStats, type Stats, closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { EngineError } from '../errors.ts';

/** Largest spec or registry document read, in bytes. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of a regular file, read no further than `limit` + 1 bytes. A missing or unreadable
 * file is CFG_FILE; anything else but a regular file, or a larger one, is REG_SPEC_LIMIT.
 */
export function readRegularFile(file: string, limit = MAX_FILE_BYTES): Buffer {
  return withRegularFile(file, (fd) => readAtMost(fd, file, limit));
}

/**
 * `use` given an open regular file and its status (read before `use` reads a byte, so a change
 * while it reads shows in the next status). A missing or unreadable file is CFG_FILE; anything
 * else but a regular file is REG_SPEC_LIMIT.
 */
export function withRegularFile<T>(file: string, use: (fd: number, stat: BigIntStats) => T): T {
  const fd = openForReading(file);
  try {
    const stat = fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw new EngineError('REG_SPEC_LIMIT', `${file} is not a regular file; only regular files are read`);
    return use(fd, stat);
  } finally {
    closeSync(fd);
  }
}

function openForReading(file: string): number {
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer. Regular files ignore it.
    return openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new EngineError('CFG_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`, { cause: error });
  }
}

/** The bytes of an open file, no further than `limit` + 1 bytes: more is REG_SPEC_LIMIT. */
export function readAtMost(fd: number, file: string, limit = MAX_FILE_BYTES): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > limit) throw new EngineError('REG_SPEC_LIMIT', `${file} is larger than ${formatBytes(limit)}`);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A parsed registry document as skyql stores it in a JSON file (the registry cache, the prebuilt
 * registry), with what identifies the YAML it was parsed from (each kind of file records its own).
 */
export interface DocumentEntry {
  readonly format: string;
  readonly document: unknown;
}

/**
 * The document a JSON entry file holds, when the file is one `accept` takes (a regular file) and
 * the entry has every field of `expected` (its format, what identifies its source) with that value;
 * undefined otherwise, whatever the file holds.
 */
export function readDocumentEntry(
  path: string,
  expected: Readonly<Record<string, string>>,
  accept: (stat: Stats) => boolean,
  flags = constants.O_RDONLY | constants.O_NONBLOCK,
): unknown {
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || !accept(stat)) return undefined;
    const entry = JSON.parse(readAll(fd, stat.size)) as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || !('document' in entry)) return undefined;
    for (const field in expected) if (entry[field] !== expected[field]) return undefined;
    return entry.document;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The `size` bytes of an open file as UTF-8 text (fewer if it is shorter now). */
function readAll(fd: number, size: number): string {
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const count = readSync(fd, buffer, read, size - read, null);
    if (count === 0) break;
    read += count;
  }
  return buffer.toString('utf8', 0, read);
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * Where a JSON or YAML parser stopped, without the excerpt of the file its message quotes: the
 * file may be something else than a spec (a key, a password file) and the message is printed.
 */
export function parseErrorPosition(error: unknown, text: string): string {
  const linePos = (error as { linePos?: readonly { line: number; col: number }[] }).linePos?.[0];
  if (linePos) return `line ${linePos.line}, column ${linePos.col}`;
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return lineAndColumn(text, Number(position));
  if (/end of (JSON )?input/i.test(message)) return 'unexpected end of input';
  return 'position unknown';
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
