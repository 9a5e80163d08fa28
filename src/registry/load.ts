// Loads provider and service documents from registry folders, each service only when a
// statement first names it.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYamlCached } from './cache.ts';
import type { ProviderSpec, ServiceSpec } from './types.ts';
import { invalid, normalizeService } from './validate.ts';

/** The registry shipped with skyql: `providers/` at the package root. */
export const BUNDLED_REGISTRY = fileURLToPath(new URL('../../providers/', import.meta.url));

interface ProviderEntry {
  readonly spec: ProviderSpec;
  readonly folder: string;
}

export class Registry {
  private readonly roots: readonly string[];
  private providers?: Map<string, ProviderEntry>;
  private readonly services = new Map<string, ServiceSpec>();

  /** Later roots override earlier ones provider by provider. */
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
    const entry = this.providerMap().get(providerName);
    const serviceEntry = entry?.spec.services[serviceName];
    if (!entry || !serviceEntry) return undefined;
    const file = join(entry.folder, serviceEntry.file);
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
      providers.set(spec.name ?? entry.name, { spec: { ...spec, name: spec.name ?? entry.name }, folder: join(root, entry.name) });
    }
  }
  return providers;
}

function readDocument(file: string): any {
  try {
    return readYamlCached(file);
  } catch (error) {
    throw invalid(file, (error as Error).message.split('\n')[0]);
  }
}
