// Loads provider and service documents from registry folders, each service only when a
// statement first names it. Folders are merged service by service: a later folder (the
// user's registry) adds services to a provider or replaces one of the same name.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYamlCached } from './cache.ts';
import type { ProviderSpec, ServiceEntry, ServiceSpec } from './types.ts';
import { invalid, normalizeService } from './validate.ts';

/** The registry shipped with skyql: `providers/` at the package root. */
export const BUNDLED_REGISTRY = fileURLToPath(new URL('../../providers/', import.meta.url));

interface ProviderEntry {
  readonly spec: ProviderSpec;
  /** Absolute path of each service's document. */
  readonly files: ReadonlyMap<string, string>;
}

export class Registry {
  readonly roots: readonly string[];
  private providers?: Map<string, ProviderEntry>;
  private readonly services = new Map<string, ServiceSpec>();

  constructor(roots: readonly string[] = [BUNDLED_REGISTRY]) {
    this.roots = roots;
  }

  providerNames(): string[] {
    return [...this.providerMap().keys()].sort();
  }

  provider(name: string): ProviderSpec | undefined {
    return this.providerMap().get(name)?.spec;
  }

  service(providerName: string, serviceName: string): ServiceSpec | undefined {
    const key = `${providerName}.${serviceName}`;
    const cached = this.services.get(key);
    if (cached) return cached;
    const file = this.providerMap().get(providerName)?.files.get(serviceName);
    if (!file) return undefined;
    const service = normalizeService(readDocument(file), file, providerName, serviceName);
    this.services.set(key, service);
    return service;
  }

  private providerMap(): Map<string, ProviderEntry> {
    this.providers ??= loadProviders(this.roots);
    return this.providers;
  }
}

function loadProviders(roots: readonly string[]): Map<string, ProviderEntry> {
  const providers = new Map<string, ProviderEntry>();
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const file = join(root, entry.name, 'provider.yaml');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const spec = readDocument(file) as ProviderSpec;
      if (!spec || typeof spec.services !== 'object') throw invalid(file, 'a provider document needs `services`');
      const name = spec.name ?? entry.name;
      providers.set(name, mergeProvider(providers.get(name), { ...spec, name }, join(root, entry.name)));
    }
  }
  return providers;
}

function mergeProvider(earlier: ProviderEntry | undefined, spec: ProviderSpec, folder: string): ProviderEntry {
  const files = new Map(earlier?.files);
  for (const [name, service] of Object.entries(spec.services)) files.set(name, join(folder, service.file));
  const services: Record<string, ServiceEntry> = { ...earlier?.spec.services, ...spec.services };
  return { spec: { ...earlier?.spec, ...spec, title: earlier?.spec.title ?? spec.title, services }, files };
}

function readDocument(file: string): any {
  try {
    return readYamlCached(file);
  } catch (error) {
    throw invalid(file, (error as Error).message.split('\n')[0]);
  }
}
