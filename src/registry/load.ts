// Loads provider and service documents from registry folders, each service only when a
// statement first names it. A folder holds providers in skyql's format
// (`<provider>/provider.yaml` + `<service>.yaml`) and providers pulled from a StackQL registry
// (`<provider>/<version>/provider.yaml` + `services/*.yaml`, the latest version is used).
//
// Folders are merged service by service: a later folder's skyql document (the user's registry)
// adds a service to a provider or replaces one of the same name. A pulled StackQL service is laid
// over a skyql service of the same name, resource by resource: its resources answer, and the
// resources only the skyql service has (the bundled `azure.data_factory.pipelines_runs`) keep
// answering under their names.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../errors.ts';
import { DocumentCache, type DocumentCacheOptions } from './cache.ts';
import { parseErrorPosition } from './files.ts';
import { withSkyqlKnowledge } from './stackql/enrich.ts';
import { isStackqlProvider, providerFromStackql } from './stackql/provider.ts';
import { serviceFromStackql, STACKQL_CONVERTER_VERSION } from './stackql/service.ts';
import { latestVersion } from './stackql/versions.ts';
import type { ProviderSpec, ServiceEntry, ServiceSpec } from './types.ts';
import { invalid, normalizeService } from './validate.ts';

import { BUNDLED_REGISTRY } from './bundled.ts';

interface ServiceSource {
  readonly file: string;
  readonly format: 'skyql' | 'stackql';
}

interface ProviderEntry {
  readonly spec: ProviderSpec;
  /** Each service's documents, the one that answers first: a pulled StackQL document, then a skyql one. */
  readonly sources: ReadonlyMap<string, readonly ServiceSource[]>;
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
  /** Every document of a service, the one that answers first (a pulled one before skyql's). */
  serviceLayers(providerName: string, serviceName: string): ServiceSpec[];
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

  /** The service that answers for a name (a pulled StackQL service before a skyql one). */
  service(providerName: string, serviceName: string): ServiceSpec | undefined {
    return this.serviceLayers(providerName, serviceName)[0];
  }

  /**
   * Every document of a service, the one that answers first: a resource comes from the first that
   * has it. A pulled document over a skyql one also learns what the skyql one knows of the same
   * operations (stackql/enrich.ts).
   */
  serviceLayers(providerName: string, serviceName: string): ServiceSpec[] {
    const sources = this.providerMap().get(providerName)?.sources.get(serviceName) ?? [];
    const layers = sources.map((source) => this.loadService(providerName, serviceName, source));
    if (layers.length < 2 || sources[0].format !== 'stackql') return layers;
    const key = `${providerName}.${serviceName}\0enriched\0${sources[0].file}\0${sources[1].file}`;
    let enriched = this.services.get(key);
    if (!enriched) this.services.set(key, (enriched = withSkyqlKnowledge(layers[0], layers[1])));
    return [enriched, ...layers.slice(1)];
  }

  private loadService(providerName: string, serviceName: string, source: ServiceSource): ServiceSpec {
    const key = `${providerName}.${serviceName}\0${source.file}`;
    const cached = this.services.get(key);
    if (cached) return cached;
    const service =
      source.format === 'stackql'
        ? this.convertStackql(providerName, serviceName, source.file)
        : normalizeService(readDocument(this.documents, source.file), source.file, providerName, serviceName);
    this.services.set(key, service);
    return service;
  }

  /** Converted once per document and kept in the verified cache: a warm start reads JSON, not YAML. */
  private convertStackql(providerName: string, serviceName: string, file: string): ServiceSpec {
    const authType = this.provider(providerName)?.stackql?.auth?.type;
    const kind = `${STACKQL_CONVERTER_VERSION}\0${providerName}\0${serviceName}\0${authType ?? ''}`;
    const converted = withDocumentErrors(file, () =>
      this.documents.derived(file, kind, (document) => {
        try {
          return serviceFromStackql(document, { provider: providerName, service: serviceName, file, authType }).service;
        } catch (error) {
          throw invalid(file, error instanceof Error ? error.message.replace(`${file}: `, '') : String(error));
        }
      }),
    );
    return converted as ServiceSpec;
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
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const folder = join(root, entry.name);
      const skyql = join(folder, 'provider.yaml');
      if (existsSync(skyql)) addSkyqlProvider(providers, readDocument(documents, skyql), skyql, entry.name, folder);
      const pulled = pulledProvider(documents, folder, entry.name);
      if (pulled) addPulledProvider(providers, pulled.spec, pulled.files);
    }
  }
  return providers;
}

function addSkyqlProvider(providers: Map<string, ProviderEntry>, doc: any, file: string, folderName: string, folder: string): void {
  if (!doc || typeof doc.services !== 'object') throw invalid(file, 'a provider document needs `services`');
  const spec: ProviderSpec = { ...doc, name: doc.name ?? folderName };
  const earlier = providers.get(spec.name);
  const sources = new Map(earlier?.sources);
  for (const [name, service] of Object.entries(spec.services)) {
    const pulled = (earlier?.sources.get(name) ?? []).filter((source) => source.format === 'stackql');
    sources.set(name, [...pulled, { file: join(folder, service.file), format: 'skyql' }]);
  }
  const services: Record<string, ServiceEntry> = { ...earlier?.spec.services, ...spec.services };
  providers.set(spec.name, {
    spec: { ...earlier?.spec, ...spec, title: earlier?.spec.title ?? spec.title, services, stackql: earlier?.spec.stackql },
    sources,
  });
}

function addPulledProvider(providers: Map<string, ProviderEntry>, spec: ProviderSpec, files: ReadonlyMap<string, string>): void {
  const earlier = providers.get(spec.name);
  const sources = new Map(earlier?.sources);
  for (const [name, file] of files) {
    const skyql = (earlier?.sources.get(name) ?? []).filter((source) => source.format === 'skyql');
    sources.set(name, [{ file, format: 'stackql' }, ...skyql]);
  }
  const services: Record<string, ServiceEntry> = { ...earlier?.spec.services, ...spec.services };
  providers.set(spec.name, { spec: { ...earlier?.spec, ...spec, title: earlier?.spec.title ?? spec.title, services }, sources });
}

/** The latest version pulled into `<provider>/<version>/provider.yaml`, when there is one. */
function pulledProvider(documents: DocumentCache, folder: string, folderName: string): ReturnType<typeof providerFromStackql> | undefined {
  const versions = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && existsSync(join(folder, entry.name, 'provider.yaml')))
    .map((entry) => entry.name);
  const version = latestVersion(versions);
  if (version === undefined) return undefined;
  const file = join(folder, version, 'provider.yaml');
  const doc = readDocument(documents, file);
  if (!isStackqlProvider(doc)) throw invalid(file, 'a StackQL provider document needs `providerServices`');
  // The folder names the provider (a pull writes the provider the user asked for there), whatever the document calls itself.
  return providerFromStackql(doc, folderName, version, join(folder, version));
}

function readDocument(documents: DocumentCache, file: string): any {
  return withDocumentErrors(file, () => documents.read(file));
}

function withDocumentErrors<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof EngineError) throw error.code === 'CFG_FILE' ? new EngineError('REG_INVALID', error.message) : error;
    // The YAML parser's message quotes the file; only the position is shown.
    throw invalid(file, `not valid YAML (${parseErrorPosition(error, '')})`);
  }
}

export { BUNDLED_REGISTRY };
