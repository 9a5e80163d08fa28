// What a plan took from defaults, said to the user once: a param default (a subscription from
// --subscription or paramDefaults), a time window the registry's defaults gave a list.

import type { ParamDefault } from './config.ts';
import { forEachPlannedRequest } from './output/dry-run.ts';
import type { RequestPlan, StatementPlan } from './plan/types.ts';

type Notify = (message: string) => void;

/**
 * Owned by an engine: what it has said already, so a default is said once to each listener, not
 * per statement: once per engine to the engine's own (the CLI's stderr), once per query to a
 * query's own (a server's session, an MCP call, which must each hear of the defaults their rows took).
 */
export class DefaultNotices {
  private readonly said = new WeakMap<Notify, Set<string>>();
  private readonly paramDefaults: Readonly<Record<string, ParamDefault>>;
  private readonly notify: Notify;

  constructor(paramDefaults: Readonly<Record<string, ParamDefault>>, notify: Notify) {
    this.paramDefaults = paramDefaults;
    this.notify = notify;
  }

  /** The param defaults and the narrowing time windows of every request of the plan. */
  ofPlan(plan: StatementPlan, notify: Notify = this.notify): void {
    forEachPlannedRequest(plan, (request) => {
      if (request.paramDefaults) this.ofParams(request.paramDefaults, notify);
      if (request.clockDefaults) this.ofWindow(request.operation, request.clockDefaults, notify);
    });
  }

  /** The param defaults of every request of the plan. */
  ofPlanParams(plan: StatementPlan, notify: Notify = this.notify): void {
    forEachPlannedRequest(plan, (request) => {
      if (request.paramDefaults) this.ofParams(request.paramDefaults, notify);
    });
  }

  private ofParams(names: readonly string[], notify: Notify): void {
    for (const name of names) if (this.firstTime(notify, `default\0${name}`)) notify(paramDefaultNotice(name, this.paramDefaults[name]));
  }

  private ofWindow(operation: string, defaults: NonNullable<RequestPlan['clockDefaults']>, notify: Notify): void {
    // A window that ends now narrows nothing; one that starts at a default time does.
    const narrowing = defaults.filter((entry) => !/^-?PT?0[SMHD]?$/.test(entry.relative));
    if (narrowing.length > 0 && this.firstTime(notify, operation)) notify(defaultWindowNotice(operation, defaults));
  }

  /** Whether the listener has not heard this yet (it has now). */
  private firstTime(notify: Notify, key: string): boolean {
    let said = this.said.get(notify);
    if (!said) this.said.set(notify, (said = new Set()));
    if (said.has(key)) return false;
    if (said.size >= 1_000) said.clear();
    said.add(key);
    return true;
  }
}

function defaultWindowNotice(operation: string, defaults: NonNullable<RequestPlan['clockDefaults']>): string {
  const given = defaults.map((entry) => `${entry.name} = ${entry.value}`).join(', ');
  return `${operation}: not given by the statement, so the registry's defaults apply: ${given} (give them, or a lower bound on a time column, to look elsewhere)`;
}

function paramDefaultNotice(name: string, given: ParamDefault | undefined): string {
  return `${name} not given: using ${given?.value}${given?.from ? ` (from ${given.from})` : ''}; give ${name} in the statement for another`;
}
