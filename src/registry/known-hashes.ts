// The SHA-256 of a registry document, remembered by the file's identity — device, inode, size,
// modification and change times — as git's index remembers what it hashed. A start that finds a
// pulled document unchanged then reads neither its bytes nor node:crypto (~10 ms of a start) to
// find its cache entry.
//
// Any write to a file sets its change time (ctime), which only root can set back, so a file whose
// identity is the one remembered holds the bytes that were hashed. One case is not told apart: a
// second change within the file system's clock tick (a second or two on some) leaves the times as
// they were. A file changed that recently is therefore hashed every time and never remembered.
//
// What is pure here; cache.ts reads and writes the entries, in its private folder, as it does
// the documents.

import type { BigIntStats } from 'node:fs';

export const KNOWN_HASH_FORMAT = 'skyql-known-hash/1';
/** A file changed less than this long ago is not remembered: its times may not show a next change. */
export const SETTLE_MS = 3_000;

/** What an entry remembering `source`'s hash must record (besides the hash, its `document`). */
export function knownHashFields(source: string, stat: BigIntStats): { readonly format: string; readonly source: string; readonly identity: string } {
  return { format: KNOWN_HASH_FORMAT, source, identity: identityOf(stat) };
}

/** The entry remembering that `source`, as `stat` describes it, has the SHA-256 `hash`. */
export function knownHashEntry(source: string, stat: BigIntStats, hash: string) {
  return { ...knownHashFields(source, stat), document: hash };
}

/** A SHA-256 as an entry holds it, when it is one: anything else is not used. */
export function recalledHash(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

/** Whether the file last changed at least SETTLE_MS before `now` (milliseconds since the epoch). */
export function settled(stat: BigIntStats, now: number): boolean {
  return now - Math.max(Number(stat.ctimeMs), Number(stat.mtimeMs)) >= SETTLE_MS;
}

/**
 * The entry's file name for `source`, by a 64-bit hash of the path. Two paths that share a name
 * only take turns: the entry records its path, and another path's is not used.
 */
export function knownHashName(source: string): string {
  return `known-${fnv64(source)}.json`;
}

/** The name of the entry for a value derived from a source (its hash) by `kind`. */
export function derivedEntryName(hash: string, kind: string): string {
  return `${hash}-${fnv64(kind)}.json`;
}

/** 64 bits of FNV-1a as hex: two 32-bit runs from different offsets. Names only: what an entry stands for is checked inside it. */
function fnv64(text: string): string {
  return `${fnv1a(text, 0x811c9dc5)}${fnv1a(text, 0x050c5d1f)}`;
}

function fnv1a(text: string, offset: number): string {
  let hash = offset;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function identityOf(stat: BigIntStats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}
