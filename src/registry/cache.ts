// Parsed registry documents, cached: in memory for one engine, and on disk as JSON, which parses
// ~100× faster than YAML (a 1 MB YAML document takes ~0.3 s here). The bundled registry needs
// neither: its build already wrote it as JSON (bundled.ts).
//
// The disk cache decides where a query's token goes, so it is trusted only where no one else can
// write: the user's own cache folder ($XDG_CACHE_HOME/skyql/registry, else ~/.cache/skyql/registry),
// which must be owned by the user and closed to group and others, or it is not used at all. An
// entry is named by the SHA-256 of the format version and the source file's bytes, and records
// that hash: an entry that does not match what it stands for is ignored and rewritten. Which hash
// a file has is remembered there too, by the file's identity (known-hashes.ts), so that a warm
// start neither reads an unchanged document nor loads node:crypto.

import { type Stats, constants, lstatSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { BoundedCache, type CacheStats } from '../util/caches.ts';
import { createRequire } from 'node:module';
import { prebuiltFileFor, readPrebuilt, sourceChecksum } from './bundled.ts';
import { type DocumentEntry, MAX_FILE_BYTES, readAtMost, readDocumentEntry, readRegularFile, withRegularFile } from './files.ts';
import { derivedEntryName, knownHashEntry, knownHashFields, knownHashName, recalledHash, settled } from './known-hashes.ts';

export const CACHE_FORMAT = 'skyql-registry-cache/3';

/** A source's SHA-256 (sourceHash), and its bytes when they were read to find it. */
interface HashedSource {
  readonly hash: string;
  readonly bytes?: Buffer;
}
type ReadSource = Required<HashedSource>;
/** Where a value made from a source of some hash is kept: its memory key, its entry's file name and the fields the entry records. */
interface CachedEntry {
  readonly key: string;
  readonly name: string;
  readonly fields: { readonly format: string; readonly sourceSha256: string };
}
/** A JSON entry is larger than its YAML source; anything beyond this is not an entry skyql wrote. */
const MAX_ENTRY_BYTES = 4 * MAX_FILE_BYTES;

export interface DocumentCacheOptions {
  /**
   * skyql's cache folder; the registry cache is its `registry` subfolder. Default:
   * `$XDG_CACHE_HOME/skyql`, else `~/.cache/skyql`. `false`: no disk cache.
   */
  readonly cacheDir?: string | false;
  /** Environment for XDG_CACHE_HOME and HOME (the CLI passes process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The user the cache folders must belong to; default: this process's (none on Windows). */
  readonly uid?: number;
  /** Told once when the disk cache is not used, and why. */
  readonly onWarning?: (message: string) => void;
  /** Milliseconds since the epoch, to tell a file that has settled (known-hashes.ts); default Date.now. */
  readonly now?: () => number;
}

/** `$XDG_CACHE_HOME/skyql` (an absolute XDG_CACHE_HOME only, as the XDG spec says), else `~/.cache/skyql`. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = {}): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'skyql');
  return join(env.HOME || homedir(), '.cache', 'skyql');
}

/** The disk entry's name for a source file's bytes. */
export function cacheEntryName(source: Uint8Array): string {
  return `${sourceHash(source)}.json`;
}

export function sourceHash(source: Uint8Array): string {
  return crypto().createHash('sha256').update(`${CACHE_FORMAT}\0`).update(source).digest('hex');
}

/** node:crypto, loaded when first used: a warm start hashes nothing (known-hashes.ts, bundled.ts). */
function crypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

/** Parsed YAML documents by content. One per engine: two engines never share one. */
export class DocumentCache {
  /** By content hash: documents of the services used, kept parsed (a reload reads the verified disk copy). */
  private readonly memory = new BoundedCache<string, unknown>('registry.documents', 400);
  private readonly folders?: { readonly root: string; readonly registry: string };
  private readonly uid?: number;
  private readonly onWarning: (message: string) => void;
  private readonly now: () => number;
  private warned = false;

  constructor(options: DocumentCacheOptions = {}) {
    if (options.cacheDir !== false) {
      const root = options.cacheDir ?? defaultCacheDir(options.env);
      this.folders = { root, registry: join(root, 'registry') };
    }
    this.uid = options.uid ?? process.getuid?.();
    this.onWarning = options.onWarning ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  /** The parsed YAML document in `file` (a registry document); for the bundled registry, its build's JSON. */
  read(file: string): unknown {
    if (prebuiltFileFor(file) !== undefined) return this.readBundled(file);
    return this.cached(file, (hash) => ({ key: hash, name: `${hash}.json`, fields: documentFields(hash) }), parseYaml);
  }

  /**
   * A value derived from a document (a StackQL service converted to skyql's shape), cached like a
   * document: named by the document's hash and `kind`, so a changed document or a new `kind` (the
   * converter's version) is derived again. Only the derived value is stored.
   */
  derived(file: string, kind: string, derive: (document: unknown) => unknown): unknown {
    return this.cached(
      file,
      (hash) => ({ key: `${hash}\0${kind}`, name: derivedEntryName(hash, kind), fields: derivedFields(hash, kind) }),
      (bytes) => derive(parseYaml(bytes)),
    );
  }

  /**
   * What `make` makes of `file`'s bytes: from memory, else from the disk entry `entryFor` names for
   * the bytes' hash, else made and stored there.
   */
  private cached(file: string, entryFor: (hash: string) => CachedEntry, make: (bytes: Buffer) => unknown): unknown {
    const folder = this.usableFolder();
    let source = this.hashed(folder, file, true);
    let entry = entryFor(source.hash);
    const known = this.memory.get(entry.key);
    if (known !== undefined) return known;
    let value = folder ? readEntry(join(folder, entry.name), entry.fields, this.uid) : undefined;
    if (value === undefined) {
      // Remembered, but its entry is gone: the bytes there now, named by their own hash.
      if (!source.bytes) {
        source = this.hashed(folder, file, false);
        entry = entryFor(source.hash);
      }
      value = make((source as ReadSource).bytes);
      if (folder) writeEntry(folder, entry.name, { ...entry.fields, document: value });
    }
    this.memory.set(entry.key, value);
    return value;
  }

  /** A bundled document is known by its checksum, which its build's JSON records. */
  private readBundled(file: string): unknown {
    const bytes = readRegularFile(file);
    const checksum = sourceChecksum(bytes);
    const known = this.memory.get(checksum);
    if (known !== undefined) return known;
    const document = readPrebuilt(file, checksum) ?? this.parsed({ hash: sourceHash(bytes), bytes });
    this.memory.set(checksum, document);
    return document;
  }

  /** The document in `source` from the disk cache, else parsed and stored there. */
  private parsed(source: ReadSource): unknown {
    const folder = this.usableFolder();
    return (folder && readEntry(join(folder, `${source.hash}.json`), documentFields(source.hash), this.uid)) ?? parseAndStore(source, folder);
  }

  /**
   * The SHA-256 of `file`'s bytes: remembered, when `recall` and the file is as it was when they
   * were hashed (known-hashes.ts); else read and hashed, and remembered once the file has settled.
   */
  private hashed(folder: string | undefined, file: string, recall: boolean): HashedSource {
    const path = resolve(file);
    return withRegularFile(file, (fd, stat) => {
      if (recall && folder) {
        const hash = recalledHash(readEntry(join(folder, knownHashName(path)), knownHashFields(path, stat), this.uid));
        if (hash) return { hash };
      }
      const bytes = readAtMost(fd, file);
      const hash = sourceHash(bytes);
      if (folder && settled(stat, this.now())) writeEntry(folder, knownHashName(path), knownHashEntry(path, stat, hash));
      return { hash, bytes };
    });
  }

  stats(): CacheStats[] {
    return [this.memory.stats()];
  }

  clear(): void {
    this.memory.clear();
  }

  /** The registry cache folder, created if missing, when it is safe to use; checked before each use. */
  private usableFolder(): string | undefined {
    if (!this.folders) return undefined;
    const { root, registry } = this.folders;
    try {
      mkdirSync(registry, { recursive: true, mode: 0o700 });
    } catch {
      return undefined; // A read-only home only costs speed.
    }
    const problem = folderProblem(root, this.uid) ?? folderProblem(registry, this.uid);
    if (!problem) return registry;
    if (!this.warned) this.onWarning(`not using the registry cache: ${problem}; fix it with \`chmod 700 ${root} ${registry}\` if it is yours`);
    this.warned = true;
    return undefined;
  }
}

/** Why a cache folder cannot be trusted, or undefined when it can. */
function folderProblem(folder: string, uid: number | undefined): string | undefined {
  let stat: Stats;
  try {
    stat = lstatSync(folder);
  } catch (error) {
    return `${folder} cannot be read (${(error as NodeJS.ErrnoException).code})`;
  }
  if (!stat.isDirectory()) return `${folder} is not a folder`;
  // Windows has no uids and no POSIX permission bits: its profile folders are per user.
  if (uid === undefined) return undefined;
  if (stat.uid !== uid) return `${folder} belongs to another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) return `${folder} is open to other users (mode ${(stat.mode & 0o777).toString(8)})`;
  return undefined;
}

/** What a document's entry records besides the document. */
function documentFields(hash: string): { readonly format: string; readonly sourceSha256: string } {
  return { format: CACHE_FORMAT, sourceSha256: hash };
}

function derivedFields(hash: string, kind: string): { readonly format: string; readonly sourceSha256: string; readonly kind: string } {
  return { ...documentFields(hash), kind };
}

/** The document an entry holds, when the entry is exactly what skyql writes: it has each of `fields`. */
function readEntry(path: string, fields: Readonly<Record<string, string>>, uid: number | undefined): unknown {
  return readDocumentEntry(
    path,
    fields,
    (stat) => stat.size <= MAX_ENTRY_BYTES && (uid === undefined || stat.uid === uid),
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
  );
}

function parseAndStore(source: ReadSource, folder: string | undefined): unknown {
  const document = parseYaml(source.bytes);
  if (folder) writeEntry(folder, `${source.hash}.json`, { ...documentFields(source.hash), document });
  return document;
}

export function parseYaml(source: Buffer): unknown {
  // yaml is loaded only on a cache miss: a warm start reads JSON.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(source.toString('utf8'), { maxAliasCount: 100 });
}

/** Written to a new temporary file, then renamed: a reader never sees half an entry. */
function writeEntry(folder: string, name: string, entry: DocumentEntry): void {
  const temporary = join(folder, `${name}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, JSON.stringify(entry), { flag: 'wx', mode: 0o600 });
    renameSync(temporary, join(folder, name));
  } catch {
    // A full disk only costs speed.
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
  }
}
