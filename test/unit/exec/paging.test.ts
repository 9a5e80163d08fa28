import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { checkNewPage, nextPageRequest, pageKey, type PageRequest } from '../../../src/exec/paging.ts';
import type { RequestPlan } from '../../../src/plan/types.ts';
import { errorOf } from '../../helpers/errors.ts';

const FIRST = 'https://management.azure.com/subscriptions/s/things?api-version=1';

function plan(pagination: RequestPlan['pagination'], extra: Partial<RequestPlan> = {}): RequestPlan {
  return {
    method: 'GET',
    url: FIRST,
    headers: {},
    provider: 'azure',
    audience: 'https://management.azure.com/.default',
    operation: 'azure.svc.things.list',
    expectedStatus: [200],
    itemsPath: 'value',
    pagination,
    longRunning: false,
    idempotent: true,
    ...extra,
  };
}

const nextLink = plan({ kind: 'nextLink', nextLinkName: 'nextLink' });
const continuation = plan(
  { kind: 'continuationToken', tokenField: 'continuationToken' },
  { method: 'POST', url: 'https://ws.dev.azuresynapse.net/queryPipelineRuns', body: '{"lastUpdatedAfter":"a","filters":[]}' },
);

describe('nextLink', () => {
  it('follows a nextLink on the same origin, with GET and without a body', () => {
    const link = 'https://management.azure.com/subscriptions/s/things?api-version=1&$skiptoken=abc';
    expect(nextPageRequest(nextLink, { url: FIRST }, { value: [], nextLink: link })).toEqual({ method: 'GET', url: link });
  });

  it("a POST list (x-ms-pageable) gets its next pages with GET, without the first request's body", () => {
    const postList = plan({ kind: 'nextLink', nextLinkName: 'nextLink' }, { method: 'POST', body: '{"a":1}' });
    const link = 'https://management.azure.com/subscriptions/s/things?page=2';
    expect(nextPageRequest(postList, { url: FIRST, body: '{"a":1}' }, { value: [], nextLink: link })).toEqual({ method: 'GET', url: link });
  });

  it('resolves a relative nextLink against the first request', () => {
    expect(nextPageRequest(nextLink, { url: FIRST }, { value: [], nextLink: '/subscriptions/s/things?page=2' })).toEqual({
      method: 'GET',
      url: 'https://management.azure.com/subscriptions/s/things?page=2',
    });
    expect(nextPageRequest(nextLink, { url: FIRST }, { value: [], nextLink: 'things?page=3' })).toEqual({
      method: 'GET',
      url: 'https://management.azure.com/subscriptions/s/things?page=3',
    });
  });

  it('honours a custom nextLinkName', () => {
    const custom = plan({ kind: 'nextLink', nextLinkName: '@odata.nextLink' });
    expect(nextPageRequest(custom, { url: FIRST }, { '@odata.nextLink': `${FIRST}&p=2` })).toEqual({ method: 'GET', url: `${FIRST}&p=2` });
    expect(nextPageRequest(custom, { url: FIRST }, { nextLink: `${FIRST}&p=2` })).toBeUndefined();
  });

  it('refuses a nextLink to another origin with HTTP_UNTRUSTED_NEXT_LINK', () => {
    for (const link of [
      'https://evil.example.net/steal',
      'http://management.azure.com/subscriptions/s/things', // scheme downgrade
      'https://management.azure.com:8443/subscriptions/s/things', // other port
      'https://management.azure.com.evil.net/x',
      '//evil.example.net/protocol-relative',
    ]) {
      const error = errorOf(() => nextPageRequest(nextLink, { url: FIRST }, { value: [], nextLink: link }));
      expect(error.code, link).toBe('HTTP_UNTRUSTED_NEXT_LINK');
    }
  });

  it('redacts secrets of the refused link in the error details', () => {
    const error = errorOf(() => nextPageRequest(nextLink, { url: FIRST }, { nextLink: 'https://evil.example.net/x?sig=abc&page=2' }));
    expect(String(error.details?.nextLink)).not.toContain('abc');
    expect(String(error.details?.nextLink)).toContain('page=2');
  });

  it('a nextLink that is not a URL is HTTP_BAD_RESPONSE', () => {
    expect(errorOf(() => nextPageRequest(nextLink, { url: FIRST }, { nextLink: 'https://' })).code).toBe('HTTP_BAD_RESPONSE');
  });

  it('stops when the nextLink is absent, empty, null or not a string', () => {
    for (const body of [{ value: [] }, { nextLink: '' }, { nextLink: null }, { nextLink: 5 }, { nextLink: {} }]) {
      expect(nextPageRequest(nextLink, { url: FIRST }, body), JSON.stringify(body)).toBeUndefined();
    }
  });
});

describe('continuationToken', () => {
  it('sends the token back in the POST body, to the same URL, keeping the other properties', () => {
    const next = nextPageRequest(continuation, { url: continuation.url, body: continuation.body }, { value: [], continuationToken: 'tok1' });
    expect(next?.url).toBe(continuation.url);
    expect(next?.method, "the plan's method: POST").toBeUndefined();
    expect(JSON.parse(next!.body!)).toEqual({ lastUpdatedAfter: 'a', filters: [], continuationToken: 'tok1' });
  });

  it('page after page, each body is the first one with the token of that page', () => {
    let page = nextPageRequest(
      continuation,
      { url: continuation.url, body: '{"lastUpdatedAfter":"a","continuationToken":"old"}' },
      { continuationToken: 't2' },
    );
    page = nextPageRequest(continuation, page!, { continuationToken: 't3' });
    expect(JSON.parse(page!.body!)).toEqual({ lastUpdatedAfter: 'a', continuationToken: 't3' });
    page = nextPageRequest(continuation, page!, { continuationToken: 't4' });
    expect(JSON.parse(page!.body!)).toEqual({ lastUpdatedAfter: 'a', continuationToken: 't4' });
    expect(page!.url).toBe(continuation.url);
  });

  it('replaces the previous token', () => {
    const current = { url: continuation.url, body: '{"lastUpdatedAfter":"a","continuationToken":"tok1"}' };
    const next = nextPageRequest(continuation, current, { continuationToken: 'tok2' });
    expect(JSON.parse(next!.body!)).toEqual({ lastUpdatedAfter: 'a', continuationToken: 'tok2' });
  });

  it('starts a body when the request had none', () => {
    const next = nextPageRequest(continuation, { url: continuation.url }, { continuationToken: 'tok' });
    expect(JSON.parse(next!.body!)).toEqual({ continuationToken: 'tok' });
  });

  it('stops when the token is absent, empty, null or not a string', () => {
    for (const body of [{ value: [] }, { continuationToken: '' }, { continuationToken: null }, { continuationToken: 3 }]) {
      expect(nextPageRequest(continuation, { url: continuation.url, body: continuation.body }, body), JSON.stringify(body)).toBeUndefined();
    }
  });
});

describe('no pagination', () => {
  it('a method without pagination has one page', () => {
    expect(nextPageRequest(plan(undefined), { url: FIRST }, { nextLink: `${FIRST}&p=2` })).toBeUndefined();
  });

  it('an empty or non-object body has no next page', () => {
    for (const body of [undefined, null, 'text', 5, true]) expect(nextPageRequest(nextLink, { url: FIRST }, body)).toBeUndefined();
  });
});

describe('paging loops', () => {
  /** Checks `pages` in turn as a list would, after its first page: the error, or undefined. */
  function follow(list: RequestPlan, pages: readonly PageRequest[]): EngineError | undefined {
    const seen = new Set([pageKey({ url: list.url, body: list.body })]);
    try {
      pages.forEach((page, index) => checkNewPage(list, page, seen, index + 2));
      return undefined;
    } catch (error) {
      return error as EngineError;
    }
  }

  it('new pages pass', () => {
    expect(follow(nextLink, [{ url: `${FIRST}&p=2` }, { url: `${FIRST}&p=3` }])).toBeUndefined();
    expect(
      follow(continuation, [
        { url: continuation.url, body: '{"continuationToken":"a"}' },
        { url: continuation.url, body: '{"continuationToken":"b"}' },
      ]),
    ).toBeUndefined();
  });

  it('a nextLink back to the first page, to itself or in a cycle is HTTP_PAGING_LOOP naming the operation and page', () => {
    const self = follow(nextLink, [{ url: FIRST }]);
    expect(self?.code).toBe('HTTP_PAGING_LOOP');
    expect(self?.message).toMatch(/^azure\.svc\.things\.list: page 2 repeats an earlier page/);
    expect(follow(nextLink, [{ url: `${FIRST}&p=2` }, { url: `${FIRST}&p=2` }])?.message).toMatch(/page 3 /);
    const cycle = follow(nextLink, [{ url: `${FIRST}&p=A` }, { url: `${FIRST}&p=B` }, { url: `${FIRST}&p=A` }]);
    expect(cycle?.code).toBe('HTTP_PAGING_LOOP');
    expect(cycle?.details).toMatchObject({ page: 4, pagination: 'nextLink' });
  });

  it('compares normalised absolute URLs', () => {
    const page2 = nextPageRequest(nextLink, { url: FIRST }, { nextLink: '/subscriptions/s/things?api-version=1' })!;
    expect(follow(nextLink, [page2])?.code).toBe('HTTP_PAGING_LOOP');
    expect(follow(nextLink, [{ url: 'HTTPS://Management.Azure.com:443/subscriptions/s/things?api-version=1' }])?.code).toBe('HTTP_PAGING_LOOP');
  });

  it('a continuation token seen before is HTTP_PAGING_LOOP, and its value is not shown', () => {
    const token = (value: string) => nextPageRequest(continuation, { url: continuation.url, body: continuation.body }, { continuationToken: value })!;
    const error = follow(continuation, [token('secret-a'), token('secret-b'), token('secret-a')]);
    expect(error?.code).toBe('HTTP_PAGING_LOOP');
    expect(error?.message).toMatch(/page 4 .*same continuationToken/);
    expect(error?.message).not.toContain('secret');
  });

  it('redacts secrets of a repeated nextLink', () => {
    const error = follow(nextLink, [{ url: `${FIRST}&sig=abc` }, { url: `${FIRST}&sig=abc` }]);
    expect(error?.message).not.toContain('abc');
  });
});

describe('Link header (RFC 8288, GitHub)', () => {
  const linkHeader = plan({ kind: 'linkHeader' }, { url: 'https://api.github.com/repos/o/r/contributors', itemsPath: undefined });
  const page2 = 'https://api.github.com/repositories/1/contributors?page=2';

  it('follows rel="next" with GET, whatever else the header lists', () => {
    const header = `<${page2}>; rel="next", <https://api.github.com/repositories/1/contributors?page=9>; rel="last"`;
    expect(nextPageRequest(linkHeader, { url: linkHeader.url }, [], { link: header })).toEqual({ method: 'GET', url: page2 });
    expect(
      nextPageRequest(linkHeader, { url: linkHeader.url }, [], { link: `<https://api.github.com/x?page=1>; rel="prev first", <${page2}>; rel=next` }),
    ).toEqual({ method: 'GET', url: page2 });
  });

  it('ends without a next link, or without the header', () => {
    expect(nextPageRequest(linkHeader, { url: linkHeader.url }, [], { link: '<https://api.github.com/x?page=1>; rel="prev"' })).toBeUndefined();
    expect(nextPageRequest(linkHeader, { url: linkHeader.url }, [], {})).toBeUndefined();
  });

  it('keeps the same-origin rule', () => {
    const error = errorOf(() => nextPageRequest(linkHeader, { url: linkHeader.url }, [], { link: '<https://evil.example.net/x>; rel="next"' }));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('HTTP_UNTRUSTED_NEXT_LINK');
  });
});
