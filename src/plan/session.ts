// The plan/ stage's state, owned by whoever plans (an engine, or a single call): what planning
// works out once per method, per statement shape and per statement, so that a statement run again
// costs little. Everything here is derived from the registry and the statements: when the
// registry changes (REGISTRY ADD), registryChanged() drops what it held.

import type { FieldSpec, MethodSpec, ResourceSpec, ServiceSpec, ValueRules } from '../registry/types.ts';
import type { IdPath } from './id-params.ts';
import { BoundedCache, Memo, type CacheOwner, type CacheStats } from '../util/caches.ts';
import type { PatternCheck } from './patterns.ts';
import type { HttpStatementPlan } from './types.ts';
import type { DirectPlan } from './types-select.ts';
import type { ShapeKnowledge } from './generic-plans.ts';

/** Plans of one statement, by the values of its placeholders (plan-cache.ts). */
export interface StatementPlans {
  readonly byVars: Map<string, HttpStatementPlan>;
  hits: number;
  misses: number;
}

export class PlanSession implements CacheOwner {
  /** Per method: its request recipe and compiled path (request.ts). */
  readonly methods = new Memo<MethodSpec, unknown>('plan.methods');
  /** Per service: its base URL when it takes no host param, checked once (request.ts). */
  readonly baseUrls = new Memo<ServiceSpec, string | null>('plan.base-urls');
  /** Per response's fields: their names in lower case, as SQLite compares names (source-resolution.ts). */
  readonly lowerFieldNames = new Memo<readonly FieldSpec[], readonly string[]>('plan.field-names');
  /** Per resource: where its ids hold params, or null when none do (id-params.ts). */
  readonly idPaths = new Memo<ResourceSpec, IdPath | null>('plan.id-paths');
  /** Per resource: whether a name (as a statement writes it) is a param of one of its SELECT methods (source-resolution.ts). */
  readonly selectParams = new Memo<ResourceSpec, BoundedCache<string, boolean>>('plan.select-params');
  /** Resolved names and chosen methods, by name and the params a statement names (targets.ts). */
  readonly targets = new BoundedCache<string, unknown>('plan.targets', 2_000);
  /** Per statement object: its target and param binding (targets.ts). */
  readonly statements = new Memo<object, unknown>('plan.statements');
  /** Per statement shape: each source's resource, method and conditions (select.ts). */
  readonly sourceResolutions = new Memo<object, unknown>('plan.source-resolutions');
  /** Per shape's column list (or a source's stored columns, for `*`): a direct plan's columns (select.ts). */
  readonly directColumns = new Memo<object, { readonly storedColumns: readonly string[]; readonly columns?: DirectPlan['columns'] }>('plan.direct-columns');
  /** Per statement: its plans by vars (plan-cache.ts). */
  readonly plans = new Memo<object, StatementPlans>('plan.plans');
  /** Per spec pattern: its compiled check (patterns.ts). */
  readonly patterns = new BoundedCache<string, PatternCheck>('plan.patterns', 256);
  /**
   * Per SELECT shape (its text without its strings): what its statements taught (generic-plans.ts).
   * Kept from a shape's second statement: a script's shapes mostly come once, and keeping each one's
   * plan cost planning new shapes ~50 % more in garbage collection (bench plan-new-shapes).
   */
  readonly shapePlans = new BoundedCache<string, ShapeKnowledge>('plan.shape-plans', 256, { admitOnSecondSight: true, secondSightWindow: 64 });
  /** Per rule set: the last value it accepted (statements of one resource repeat their names). */
  readonly accepted = new BoundedCache<ValueRules, string>('plan.accepted-values', 2_000);

  stats(): CacheStats[] {
    return [...this.derivedFromRegistry(), this.shapePlans, this.patterns, this.accepted].map((cache) => cache.stats());
  }

  /** What was derived from the registry's documents no longer holds. */
  registryChanged(): void {
    for (const cache of this.derivedFromRegistry()) cache.clear();
    this.viewsChanged();
  }

  private derivedFromRegistry(): { stats(): CacheStats; clear(): void }[] {
    return [
      this.methods,
      this.baseUrls,
      this.lowerFieldNames,
      this.idPaths,
      this.selectParams,
      this.targets,
      this.statements,
      this.sourceResolutions,
      this.directColumns,
      this.plans,
    ];
  }

  /** A view was made, changed or dropped: a name a learned shape reads may now be that view. */
  viewsChanged(): void {
    this.shapePlans.clear();
  }

  clear(): void {
    this.registryChanged();
    this.patterns.clear();
    this.accepted.clear();
  }
}
