// The regular files of a .tgz archive (a provider version from a StackQL registry), bounded: the
// archive comes from a server, so its size once unpacked, the number and size of its files and
// their paths are all checked. Links, devices and anything else but regular files are skipped;
// nothing is written here.

import { gunzipSync } from 'node:zlib';
import { EngineError } from '../../errors.ts';

export interface ArchiveFile {
  /** Relative path inside the archive, `/`-separated, no `.` or `..` segments. */
  readonly path: string;
  readonly bytes: Buffer;
}

export interface ArchiveLimits {
  /** Largest archive once unpacked. */
  readonly maxBytes: number;
  readonly maxFiles: number;
  readonly maxFileBytes: number;
}

const BLOCK = 512;

export function readTarGz(archive: Buffer, limits: ArchiveLimits, what: string): ArchiveFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxBytes });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|buffer length/i.test((error as Error).message);
    throw pullFailed(what, tooLarge ? `unpacks to more than ${limits.maxBytes} bytes` : 'is not a gzip archive');
  }
  return readTar(tar, limits, what);
}

function readTar(tar: Buffer, limits: ArchiveLimits, what: string): ArchiveFile[] {
  const files: ArchiveFile[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header.subarray(124, 136), what);
    const type = String.fromCharCode(header[156] || 48);
    const body = offset + BLOCK;
    if (body + size > tar.length) throw pullFailed(what, 'is truncated');
    const content = tar.subarray(body, body + size);
    offset = body + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') longName = nulTerminated(content);
    else if (type === 'x') longName = paxPath(content) ?? longName;
    else if (type === '0' || type === '7') {
      const path = safePath(longName ?? ustarName(header), what);
      longName = undefined;
      if (size > limits.maxFileBytes) throw pullFailed(what, `holds ${path}, larger than ${limits.maxFileBytes} bytes`);
      if (files.length >= limits.maxFiles) throw pullFailed(what, `holds more than ${limits.maxFiles} files`);
      if (path !== undefined) files.push({ path, bytes: Buffer.from(content) });
    } else longName = undefined;
  }
  return files;
}

function ustarName(header: Buffer): string {
  const name = nulTerminated(header.subarray(0, 100));
  const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? nulTerminated(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function nulTerminated(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

/** A pax extended header's `path` record (`<length> path=<value>\n`). */
function paxPath(content: Buffer): string | undefined {
  for (const line of content.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function octal(field: Buffer, what: string): number {
  if (field[0] & 0x80) throw pullFailed(what, 'holds a file too large to read');
  const text = nulTerminated(field).trim();
  if (!/^[0-7]*$/.test(text)) throw pullFailed(what, 'is not a tar archive');
  return text === '' ? 0 : parseInt(text, 8);
}

/** `./v1/provider.yaml` → `v1/provider.yaml`; an absolute path or one with `..` is refused; `.` entries are dropped. */
function safePath(name: string, what: string): string | undefined {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (name.startsWith('/') || name.includes('\\') || parts.some((part) => part === '..' || part.includes('\0'))) {
    throw pullFailed(what, `holds a path outside its folder (${JSON.stringify(name.slice(0, 80))})`);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

export function pullFailed(what: string, problem: string): EngineError {
  return new EngineError('REG_PULL_FAILED', `${what} ${problem}`);
}
