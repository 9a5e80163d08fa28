// The registry's document cache: a private folder, entries named and verified by the source's
// SHA-256, an in-memory layer that belongs to one cache object.

import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FORMAT, cacheEntryName, defaultCacheDir, DocumentCache, type DocumentCacheOptions } from '../../../src/registry/cache.ts';
import { knownHashName, SETTLE_MS } from '../../../src/registry/known-hashes.ts';

let dir: string;
let source: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skyql-cache-'));
  source = join(dir, 'doc.yaml');
  writeFileSync(source, 'name: real\nlist: [1, 2]\n');
});

const entryOf = (root: string) => join(root, 'registry', cacheEntryName(readFileSync(source)));

describe('defaultCacheDir', () => {
  it('is $XDG_CACHE_HOME/skyql, else ~/.cache/skyql; a relative XDG_CACHE_HOME is ignored', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/skyql');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/skyql');
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/skyql');
  });
});

describe('DocumentCache', () => {
  it('creates private folders and writes a verified entry, readable only by the user', () => {
    const root = join(dir, 'cache', 'skyql');
    expect(new DocumentCache({ cacheDir: root }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'registry')).mode & 0o777).toBe(0o700);
    const entry = entryOf(root);
    expect(statSync(entry).mode & 0o777).toBe(0o600);
    const sha = createHash('sha256').update(`${CACHE_FORMAT}\0`).update(readFileSync(source)).digest('hex');
    expect(JSON.parse(readFileSync(entry, 'utf8'))).toEqual({ format: CACHE_FORMAT, sourceSha256: sha, document: { name: 'real', list: [1, 2] } });
    expect(readdirSync(join(root, 'registry')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a later cache reads the entry instead of the YAML; an edited source gets a new entry', () => {
    const root = join(dir, 'skyql');
    new DocumentCache({ cacheDir: root }).read(source);
    const entry = JSON.parse(readFileSync(entryOf(root), 'utf8'));
    writeFileSync(entryOf(root), JSON.stringify({ ...entry, document: { name: 'from the entry' } }));
    expect(new DocumentCache({ cacheDir: root }).read(source)).toEqual({ name: 'from the entry' });
    writeFileSync(source, 'name: edited\n');
    expect(new DocumentCache({ cacheDir: root }).read(source)).toEqual({ name: 'edited' });
  });

  it('the in-memory layer belongs to one cache: another cache does not see it', () => {
    const root = join(dir, 'skyql');
    const first = new DocumentCache({ cacheDir: root });
    expect(first.read(source)).toEqual({ name: 'real', list: [1, 2] });
    const entry = JSON.parse(readFileSync(entryOf(root), 'utf8'));
    writeFileSync(entryOf(root), JSON.stringify({ ...entry, document: { name: 'changed on disk' } }));
    expect(first.read(source)).toEqual({ name: 'real', list: [1, 2] });
    expect(new DocumentCache({ cacheDir: root }).read(source)).toEqual({ name: 'changed on disk' });
  });

  it('an entry that is not what it claims to be is ignored and rewritten', () => {
    const root = join(dir, 'skyql');
    new DocumentCache({ cacheDir: root }).read(source);
    for (const bad of [
      'not json',
      'null',
      JSON.stringify({ format: 'skyql-registry-cache/1', sourceSha256: 'x', document: {} }),
      JSON.stringify({ format: CACHE_FORMAT, sourceSha256: '0'.repeat(64), document: { name: 'forged' } }),
    ]) {
      writeFileSync(entryOf(root), bad);
      expect(new DocumentCache({ cacheDir: root }).read(source)).toEqual({ name: 'real', list: [1, 2] });
      expect(JSON.parse(readFileSync(entryOf(root), 'utf8')).document).toEqual({ name: 'real', list: [1, 2] });
    }
  });

  it('a folder open to others is not used, and that is said once', () => {
    const root = join(dir, 'skyql');
    new DocumentCache({ cacheDir: root }).read(source);
    chmodSync(root, 0o755);
    writeFileSync(source, 'name: second\n');
    const warnings: string[] = [];
    const cache = new DocumentCache({ cacheDir: root, onWarning: (message) => warnings.push(message) });
    expect(cache.read(source)).toEqual({ name: 'second' });
    cache.read(join(dir, 'doc.yaml'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('open to other users (mode 755)');
    expect(existsSync(entryOf(root))).toBe(false);
  });

  it('cacheDir false: no disk cache at all', () => {
    const cache = new DocumentCache({ cacheDir: false, env: { XDG_CACHE_HOME: join(dir, 'xdg') } });
    expect(cache.read(source)).toEqual({ name: 'real', list: [1, 2] });
    expect(existsSync(join(dir, 'xdg'))).toBe(false);
  });

  it('a cache folder that cannot be created only costs speed', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(new DocumentCache({ cacheDir: join(dir, 'file', 'skyql') }).read(source)).toEqual({ name: 'real', list: [1, 2] });
  });
});

describe('DocumentCache.derived (converted StackQL services)', () => {
  const count = (root: string) => readdirSync(join(root, 'registry')).length;

  it('stores only the derived value, named by the kind and the bytes; a later cache derives nothing', () => {
    const root = join(dir, 'skyql');
    let derivations = 0;
    const derive = (document: unknown) => ({ converted: (document as { name: string }).name, derivations: ++derivations });
    expect(new DocumentCache({ cacheDir: root }).derived(source, 'converter/1', derive)).toEqual({ converted: 'real', derivations: 1 });
    expect(new DocumentCache({ cacheDir: root }).derived(source, 'converter/1', derive)).toEqual({ converted: 'real', derivations: 1 });
    expect(count(root)).toBe(1);
    // Another converter version, or an edited document, derives again.
    expect(new DocumentCache({ cacheDir: root }).derived(source, 'converter/2', derive)).toEqual({ converted: 'real', derivations: 2 });
    writeFileSync(source, 'name: edited\n');
    expect(new DocumentCache({ cacheDir: root }).derived(source, 'converter/2', derive)).toEqual({ converted: 'edited', derivations: 3 });
  });

  it('an entry that does not match what it stands for is derived again', () => {
    const root = join(dir, 'skyql');
    new DocumentCache({ cacheDir: root }).derived(source, 'k', () => ({ ok: true }));
    const [name] = readdirSync(join(root, 'registry'));
    const entry = JSON.parse(readFileSync(join(root, 'registry', name), 'utf8'));
    writeFileSync(join(root, 'registry', name), JSON.stringify({ ...entry, sourceSha256: '0'.repeat(64), document: { ok: 'forged' } }));
    expect(new DocumentCache({ cacheDir: root }).derived(source, 'k', () => ({ ok: 'again' }))).toEqual({ ok: 'again' });
  });
});

describe('DocumentCache: hashes remembered by file identity (known-hashes.ts)', () => {
  /** A clock past the settling time of every file written by the test. */
  const later = (): Pick<DocumentCacheOptions, 'now'> => ({ now: () => Date.now() + SETTLE_MS + 1_000 });
  const knownOf = (root: string) => join(root, 'registry', knownHashName(source));
  const sha = () => createHash('sha256').update(`${CACHE_FORMAT}\0`).update(readFileSync(source)).digest('hex');

  it("remembers a settled file's hash, with its path and identity, and a later cache uses it instead of hashing", () => {
    const root = join(dir, 'skyql');
    expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    const known = JSON.parse(readFileSync(knownOf(root), 'utf8'));
    expect(known).toMatchObject({ source, document: sha() });
    expect(statSync(knownOf(root)).mode & 0o777).toBe(0o600);
    // Pointed at another entry, the remembered hash is what names the document read: it was not hashed again.
    const other = '1'.repeat(64);
    writeFileSync(join(root, 'registry', `${other}.json`), JSON.stringify({ format: CACHE_FORMAT, sourceSha256: other, document: { name: 'recalled' } }));
    writeFileSync(knownOf(root), JSON.stringify({ ...known, document: other }));
    expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'recalled' });
  });

  it('a file changed in place to other bytes of the same size, its modification time set back, is read again', () => {
    const root = join(dir, 'skyql');
    const mtime = 1_700_000_000; // whole seconds: set back exactly, to the nanosecond
    utimesSync(source, mtime, mtime);
    expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    writeFileSync(source, 'name: fake\nlist: [3, 4]\n');
    utimesSync(source, mtime, mtime);
    expect(statSync(source, { bigint: true }).mtimeNs).toBe(1_700_000_000_000_000_000n);
    expect(statSync(source).size).toBe('name: real\nlist: [1, 2]\n'.length);
    expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'fake', list: [3, 4] });
    expect(JSON.parse(readFileSync(knownOf(root), 'utf8')).document).toBe(sha());
  });

  it('a file changed moments ago is hashed every time and not remembered', () => {
    const root = join(dir, 'skyql');
    expect(new DocumentCache({ cacheDir: root }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    expect(existsSync(knownOf(root))).toBe(false);
  });

  it('what another path remembered, or a value that is no SHA-256, is not used', () => {
    const root = join(dir, 'skyql');
    const twin = join(dir, 'twin.yaml');
    writeFileSync(twin, 'name: twin\n');
    new DocumentCache({ cacheDir: root, ...later() }).read(twin);
    // The twin's entry under the source's name: it records the twin's path.
    renameSync(join(root, 'registry', knownHashName(twin)), knownOf(root));
    expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    const known = JSON.parse(readFileSync(knownOf(root), 'utf8'));
    expect(known.source).toBe(source);
    for (const document of ['../../../../etc/passwd', 'A'.repeat(64), 42]) {
      writeFileSync(knownOf(root), JSON.stringify({ ...known, document }));
      expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    }
  });

  it('remembered, but its document entry is gone: the file is read, parsed and stored again', () => {
    const root = join(dir, 'skyql');
    new DocumentCache({ cacheDir: root, ...later() }).read(source);
    unlinkSync(entryOf(root));
    expect(new DocumentCache({ cacheDir: root, ...later() }).read(source)).toEqual({ name: 'real', list: [1, 2] });
    expect(existsSync(entryOf(root))).toBe(true);
  });

  it('derived values are found by the remembered hash too, and only for their own kind', () => {
    const root = join(dir, 'skyql');
    let derivations = 0;
    const derive = () => ({ derivations: ++derivations });
    new DocumentCache({ cacheDir: root, ...later() }).derived(source, 'k/1', derive);
    expect(new DocumentCache({ cacheDir: root, ...later() }).derived(source, 'k/1', derive)).toEqual({ derivations: 1 });
    expect(new DocumentCache({ cacheDir: root, ...later() }).derived(source, 'k/2', derive)).toEqual({ derivations: 2 });
    writeFileSync(source, 'name: edited\n');
    expect(new DocumentCache({ cacheDir: root, ...later() }).derived(source, 'k/2', derive)).toEqual({ derivations: 3 });
  });
});
