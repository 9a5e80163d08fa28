// Loads provider and service documents from registry folders, each service only when a
// statement first names it. Folders are merged service by service: a later folder (the
// user's registry) adds services to a provider or replaces one of the same name.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../errors.ts';
import { DocumentCache, type DocumentCacheOptions } from './cache.ts';
import { parseErrorPosition } from './files.ts';
import type { ProviderSpec, ServiceEntry, ServiceSpec } from './types.ts';
import { invalid, normalizeService } from './validate.ts';

/** The registry shipped with skyql: `providers/` at the package root. */
export const BUNDLED_REGISTRY = fileURLToPath(new URL('../../providers/', import.meta.url));

interface ProviderEntry {
  readonly spec: ProviderSpec;
  /** Absolute path of each service's document. */
  readonly files: ReadonlyMap<string, string>;
}

export interface RegistryOptions extends DocumentCacheOptions {
  /** Parsed documents to share with other registries of the same engine; default: a new cache. */
  readonly documents?: DocumentCache;
}

/** What planning reads of a registry: providers and their services, by name (read-only). */
export interface RegistryView {
  providerNames(): string[];
  provider(name: string): ProviderSpec | undefined;
  service(providerName: string, serviceName: string): ServiceSpec | undefined;
}

export class Registry implements RegistryView {
  readonly roots: readonly string[];
  private providers?: Map<string, ProviderEntry>;
  private readonly services = new Map<string, ServiceSpec>();
  private readonly documents: DocumentCache;

  constructor(roots: readonly string[] = [BUNDLED_REGISTRY], options: RegistryOptions = {}) {
    this.roots = roots;
    this.documents = options.documents ?? new DocumentCache(options);
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
    const service = normalizeService(readDocument(this.documents, file), file, providerName, serviceName);
    this.services.set(key, service);
    return service;
  }

  private providerMap(): Map<string, ProviderEntry> {
    this.providers ??= loadProviders(this.roots, this.documents);
    return this.providers;
  }
}

function loadProviders(roots: readonly string[], documents: DocumentCache): Map<string, ProviderEntry> {
  const providers = new Map<string, ProviderEntry>();
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const file = join(root, entry.name, 'provider.yaml');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const spec = readDocument(documents, file) as ProviderSpec;
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

function readDocument(documents: DocumentCache, file: string): any {
  try {
    return documents.read(file);
  } catch (error) {
    if (error instanceof EngineError) throw error.code === 'CFG_FILE' ? new EngineError('REG_INVALID', error.message) : error;
    // The YAML parser's message quotes the file; only the position is shown.
    throw invalid(file, `not valid YAML (${parseErrorPosition(error, '')})`);
  }
}
