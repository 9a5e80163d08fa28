// REGISTRY LIST and PULL: StackQL's registry layout from a file:// folder (no network in tests),
// installed into the user's registry; archives read with bounds.

import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../../src/index.ts';
import { fetchRegistryFile } from '../../../src/exec/registry-fetch.ts';
import { installProvider } from '../../../src/registry/stackql/install.ts';
import { readTarGz } from '../../../src/registry/stackql/tar.ts';
import { parseRegistrySource } from '../../../src/registry-protocol.ts';
import { parseStatement } from '../../../src/sql/parse.ts';
import { errorOf } from '../../helpers/errors.ts';
import { tarGz } from '../../helpers/tar.ts';

const SOURCE = fileURLToPath(new URL('../../fixtures/stackql-registry/', import.meta.url));
const PROVIDER_YAML = 'name: acme\nproviderServices:\n  widgets:\n    service:\n      $ref: acme/v1.0.0/services/widgets.yaml\n';

function engine(extra: EngineOptions = {}) {
  const userRegistry = join(mkdtempSync(join(tmpdir(), 'skyql-pull-')), 'providers');
  return { userRegistry, engine: createEngine({ userRegistry, cacheDir: false, registry: { url: pathToFileURL(SOURCE).href }, ...extra }) };
}

describe('REGISTRY LIST / PULL statements', () => {
  it("parse with a version bare (as StackQL's docs write it) or quoted", () => {
    expect(parseStatement('REGISTRY PULL aws v23.01.00104;').statement).toMatchObject({ kind: 'registry_pull', provider: 'aws', version: 'v23.01.00104' });
    expect(parseStatement("registry pull google 'v0.1.2';").statement).toMatchObject({ kind: 'registry_pull', provider: 'google', version: 'v0.1.2' });
    expect(parseStatement('REGISTRY PULL okta;').statement).toMatchObject({ kind: 'registry_pull', provider: 'okta' });
    expect(parseStatement('REGISTRY LIST;').statement).toEqual({ kind: 'registry_list' });
    expect(parseStatement('REGISTRY LIST google;').statement).toEqual({ kind: 'registry_list', provider: 'google' });
    expect(errorOf(() => parseStatement('REGISTRY PULL;')).code).toBe('SQL_SYNTAX');
  });

  it("LIST reads a file:// registry's providers and versions", async () => {
    const { engine: e } = engine();
    expect((await e.query('REGISTRY LIST')).rows).toEqual([{ provider: 'acme', versions: 'v0.0.9, v0.1.0' }]);
    expect((await e.query('REGISTRY LIST nothere')).rows).toEqual([]);
  });

  it('PULL installs the latest version: provider.yaml and its service documents, private to the user', async () => {
    const { engine: e, userRegistry } = engine();
    const [row] = (await e.query('REGISTRY PULL acme')).rows;
    expect(row).toMatchObject({ provider: 'acme', version: 'v0.1.0', services: 3, folder: join(userRegistry, 'acme', 'v0.1.0') });
    expect(readdirSync(join(userRegistry, 'acme', 'v0.1.0', 'services')).sort()).toEqual(['vaults.yaml', 'widgets.yaml']);
    expect(statSync(join(userRegistry, 'acme')).mode & 0o777).toBe(0o700);
    expect(statSync(join(userRegistry, 'acme', 'v0.1.0', 'provider.yaml')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(userRegistry, 'acme'))).toEqual(['v0.1.0']);
    // The statements after a PULL in a script see the pulled provider.
    const results = await e.run("REGISTRY PULL acme 'v0.0.9'; SHOW SERVICES IN acme");
    expect(results[1].rows.map((service) => service.name).sort()).toEqual(['vaults', 'widgets']);
  });

  it('a version the registry does not have, or that is no version name, is refused', async () => {
    const { engine: e } = engine();
    await expect(e.query("REGISTRY PULL acme 'v9.9.9'")).rejects.toMatchObject({ code: 'REG_PULL_FAILED' });
    await expect(e.query("REGISTRY PULL acme '../../etc'")).rejects.toMatchObject({ code: 'CFG_INVALID' });
    await expect(e.query('REGISTRY PULL nothere')).rejects.toMatchObject({ code: 'REG_PULL_FAILED' });
  });

  it('with autoPull, a statement naming a provider that is not pulled pulls it first, and says so', async () => {
    const notes: string[] = [];
    const { engine: e } = engine({ autoPull: true, onNotice: (message) => notes.push(message) });
    expect((await e.query('SHOW RESOURCES IN acme.widgets')).rows.map((row) => row.name)).toEqual(['widgets', 'tags']);
    expect(notes).toEqual([expect.stringContaining('acme is not pulled: pulling it from file://')]);
    const { engine: plain } = engine();
    await expect(plain.query('SHOW RESOURCES IN acme.widgets')).rejects.toMatchObject({
      code: 'REG_NOT_PULLED',
      hint: expect.stringContaining('REGISTRY PULL acme;'),
    });
  });

  it('engine.plan shows a PULL without doing it', () => {
    const { engine: e, userRegistry } = engine();
    expect(e.plan('REGISTRY PULL acme')[0].plan).toEqual({ kind: 'registry_pull', provider: 'acme', from: pathToFileURL(SOURCE).href, into: userRegistry });
    expect(existsSync(userRegistry)).toBe(false);
  });
});

describe('archives', () => {
  const limits = { maxBytes: 1024 * 1024, maxFiles: 10, maxFileBytes: 64 * 1024 };

  it('a StackQL archive (<version>/provider.yaml, <version>/services/…) installs as the version folder', () => {
    const files = readTarGz(
      tarGz([
        { name: 'v1.0.0/', type: '5' },
        { name: 'v1.0.0/provider.yaml', content: PROVIDER_YAML },
        { name: 'v1.0.0/services/widgets.yaml', content: 'openapi: 3.0.0\n' },
        { name: 'v1.0.0/services/link.yaml', type: '2', linkName: '/etc/passwd' },
        { name: 'v1.0.0/README.md', content: 'not installed' },
      ]),
      limits,
      'test archive',
    );
    expect(files.map((file) => file.path)).toEqual(['v1.0.0/provider.yaml', 'v1.0.0/services/widgets.yaml', 'v1.0.0/README.md']);
    const root = mkdtempSync(join(tmpdir(), 'skyql-archive-'));
    const installed = installProvider(root, 'acme', 'v1.0.0', files);
    expect(installed).toMatchObject({ provider: 'acme', version: 'v1.0.0', services: 1 });
    expect(readFileSync(join(root, 'acme', 'v1.0.0', 'services', 'widgets.yaml'), 'utf8')).toBe('openapi: 3.0.0\n');
    expect(existsSync(join(root, 'acme', 'v1.0.0', 'README.md'))).toBe(false);
  });

  it('refuses paths that leave the folder, too many bytes once unpacked, and anything but gzip', () => {
    expect(errorOf(() => readTarGz(tarGz([{ name: '../../evil.yaml', content: 'x' }]), limits, 'a')).code).toBe('REG_PULL_FAILED');
    expect(errorOf(() => readTarGz(tarGz([{ name: '/etc/evil.yaml', content: 'x' }]), limits, 'a')).code).toBe('REG_PULL_FAILED');
    const bomb = tarGz([{ name: 'v1/provider.yaml', content: 'a'.repeat(2 * 1024 * 1024) }]);
    expect(errorOf(() => readTarGz(bomb, limits, 'a')).message).toContain('unpacks to more than');
    expect(errorOf(() => readTarGz(tarGz([{ name: 'big', content: 'a'.repeat(100_000) }]), limits, 'a')).message).toContain('larger than');
    expect(errorOf(() => readTarGz(Buffer.from('not gzip'), limits, 'a')).message).toContain('not a gzip archive');
  });

  it('an archive without a StackQL provider.yaml is not installed', () => {
    const root = mkdtempSync(join(tmpdir(), 'skyql-archive-'));
    const files = readTarGz(tarGz([{ name: 'v1.0.0/provider.yaml', content: 'name: acme\nservices: {}\n' }]), limits, 'a');
    expect(errorOf(() => installProvider(root, 'acme', 'v1.0.0', files)).code).toBe('REG_PULL_FAILED');
    expect(existsSync(join(root, 'acme', 'v1.0.0'))).toBe(false);
  });
});

describe('the registry option', () => {
  it("takes StackQL's JSON or a bare URL; https:// and file: only", () => {
    expect(parseRegistrySource('{"url": "https://registry.example.com/providers", "verifyConfig": {"nopVerify": true}}', '--registry')).toEqual({
      url: 'https://registry.example.com/providers',
    });
    expect(parseRegistrySource('file:///srv/registry', 'SKYQL_REGISTRY')).toEqual({ url: 'file:///srv/registry' });
    for (const text of ['{"url": "http://registry.example.com"}', '{url', '{"uri": "https://x"}', 'ftp://x']) {
      expect(errorOf(() => parseRegistrySource(text, '--registry')).code, text).toBe('CFG_INVALID');
    }
  });

  it('a registry is fetched over https only', async () => {
    await expect(fetchRegistryFile('http://127.0.0.1:9/dist/providers.yaml', { maxBytes: 10 })).rejects.toMatchObject({ code: 'REG_PULL_FAILED' });
  });
});
