// `--dry-run`: each planned request as one JSON line. No token: Authorization shows the
// scope a token would be fetched for.

import type { MaterializePlan, RegistryAddPlan, RegistryListPlan, RegistryPullPlan, RequestPlan, StatementPlan, ViewChangePlan } from '../plan/types.ts';
import { redactHeaders, redactUrl } from '../exec/redact.ts';

export function renderRequestLine(request: RequestPlan): string {
  const authorization = request.audience ? { authorization: `Bearer <token for ${request.audience}>` } : {};
  const headers = { ...redactHeaders(request.headers), ...authorization };
  return JSON.stringify({ method: request.method, url: redactUrl(request.url), headers, body: request.body === undefined ? null : JSON.parse(request.body) });
}

/** The requests a plan sends up front (a dependent join's are shown with a {param} placeholder). */
export function plannedRequests(plan: StatementPlan): RequestPlan[] {
  const requests: RequestPlan[] = [];
  forEachPlannedRequest(plan, (request) => requests.push(request));
  return requests;
}

/** plannedRequests one by one, without making the list (every statement's notices look at them). */
export function forEachPlannedRequest(plan: StatementPlan, visit: (request: RequestPlan) => void): void {
  if (plan.kind === 'http') {
    for (const request of plan.requests) visit(request);
    return;
  }
  const select = plan.kind === 'select' ? plan : plan.kind === 'insert_select' || plan.kind === 'materialize' ? plan.select : undefined;
  for (const source of select?.sources ?? []) for (const entry of source.requests) visit(entry.request);
}

/** REGISTRY ADD sends nothing but changes the user's registry: a dry run says what it would write. */
export function renderRegistryAddLine(plan: RegistryAddPlan): string {
  return JSON.stringify({
    registry_add: { spec: plan.specFile, service: `${plan.provider}.${plan.service}`, audience: plan.audience ?? null, replaces: plan.replaces },
  });
}

/** CREATE VIEW / DROP VIEW send nothing but change the user's views: a dry run says what would change. */
export function renderViewChangeLine(plan: ViewChangePlan | MaterializePlan): string {
  const materialized = plan.kind === 'materialize' || plan.materialized === true;
  return JSON.stringify({ view: { action: plan.action, name: plan.name, query: plan.query ?? null, ...(materialized && { materialized }) } });
}

/** REGISTRY PULL and LIST read a registry (PULL also writes the user's): a dry run says which, and does neither. */
export function renderRegistryLine(plan: RegistryPullPlan | RegistryListPlan): string {
  if (plan.kind === 'registry_list') return JSON.stringify({ registry_list: { provider: plan.provider ?? null, from: plan.from ?? null } });
  return JSON.stringify({ registry_pull: { provider: plan.provider, version: plan.version ?? null, from: plan.from ?? null, into: plan.into ?? null } });
}
