// StackQL's registry protocol, as StackQL's own client speaks it (stackql/any-sdk,
// internal/anysdk/registry.go): a registry URL holds `dist/providers.yaml`, the index
// (`providers: {<name>: {versions: [...]}}`), and `dist/<provider>/<version>.tgz`, one archive per
// provider version (`<version>/provider.yaml` + `<version>/services/*.yaml`). StackQL's public
// registry is the default. A `file://` URL names a folder laid out as the versions unpacked:
// `<provider>/<version>/provider.yaml` + `services/*.yaml`.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from './errors.ts';
import { fetchRegistryFile } from './exec/registry-fetch.ts';
import type { HttpTimeouts } from './exec/http.ts';
import type { InstalledProvider, ProviderVersions } from './registry/stackql/install.ts';

export const DEFAULT_REGISTRY_URL = 'https://registry.stackql.app/providers';

/** StackQL's `--registry` shape. */
export interface RegistrySource {
  readonly url: string;
}

export interface RegistryAccess {
  readonly source: RegistrySource;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly signal?: AbortSignal;
}

const MAX_INDEX_BYTES = 4 * 1024 * 1024;
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** The providers the registry has, with their versions (one provider's, when named). */
export async function listProviders(access: RegistryAccess, provider?: string): Promise<ProviderVersions[]> {
  const install = await import('./registry/stackql/install.ts');
  if (provider !== undefined) install.checkProviderName(provider);
  const folder = folderOf(access.source);
  if (folder !== undefined) return install.listFolderRegistry(folder, provider);
  const index = await readIndex(access);
  return index.filter((entry) => provider === undefined || entry.provider === provider);
}

/** Installs a provider version (the latest when none is named) into the user's registry folder. */
export async function pullProvider(access: RegistryAccess, provider: string, version: string | undefined, into: string): Promise<InstalledProvider> {
  const install = await import('./registry/stackql/install.ts');
  install.checkProviderName(provider);
  if (version !== undefined) install.checkVersionName(version);
  const folder = folderOf(access.source);
  if (folder !== undefined) {
    const found = install.readFolderVersion(folder, provider, version);
    return install.installProvider(into, provider, found.version, found.files);
  }
  const chosen = version ?? (await latestPublished(access, provider));
  const url = `${base(access.source)}/dist/${install.registryFolderName(provider)}/${chosen}.tgz`;
  const archive = await fetchRegistryFile(url, { maxBytes: MAX_ARCHIVE_BYTES, timeouts: access.timeouts, signal: access.signal });
  const { readTarGz } = await import('./registry/stackql/tar.ts');
  return install.installProvider(into, provider, chosen, readTarGz(archive, install.PULL_LIMITS, `${url}`));
}

/**
 * `--registry` / SKYQL_REGISTRY: StackQL's JSON (`{"url": "…"}`; its other keys are StackQL's own)
 * or a bare URL. https:// or file: only. Errors do not quote the text.
 */
export function parseRegistrySource(text: string, where: string): RegistrySource {
  let url: unknown = text.trim();
  if (text.trim().startsWith('{')) {
    try {
      url = (JSON.parse(text) as { url?: unknown }).url;
    } catch {
      throw new EngineError('CFG_INVALID', `${where} is not valid JSON`, { hint: `${where} takes '{"url": "https://…"}' or a file:// folder` });
    }
  }
  if (typeof url !== 'string' || !/^(https:\/\/[^/]|file:)/i.test(url)) {
    throw new EngineError('CFG_INVALID', `${where} needs a url that starts with https:// or file:`, {
      hint: `${where} takes '{"url": "https://…"}' or a file:// folder`,
    });
  }
  return { url };
}

async function latestPublished(access: RegistryAccess, provider: string): Promise<string> {
  const { latestVersion } = await import('./registry/stackql/versions.ts');
  const entry = (await readIndex(access)).find((candidate) => candidate.provider === provider);
  const latest = entry && latestVersion(entry.versions);
  if (!latest) throw new EngineError('REG_PULL_FAILED', `the registry ${access.source.url} has no provider "${provider}"`, { details: { provider } });
  return latest;
}

async function readIndex(access: RegistryAccess): Promise<ProviderVersions[]> {
  const url = `${base(access.source)}/dist/providers.yaml`;
  const bytes = await fetchRegistryFile(url, { maxBytes: MAX_INDEX_BYTES, timeouts: access.timeouts, signal: access.signal });
  const { parse } = await import('yaml');
  let index: unknown;
  try {
    index = parse(bytes.toString('utf8'));
  } catch {
    throw new EngineError('REG_PULL_FAILED', `${url} is not YAML`);
  }
  const providers = (index as { providers?: unknown })?.providers;
  if (!providers || typeof providers !== 'object') throw new EngineError('REG_PULL_FAILED', `${url} lists no providers`);
  return Object.entries(providers as Record<string, { versions?: unknown }>)
    .map(([name, entry]) => ({
      provider: name === 'googleapis.com' ? 'google' : name,
      versions: Array.isArray(entry?.versions) ? entry.versions.map(String) : [],
    }))
    .sort((a, b) => (a.provider < b.provider ? -1 : 1));
}

/** `file:///abs/folder`, or a relative folder as StackQL's docs write it (`file://../registry`). */
function folderOf(source: RegistrySource): string | undefined {
  if (!source.url.startsWith('file:')) return undefined;
  if (source.url.startsWith('file:///')) return fileURLToPath(source.url);
  return resolve(decodeURIComponent(source.url.replace(/^file:(\/\/)?/, '')));
}

function base(source: RegistrySource): string {
  return source.url.replace(/\/+$/, '');
}
