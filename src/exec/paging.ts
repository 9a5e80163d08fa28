// Pure decisions about the next page: ARM's nextLink, ADF/Synapse's continuationToken and the
// RFC 8288 Link header (GitHub).

import { EngineError } from '../errors.ts';
import type { RequestPlan } from '../plan/types.ts';
import type { HttpMethod } from '../registry/types.ts';
import { redactUrl } from './redact.ts';

export interface PageRequest {
  /** Absent: the plan's method. A nextLink is always fetched with GET (x-ms-pageable), even after a POST. */
  readonly method?: HttpMethod;
  readonly url: string;
  readonly body?: string;
  /** The first page's body parsed (continuation-token lists): each next page adds its token to it without parsing again. */
  readonly bodyFields?: Readonly<Record<string, unknown>>;
}

/** The request for the page after `body` (and its response headers), or undefined when this was the last page. */
export function nextPageRequest(
  plan: RequestPlan,
  current: PageRequest,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): PageRequest | undefined {
  const pagination = plan.pagination;
  if (pagination?.kind === 'linkHeader') {
    const link = nextLinkOf(headers.link);
    return link === undefined ? undefined : { method: 'GET', url: checkSameOrigin(plan, link) };
  }
  if (!pagination || !body || typeof body !== 'object') return undefined;
  if (pagination.kind === 'nextLink') {
    const link = (body as Record<string, unknown>)[pagination.nextLinkName];
    return typeof link === 'string' && link !== '' ? { method: 'GET', url: checkSameOrigin(plan, link) } : undefined;
  }
  const token = (body as Record<string, unknown>)[pagination.tokenField];
  if (typeof token !== 'string' || token === '') return undefined;
  const bodyFields = current.bodyFields ?? (current.body ? JSON.parse(current.body) : {});
  return { url: current.url, body: JSON.stringify({ ...bodyFields, [pagination.tokenField]: token }), bodyFields };
}

/**
 * The `rel="next"` target of a Link header (`<https://…?page=2>; rel="next", <…>; rel="last"`).
 * Read link by link, without a regular expression over the whole header: a server sends it.
 */
export function nextLinkOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const link of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(link);
    if (match?.[2].split(';').some((param) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1].split(/\s+/).includes('next'))) return match[1];
  }
  return undefined;
}

/**
 * A list that asks for a page it already read would never end: an error, never a quiet stop
 * that passes off part of the list as all of it. `seen` holds the pages read so far; `next` is
 * recorded in it. Pages compare by absolute URL and body (where a continuation token travels).
 */
export function checkNewPage(plan: RequestPlan, next: PageRequest, seen: Set<string>, pageNumber: number): void {
  const key = pageKey(next);
  if (!seen.has(key)) return void seen.add(key);
  const repeated = plan.pagination?.kind === 'continuationToken' ? `same ${plan.pagination.tokenField}` : `same next link ${redactUrl(next.url)}`;
  throw new EngineError('HTTP_PAGING_LOOP', `${plan.operation}: page ${pageNumber} repeats an earlier page (${repeated}); the list would never end`, {
    details: { page: pageNumber, pagination: plan.pagination?.kind },
  });
}

export function pageKey(page: PageRequest): string {
  const url = new URL(page.url).href;
  return page.body === undefined ? url : `${url} ${page.body}`;
}

/** A nextLink is followed only on the origin of the first request: the token must never go elsewhere. */
function checkSameOrigin(plan: RequestPlan, link: string): string {
  let next: URL;
  try {
    next = new URL(link, plan.url);
  } catch {
    throw new EngineError('HTTP_BAD_RESPONSE', `${plan.operation}: nextLink "${link}" is not a URL`);
  }
  if (next.origin !== new URL(plan.url).origin) {
    throw new EngineError(
      'HTTP_UNTRUSTED_NEXT_LINK',
      `${plan.operation}: refusing to follow nextLink to ${next.origin} (the list came from ${new URL(plan.url).origin})`,
      {
        details: { nextLink: redactUrl(next.toString()) },
      },
    );
  }
  return next.toString();
}
