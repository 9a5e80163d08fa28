// What the exec stage needs to run a plan without an engine: a transport that serves pages from
// memory, and dependencies with no clock, no pacing and one attempt per request.

import type { HttpClient, HttpRequest } from '../../src/index.ts';
import type { ExecDeps } from '../../src/exec/execute.ts';
import { RateLimiter } from '../../src/exec/rate-limit.ts';
import { SqliteAnswers } from '../../src/exec/sql-values.ts';
import { SourceLayouts } from '../../src/exec/source-layouts.ts';
import { CredentialHosts } from '../../src/registry/credential-hosts.ts';

/** Serves the items in pages, following continuationToken (`p1`, `p2`, …) like queryPipelineRuns. */
export function pagedClient(pages: readonly unknown[][]): HttpClient {
  return {
    async send(request: HttpRequest) {
      const token = request.body ? JSON.parse(request.body).continuationToken : undefined;
      const index = token ? Number(String(token).slice(1)) : 0;
      const body = { value: pages[index] ?? [], ...(index + 1 < pages.length ? { continuationToken: `p${index + 1}` } : {}) };
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    },
    async close() {},
  };
}

export function depsFor(http: HttpClient): ExecDeps {
  const clock = { now: () => 0, sleep: async () => {} };
  const answers = new SqliteAnswers();
  return {
    http,
    clock,
    random: () => 0.5,
    lroPollMs: 1,
    tokens: () => ({ token: async () => 'token', cached: () => 'token' }),
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1 },
    limiter: new RateLimiter(clock, 32, false),
    hosts: new CredentialHosts(),
    answers,
    layouts: new SourceLayouts(answers),
    requests: {
      fromTemplate: () => {
        throw new Error('no templates here');
      },
    },
  };
}
