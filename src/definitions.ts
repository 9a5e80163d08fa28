// What names mean to one engine, and the statements that change it: the registry of providers and
// services (REGISTRY ADD and PULL change it, REGISTRY LIST reads the remote one), the user's views
// (CREATE/DROP VIEW) and the materialized views' rows (CREATE/REFRESH/DROP MATERIALIZED VIEW).
// A change of registry is a new Registry over the same document cache, and the planner's session
// forgets what it worked out from the old one.

import type { ResolvedOptions } from './config.ts';
import { EngineError } from './errors.ts';
import type { ExecDeps } from './exec/execute.ts';
import { executeMaterialize } from './exec/materialize.ts';
import { StoredViews } from './exec/stored-views.ts';
import type { PlanSession } from './plan/session.ts';
import type { MaterializePlan, RegistryAddPlan, RegistryListPlan, RegistryPullPlan, ViewChangePlan } from './plan/types.ts';
import type { DocumentCache } from './registry/cache.ts';
import type { CredentialHosts } from './registry/credential-hosts.ts';
import { Registry } from './registry/load.ts';
import { ViewStore, ViewsWithProviders } from './registry/views.ts';
import type { QueryResult, DefinitionActions } from './run-planned.ts';

type Rows = QueryResult['rows'];

export interface DefinitionsOptions {
  readonly resolved: ResolvedOptions;
  /** The engine's document cache: kept across the registries a REGISTRY ADD or PULL makes anew. */
  readonly documents: DocumentCache;
  readonly planSession: PlanSession;
  /** Where tokens may go: a REGISTRY ADD records its service's audience against them. */
  readonly hosts: CredentialHosts;
}

export class Definitions implements DefinitionActions {
  /** The registry statements are planned against now. */
  registry: Registry;
  /** Materialized views: their rows live as long as the engine. */
  readonly storedViews = new StoredViews();
  /** The views statements may read: the user's, then the providers'. */
  readonly views: ViewsWithProviders;
  private readonly userViews: ViewStore;
  private readonly options: DefinitionsOptions;

  constructor(options: DefinitionsOptions) {
    this.options = options;
    this.registry = this.newRegistry();
    this.userViews = new ViewStore(options.resolved.userRegistry);
    this.views = new ViewsWithProviders(this.userViews, () => this.registry);
  }

  async add(plan: RegistryAddPlan): Promise<Rows> {
    const { resolved, hosts } = this.options;
    const root = userRegistry(resolved, 'REGISTRY ADD');
    const { addServiceFromSpec } = await import('./registry/add.ts');
    const added = addServiceFromSpec({ specFile: plan.specFile, provider: plan.provider, service: plan.service, audience: plan.audience, root, hosts });
    this.registryChanged();
    for (const warning of added.warnings) resolved.onWarning(warning);
    return added.resources.map((resource) => ({ resource: `${plan.provider}.${plan.service}.${resource}`, file: added.file }));
  }

  async pull(plan: RegistryPullPlan, signal?: AbortSignal): Promise<Rows> {
    const { resolved } = this.options;
    const root = userRegistry(resolved, 'REGISTRY PULL');
    const { pullProvider } = await import('./registry-protocol.ts');
    const installed = await pullProvider({ source: resolved.registry, timeouts: resolved.timeouts, signal }, plan.provider, plan.version, root);
    this.registryChanged();
    return [{ provider: installed.provider, version: installed.version, services: installed.services, folder: installed.folder }];
  }

  async list(plan: RegistryListPlan, signal?: AbortSignal): Promise<Rows> {
    const { resolved } = this.options;
    const { listProviders } = await import('./registry-protocol.ts');
    const providers = await listProviders({ source: resolved.registry, timeouts: resolved.timeouts, signal }, plan.provider);
    return providers.map((entry) => ({ provider: entry.provider, versions: entry.versions.join(', ') }));
  }

  view(plan: ViewChangePlan): Rows {
    if (plan.materialized) {
      if (plan.action === 'drop') this.storedViews.remove(plan.name);
    } else {
      if (plan.action === 'create' || plan.action === 'replace') this.userViews.save(plan.name, plan.query!);
      if (plan.action === 'drop') this.userViews.remove(plan.name);
    }
    this.options.planSession.viewsChanged();
    return [{ view: plan.name, action: plan.action }];
  }

  async materialize(plan: MaterializePlan, deps: ExecDeps): Promise<Rows> {
    try {
      return await executeMaterialize(plan, this.storedViews, deps);
    } finally {
      this.options.planSession.viewsChanged();
    }
  }

  private newRegistry(): Registry {
    return new Registry(this.options.resolved.registryRoots, { documents: this.options.documents });
  }

  private registryChanged(): void {
    this.registry = this.newRegistry();
    this.options.planSession.registryChanged();
  }
}

function userRegistry(resolved: ResolvedOptions, statement: string): string {
  if (resolved.userRegistry) return resolved.userRegistry;
  throw new EngineError('CFG_INVALID', `${statement} needs a user registry folder`, {
    hint: 'pass userRegistry to createEngine (the CLI uses ~/.skyql/providers or $SKYQL_REGISTRY_DIR)',
  });
}
