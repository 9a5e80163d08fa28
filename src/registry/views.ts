// The user's views: `CREATE VIEW name AS SELECT …` keeps the SELECT in the user's registry folder,
// one file a view (`views/<name>.sql`, plain SQL a user may read and edit), so a view made in one
// session is there in the next. An engine without a user folder keeps its views in memory.

import { existsSync, mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../errors.ts';
import { readRegularFile } from './files.ts';
import { VIEW_NAME } from '../sql/views.ts';
import type { RegistryView } from './load.ts';
import { PendingNames } from '../util/pending-names.ts';

export interface ViewDefinition {
  /** Lower case, as views are looked up (SQL names ignore case). */
  readonly name: string;
  /** The view's SELECT. */
  readonly query: string;
  /** Where it was defined: the user's folder (or memory), or a provider document. */
  readonly origin: string;
}

/** What planning reads of the views. */
export interface ViewLookup {
  view(name: string): ViewDefinition | undefined;
  /** The user's views (a provider's are found by name only). */
  viewNames(): string[];
  /** Whether the user has any view: most statements then need no look for one. */
  hasUserViews(): boolean;
}

/**
 * The user's views, then the views provider documents define (`provider.service.view`, StackQL's
 * `config.views`): the registry is asked only for a three-part name, and loads only that service.
 */
export class ViewsWithProviders implements ViewLookup {
  private readonly user: ViewLookup;
  private readonly registry: () => Pick<RegistryView, 'provider' | 'service'>;

  constructor(user: ViewLookup, registry: () => Pick<RegistryView, 'provider' | 'service'>) {
    this.user = user;
    this.registry = registry;
  }

  /** The provider views looked up, for the registry they were looked up in. */
  private found = new Map<string, ViewDefinition | null>();
  private foundIn?: object;

  view(name: string): ViewDefinition | undefined {
    const key = name.toLowerCase();
    const parts = key.split('.');
    if (parts.length !== 3) return this.user.view(name);
    const registry = this.registry();
    if (this.foundIn !== registry) {
      this.found = new Map();
      this.foundIn = registry;
    }
    let view = this.found.get(key);
    if (view === undefined) {
      view = providerView(registry, parts);
      if (this.found.size >= 1_000) this.found.clear();
      this.found.set(key, view);
    }
    return view ?? undefined;
  }

  viewNames(): string[] {
    return this.user.viewNames();
  }

  hasUserViews(): boolean {
    return this.user.hasUserViews();
  }
}

function providerView(registry: Pick<RegistryView, 'provider' | 'service'>, [provider, service, view]: readonly string[]): ViewDefinition | null {
  if (!registry.provider(provider)?.services[service]) return null;
  const query = registry.service(provider, service)?.views?.[view];
  return query === undefined ? null : { name: `${provider}.${service}.${view}`, query, origin: `${provider}.${service}` };
}

/** A view file is read whole: one SELECT is far below this. */
const MAX_VIEW_BYTES = 1024 * 1024;

export class ViewStore implements ViewLookup {
  private readonly folder?: string;
  private readonly views = new Map<string, ViewDefinition | null>();
  private listed = false;
  /** The names, until a view is kept, dropped or read for the first time. */
  private names?: string[];

  /** `root`: the user's registry folder; none: views live as long as the store. */
  constructor(root?: string) {
    this.folder = root === undefined ? undefined : join(root, 'views');
  }

  view(name: string): ViewDefinition | undefined {
    const key = name.toLowerCase();
    if (!VIEW_NAME.test(key)) return undefined;
    if (!this.views.has(key)) {
      this.views.set(key, this.read(key));
      this.names = undefined;
    }
    return this.views.get(key) ?? undefined;
  }

  hasUserViews(): boolean {
    return this.viewNames().length > 0;
  }

  viewNames(): string[] {
    if (this.names) return this.names;
    this.names = this.listNames();
    return this.names;
  }

  private listNames(): string[] {
    if (this.folder && !this.listed && existsSync(this.folder)) {
      for (const file of readdirSync(this.folder)) if (file.endsWith('.sql')) this.view(file.slice(0, -4));
      this.listed = true;
    }
    return [...this.views]
      .filter(([, view]) => view !== null)
      .map(([name]) => name)
      .sort();
  }

  save(name: string, query: string): void {
    const key = name.toLowerCase();
    if (this.folder) {
      mkdirSync(this.folder, { recursive: true, mode: 0o700 });
      const temporary = join(this.folder, `.${key}.${uniqueSuffix()}.tmp`);
      writeFileSync(temporary, `${query.trim()}\n`, { mode: 0o600 });
      renameSync(temporary, this.file(key));
    }
    this.views.set(key, { name: key, query: query.trim(), origin: this.folder ? this.file(key) : 'this session' });
    this.names = undefined;
  }

  remove(name: string): void {
    const key = name.toLowerCase();
    if (this.folder && existsSync(this.file(key))) unlinkSync(this.file(key));
    this.views.set(key, null);
    this.names = undefined;
  }

  /** Forgets what was read, so files changed by another process are read again. */
  clear(): void {
    if (this.folder) this.views.clear();
    this.listed = false;
    this.names = undefined;
  }

  private read(key: string): ViewDefinition | null {
    if (!this.folder) return null;
    const file = this.file(key);
    if (!existsSync(file)) return null;
    let text: string;
    try {
      text = readRegularFile(file, MAX_VIEW_BYTES).toString('utf8');
    } catch (error) {
      throw new EngineError('CFG_FILE', `cannot read the view ${key} from ${file}`, { cause: error });
    }
    return { name: key, query: text.trim().replace(/;\s*$/, ''), origin: file };
  }

  private file(key: string): string {
    return join(this.folder!, `${key}.sql`);
  }
}

/** A name for a temporary file no other writer picks at the same moment. */
function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The views as they will be once the statements planned so far have run: planning a script
 * (--dry-run, engine.plan) sees the views its CREATE VIEW statements make, and writes nothing.
 */
export class PendingViews implements ViewLookup {
  private readonly base: ViewLookup;
  private readonly changes = new PendingNames<ViewDefinition>();

  constructor(base: ViewLookup) {
    this.base = base;
  }

  define(name: string, query: string | undefined): void {
    this.changes.set(name, query === undefined ? null : { name, query, origin: 'this script' });
  }

  view(name: string): ViewDefinition | undefined {
    return this.changes.get(name.toLowerCase(), (key) => this.base.view(key));
  }

  hasUserViews(): boolean {
    return this.changes.changed ? this.viewNames().length > 0 : this.base.hasUserViews();
  }

  viewNames(): string[] {
    return this.changes.names(this.base.viewNames());
  }
}
