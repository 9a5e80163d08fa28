// Parsed registry documents, cached: in memory for one engine, and on disk as JSON, which parses
// ~100× faster than YAML (a 1 MB YAML document takes ~0.3 s here). The bundled registry needs
// neither: its build already wrote it as JSON (bundled.ts).
//
// The disk cache decides where a query's token goes, so it is trusted only where no one else can
// write: the user's own cache folder ($XDG_CACHE_HOME/skyql/registry, else ~/.cache/skyql/registry),
// which must be owned by the user and closed to group and others, or it is not used at all. An
// entry is named by the SHA-256 of the format version and the source file's bytes, and records
// that hash: an entry that does not match what it stands for is ignored and rewritten.

import { type Stats, constants, lstatSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { BoundedCache, type CacheStats } from '../util/caches.ts';
import { createRequire } from 'node:module';
import { prebuiltFileFor, readPrebuilt, sourceChecksum } from './bundled.ts';
import { type DocumentEntry, MAX_FILE_BYTES, readDocumentEntry, readRegularFile } from './files.ts';

export const CACHE_FORMAT = 'skyql-registry-cache/2';

/** A disk cache entry: the document and the SHA-256 of the YAML it was parsed from (sourceHash). */
type CacheEntry = DocumentEntry & { readonly sourceSha256: string };
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

export function sourceHash(source: Uint8Array, kind = ''): string {
  const hash = crypto().createHash('sha256').update(`${CACHE_FORMAT}\0`);
  if (kind !== '') hash.update(`derived\0${kind}\0`);
  return hash.update(source).digest('hex');
}

/** node:crypto, loaded when first used: a start that reads only the bundled registry never hashes (bundled.ts). */
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
  private warned = false;

  constructor(options: DocumentCacheOptions = {}) {
    if (options.cacheDir !== false) {
      const root = options.cacheDir ?? defaultCacheDir(options.env);
      this.folders = { root, registry: join(root, 'registry') };
    }
    this.uid = options.uid ?? process.getuid?.();
    this.onWarning = options.onWarning ?? (() => {});
  }

  /** The parsed YAML document in `file` (a registry document); for the bundled registry, its build's JSON. */
  read(file: string): unknown {
    const source = readRegularFile(file);
    // A document of the bundled registry is known by its checksum, which its build's JSON records.
    const bundled = prebuiltFileFor(file) !== undefined;
    const key = bundled ? sourceChecksum(source) : sourceHash(source);
    const known = this.memory.get(key);
    if (known !== undefined) return known;
    const document = (bundled ? readPrebuilt(file, key) : undefined) ?? this.parsed(source, bundled ? sourceHash(source) : key);
    this.memory.set(key, document);
    return document;
  }

  /**
   * A value derived from a document (a StackQL service converted to skyql's shape), cached like a
   * document: named by the hash of `kind` and the document's bytes, so a changed document or a new
   * `kind` (the converter's version) is derived again. Only the derived value is stored.
   */
  derived(file: string, kind: string, derive: (document: unknown) => unknown): unknown {
    const source = readRegularFile(file);
    const hash = sourceHash(source, kind);
    const known = this.memory.get(hash);
    if (known !== undefined) return known;
    const folder = this.usableFolder();
    let value = folder ? readEntry(join(folder, `${hash}.json`), hash, this.uid) : undefined;
    if (value === undefined) {
      value = derive(parseYaml(source));
      if (folder) writeEntry(folder, hash, { format: CACHE_FORMAT, sourceSha256: hash, document: value });
    }
    this.memory.set(hash, value);
    return value;
  }

  /** The document in `source` (whose SHA-256 is `hash`) from the disk cache, else parsed and stored there. */
  private parsed(source: Buffer, hash: string): unknown {
    const folder = this.usableFolder();
    return (folder && readEntry(join(folder, `${hash}.json`), hash, this.uid)) ?? parseAndStore(source, hash, folder);
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

/** The document an entry holds, when the entry is exactly what skyql writes for this source. */
function readEntry(path: string, hash: string, uid: number | undefined): unknown {
  return readDocumentEntry(
    path,
    { format: CACHE_FORMAT, sourceSha256: hash },
    (stat) => stat.size <= MAX_ENTRY_BYTES && (uid === undefined || stat.uid === uid),
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
  );
}

function parseAndStore(source: Buffer, hash: string, folder: string | undefined): unknown {
  const document = parseYaml(source);
  if (folder) writeEntry(folder, hash, { format: CACHE_FORMAT, sourceSha256: hash, document });
  return document;
}

export function parseYaml(source: Buffer): unknown {
  // yaml is loaded only on a cache miss: a warm start reads JSON.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(source.toString('utf8'), { maxAliasCount: 100 });
}

/** Written to a new temporary file, then renamed: a reader never sees half an entry. */
function writeEntry(folder: string, hash: string, entry: CacheEntry): void {
  const temporary = join(folder, `${hash}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, JSON.stringify(entry), { flag: 'wx', mode: 0o600 });
    renameSync(temporary, join(folder, `${hash}.json`));
  } catch {
    // A full disk only costs speed.
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
  }
}
