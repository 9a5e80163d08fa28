// Follows the pages of a planned request (nextLink, continuationToken or Link header), within the page limit;
// a page asked for twice is a loop (HTTP_PAGING_LOOP).

import { EngineError } from '../errors.ts';
import type { RequestPlan } from '../plan/types.ts';
import type { ExecDeps } from './execute.ts';
import type { HttpResponse } from './http.ts';
import { checkNewPage, nextPageRequest, pageKey, type PageRequest } from './paging.ts';
import { parseBody, responseItems } from './responses.ts';
import { sendWithRetries } from './send.ts';

/** `notFoundIsEmpty`: a 404 for the first page is no pages (sourcePages). */
export async function* pages(plan: RequestPlan, deps: ExecDeps, notFoundIsEmpty = false): AsyncGenerator<unknown> {
  const first: PageRequest = { url: plan.url, body: plan.body };
  let page: PageRequest | undefined = first;
  // The pages read so far, made at the second page (most answers are one page).
  let seen: Set<string> | undefined;
  const began = deps.clock.now();
  let rows = 0;
  for (let count = 1; page; count++) {
    const response = count === 1 && notFoundIsEmpty ? await sendOrAbsent(plan, page, deps) : await send(plan, page, deps);
    if (response === undefined) return;
    const body = parseBody(response, { url: page.url, operation: plan.operation });
    if (deps.onProgress) {
      rows += responseItems(body, plan).length;
      if (count > 1) deps.onProgress(listProgress(plan.operation, count, rows, deps.clock.now() - began));
    }
    yield body;
    page = nextPageRequest(plan, page, body, response.headers);
    if (page && deps.maxPages && count >= deps.maxPages) {
      deps.onWarning?.(`${plan.operation}: stopped after ${count} page(s) (page limit ${deps.maxPages}); the result is incomplete`);
      return;
    }
    if (page) checkNewPage(plan, page, (seen ??= new Set([pageKey(first)])), count + 1);
  }
}

/**
 * The pages of a SELECT's source. A resource that does not exist (or a list whose parent does
 * not) answers 404, which a table reads as no rows, as StackQL does: `SELECT count(*) … WHERE name
 * = '…'` is how scripts ask whether something exists. The warning says so. A 404 after the first
 * page is an error: the list changed while it was read, and rows would be missing.
 */
export function sourcePages(plan: RequestPlan, deps: ExecDeps): AsyncGenerator<unknown> {
  return pages(plan, deps, true);
}

/** onlyPage for a SELECT's source: a 404 is no body (no rows), as in sourcePages. */
export function sourceOnlyPage(plan: RequestPlan, deps: ExecDeps): Promise<unknown> {
  return onlyPage(plan, deps).catch((error: unknown) => noneIfNotFound(error, deps));
}

/** Undefined (warned: no rows) for a 404; any other error is thrown again. */
function noneIfNotFound(error: unknown, deps: ExecDeps): undefined {
  if (!(error instanceof EngineError && error.code === 'HTTP_STATUS' && error.details?.status === 404)) throw error;
  deps.onWarning?.(`${error.message}: read as no rows`);
  return undefined;
}

/** The body of a request without pagination: what pages() yields for it, without an async generator per request. */
export function onlyPage(plan: RequestPlan, deps: ExecDeps): Promise<unknown> {
  return sendWithRetries(plan, plan, deps).then((response) => parseBody(response, plan));
}

/** The first page's response, or undefined when what it lists does not exist (404, warned). */
function sendOrAbsent(plan: RequestPlan, page: PageRequest, deps: ExecDeps): Promise<HttpResponse | undefined> {
  return send(plan, page, deps).catch((error: unknown) => noneIfNotFound(error, deps));
}

async function send(plan: RequestPlan, page: PageRequest, deps: ExecDeps): Promise<HttpResponse> {
  return sendWithRetries(plan, { method: page.method ?? plan.method, url: page.url, body: page.body }, deps);
}

/** A long list's progress (from its second page on): pages and rows read, time spent. */
export function listProgress(operation: string, pageCount: number, rows: number, elapsedMs: number): string {
  return `${operation}: ${pageCount} pages, ${rows.toLocaleString('en-US')} rows, ${Math.round(elapsedMs / 1000)} s`;
}
