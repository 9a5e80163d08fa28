// Sends one planned request with its token and follows its pages; every response passes
// through here, so this is where exchanges are reported and statuses checked.

import type { RequestPlan } from '../plan/types.ts';
import type { ExecDeps } from './execute.ts';
import type { HttpResponse } from './http.ts';
import { nextPageRequest, type PageRequest } from './paging.ts';
import { parseBody, statusError } from './responses.ts';

export async function* pages(plan: RequestPlan, deps: ExecDeps): AsyncGenerator<unknown> {
  let page: PageRequest | undefined = { url: plan.url, body: plan.body };
  for (let count = 1; page; count++) {
    const response = await send(plan, page, deps);
    const body = parseBody(response, { url: page.url, operation: plan.operation });
    yield body;
    page = nextPageRequest(plan, page, body);
    if (page && deps.maxPages && count >= deps.maxPages) {
      deps.onWarning?.(`${plan.operation}: stopped after ${count} page(s) (page limit ${deps.maxPages}); the result is incomplete`);
      return;
    }
  }
}

async function send(plan: RequestPlan, page: PageRequest, deps: ExecDeps): Promise<HttpResponse> {
  deps.signal?.throwIfAborted?.();
  // A service without an audience (an API added from a public OpenAPI document) takes no token.
  const authorization: Record<string, string> = plan.audience ? { authorization: `Bearer ${await deps.tokens(plan.provider).token(plan.audience, deps.signal)}` } : {};
  const started = performance.now();
  const response = await deps.http.send({
    method: plan.method,
    url: page.url,
    headers: { ...plan.headers, ...authorization },
    body: page.body,
    signal: deps.signal,
  });
  deps.onExchange?.({ method: plan.method, url: page.url, status: response.status, durationMs: performance.now() - started, requestId: response.headers['x-ms-request-id'] });
  // A 2xx the spec did not list (e.g. 204 for an empty DELETE) still means success.
  const success = plan.expectedStatus.includes(response.status) || (response.status >= 200 && response.status < 300);
  if (!success) throw statusError(response, plan, page.url);
  return response;
}

