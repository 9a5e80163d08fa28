// REGISTRY PULL's file work: reading a provider version from a registry folder (a `file://`
// registry laid out as `<provider>/<version>/provider.yaml` + `services/*.yaml`), and installing
// a version's files into the user's registry folder. Pulled documents are untrusted input: only
// regular files of bounded size are read, only a provider.yaml and service documents are written,
// every path stays inside its folder, and a version replaces the old one only once it is complete.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EngineError } from '../../errors.ts';
import { MAX_FILE_BYTES, readRegularFile } from '../files.ts';
import { isStackqlProvider } from './provider.ts';
import { pullFailed, type ArchiveFile, type ArchiveLimits } from './tar.ts';
import { isVersionName, latestVersion } from './versions.ts';

/** What one provider version may hold (StackQL's Azure provider: 270 files, 45 MB). */
export const PULL_LIMITS: ArchiveLimits = { maxBytes: 512 * 1024 * 1024, maxFiles: 5_000, maxFileBytes: MAX_FILE_BYTES };

/** The files a version installs: its provider.yaml and its service documents. */
const INSTALLED = /^(provider\.yaml|services\/[A-Za-z0-9_.-]+\.(ya?ml|json))$/;
const PROVIDER_NAME = /^[a-z][a-z0-9_]*$/;

export interface ProviderVersions {
  readonly provider: string;
  readonly versions: readonly string[];
}

export interface InstalledProvider {
  readonly provider: string;
  readonly version: string;
  readonly services: number;
  /** The version's folder in the user's registry. */
  readonly folder: string;
}

export function checkProviderName(provider: string): void {
  if (!PROVIDER_NAME.test(provider)) throw new EngineError('CFG_INVALID', `provider name "${provider.slice(0, 64)}" must be lowercase letters, digits and _`);
}

export function checkVersionName(version: string): void {
  if (!isVersionName(version))
    throw new EngineError('CFG_INVALID', `version "${version.slice(0, 64)}" is not a provider version such as v0.1.2 or v23.01.00104`);
}

/** StackQL's registry keeps a few providers under another folder name. */
export function registryFolderName(provider: string): string {
  return provider === 'google' ? 'googleapis.com' : provider;
}

/** The providers of a registry folder and their versions (folders holding a provider.yaml). */
export function listFolderRegistry(root: string, provider?: string): ProviderVersions[] {
  if (!existsSync(root)) throw pullFailed(`the registry folder ${root}`, 'does not exist');
  const names = provider === undefined ? subfolders(root) : [registryFolderName(provider)].filter((name) => existsSync(join(root, name)));
  return names
    .map((name) => ({ provider: name === 'googleapis.com' ? 'google' : name, versions: versionsIn(join(root, name)) }))
    .filter((entry) => entry.versions.length > 0)
    .sort((a, b) => (a.provider < b.provider ? -1 : 1));
}

function versionsIn(folder: string): string[] {
  return subfolders(folder).filter((name) => isVersionName(name) && existsSync(join(folder, name, 'provider.yaml')));
}

function subfolders(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
}

/** A version's files from a registry folder: the given version, else the latest. */
export function readFolderVersion(root: string, provider: string, version?: string): { readonly version: string; readonly files: ArchiveFile[] } {
  const folder = join(root, registryFolderName(provider));
  const versions = existsSync(folder) ? versionsIn(folder) : [];
  const chosen = version ?? latestVersion(versions);
  if (chosen === undefined || !versions.includes(chosen)) {
    const known = versions.length > 0 ? `; it has ${versions.join(', ')}` : '';
    throw pullFailed(`the registry folder ${root}`, `has no ${provider}${version ? ` ${version}` : ''}${known}`);
  }
  return { version: chosen, files: readTree(join(folder, chosen), `${provider} ${chosen}`) };
}

/** provider.yaml and services/* of a version folder: regular files only (no symlink is followed), bounded. */
function readTree(folder: string, what: string): ArchiveFile[] {
  const files: ArchiveFile[] = [];
  let total = 0;
  const take = (path: string) => {
    if (files.length >= PULL_LIMITS.maxFiles) throw pullFailed(what, `has more than ${PULL_LIMITS.maxFiles} files`);
    const bytes = readRegularFile(join(folder, path), PULL_LIMITS.maxFileBytes);
    total += bytes.length;
    if (total > PULL_LIMITS.maxBytes) throw pullFailed(what, `is larger than ${PULL_LIMITS.maxBytes} bytes`);
    files.push({ path, bytes });
  };
  const entries = readdirSync(folder, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name === 'provider.yaml')) take('provider.yaml');
  if (entries.some((entry) => entry.isDirectory() && entry.name === 'services')) {
    for (const entry of readdirSync(join(folder, 'services'), { withFileTypes: true })) {
      if (entry.isFile() && INSTALLED.test(`services/${entry.name}`)) take(`services/${entry.name}`);
    }
  }
  return files;
}

/**
 * Installs a version's files as `<registry>/<provider>/<version>/`: checked, written to a new
 * folder beside it, then put in place of the old version in one rename.
 */
export function installProvider(userRegistry: string, provider: string, version: string, files: readonly ArchiveFile[]): InstalledProvider {
  checkProviderName(provider);
  checkVersionName(version);
  const kept = files.map((file) => ({ ...file, path: withoutVersionFolder(file.path, version) })).filter((file) => INSTALLED.test(file.path));
  const services = checkedProvider(kept, `${provider} ${version}`);
  const providerFolder = join(userRegistry, provider);
  const folder = join(providerFolder, version);
  const staging = join(providerFolder, `.pull-${randomBytes(6).toString('hex')}`);
  mkdirSync(providerFolder, { recursive: true, mode: 0o700 });
  try {
    for (const file of kept) {
      mkdirSync(dirname(join(staging, file.path)), { recursive: true, mode: 0o700 });
      writeFileSync(join(staging, file.path), file.bytes, { flag: 'wx', mode: 0o600 });
    }
    replaceFolder(folder, staging, join(providerFolder, `.old-${randomBytes(6).toString('hex')}`));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { provider, version, services, folder };
}

/** The old version moves aside first, and comes back if the new one cannot take its place. */
function replaceFolder(folder: string, replacement: string, aside: string): void {
  const hadOld = existsSync(folder);
  if (hadOld) renameSync(folder, aside);
  try {
    renameSync(replacement, folder);
  } catch (error) {
    if (hadOld) renameSync(aside, folder);
    throw error;
  }
  if (hadOld) rmSync(aside, { recursive: true, force: true });
}

/** StackQL's archives hold `<version>/provider.yaml`; a folder's files are relative to the version already. */
function withoutVersionFolder(path: string, version: string): string {
  return path.startsWith(`${version}/`) ? path.slice(version.length + 1) : path;
}

/** The number of services provider.yaml names; throws unless it is a StackQL provider document. */
function checkedProvider(files: readonly ArchiveFile[], what: string): number {
  const providerFile = files.find((file) => file.path === 'provider.yaml');
  if (!providerFile) throw pullFailed(what, 'has no provider.yaml');
  let doc: unknown;
  try {
    doc = parseYaml(providerFile.bytes.toString('utf8'));
  } catch {
    throw pullFailed(what, 'has a provider.yaml that is not YAML');
  }
  if (!isStackqlProvider(doc)) throw pullFailed(what, 'has a provider.yaml without providerServices');
  return Object.keys(doc.providerServices as object).length;
}
