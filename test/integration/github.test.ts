// A provider that is not Azure, pulled from a StackQL registry: its bearer token, its Link-header
// paging, and where its token may go. A made-up GitHub-like provider (test/fixtures) always runs;
// StackQL's own GitHub provider (../shared) runs when the shared folder is there.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../src/index.ts';
import { plannedRequests } from '../../src/output/dry-run.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';
import { needsShared, sharedDocumentCache, sharedPath } from '../helpers/shared.ts';

const shared = needsShared("StackQL's GitHub provider");
const HUB_REGISTRY = fileURLToPath(new URL('../fixtures/stackql-registry-hub/', import.meta.url));
const TOKEN = 'ghp_0123456789abcdefTOKEN';

/** Three pages of contributors, linked as GitHub links them (relative to the server's own origin). */
function contributorPages(path: string) {
  return http.get(`*${path}`, ({ request }) => {
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page') ?? '1');
    const link = (n: number, rel: string) => `<${url.origin}${path}?page=${n}>; rel="${rel}"`;
    const links = page < 3 ? [link(page + 1, 'next'), link(3, 'last')] : [link(1, 'first')];
    return HttpResponse.json(
      [
        { login: `user-${page}a`, contributions: 10 * page },
        { login: `user-${page}b`, contributions: page },
      ],
      { headers: { link: links.join(', ') } },
    );
  });
}

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer([contributorPages('/repos/stackql/stackql/contributors')]);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

async function pulled(registry: string, provider: string, extra: (origin: string) => EngineOptions) {
  const root = mkdtempSync(join(tmpdir(), 'skyql-github-'));
  const cacheDir = registry === HUB_REGISTRY ? join(root, 'cache') : sharedDocumentCache();
  const engine = createEngine({ userRegistry: join(root, 'providers'), cacheDir, registry: { url: pathToFileURL(registry).href }, ...extra(server.origin) });
  await engine.query(`REGISTRY PULL ${provider}`);
  return engine;
}

const bearer =
  (provider: string) =>
  (origin: string): EngineOptions => ({
    auth: { [provider]: { type: 'bearer', credentialsenvvar: 'HUB_TOKEN' } },
    env: { HUB_TOKEN: TOKEN },
    endpoints: { [provider]: origin },
  });

describe('a pulled provider with a bearer token and Link-header paging', () => {
  it('reads every page the Link header points to, each with the token', async () => {
    const engine = await pulled(HUB_REGISTRY, 'hub', bearer('hub'));
    const result = await engine.query(
      "SELECT login, contributions FROM hub.repos.contributors WHERE owner = 'stackql' AND repo = 'stackql' ORDER BY contributions DESC",
    );
    expect(result.rows.map((row) => row.login)).toEqual(['user-3a', 'user-2a', 'user-1a', 'user-3b', 'user-2b', 'user-1b']);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/repos/stackql/stackql/contributors',
      '/repos/stackql/stackql/contributors?page=2',
      '/repos/stackql/stackql/contributors?page=3',
    ]);
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    await engine.close();
  });

  it('api_key and basic credentials travel as StackQL sends them', async () => {
    const apiKey = await pulled(HUB_REGISTRY, 'hub', (origin) => ({
      auth: { hub: { type: 'api_key', credentialsenvvar: 'K', valuePrefix: 'token ' } },
      env: { K: 'key-123' },
      endpoints: { hub: origin },
    }));
    await apiKey.query("SELECT login FROM hub.repos.contributors WHERE owner = 'stackql' AND repo = 'stackql'");
    expect(server.requests[0].headers.authorization).toBe('token key-123');
    server.reset();
    const basic = await pulled(HUB_REGISTRY, 'hub', (origin) => ({
      auth: { hub: { type: 'basic', username_var: 'U', password_var: 'P' } },
      env: { U: 'octocat', P: 'pw' },
      endpoints: { hub: origin },
    }));
    await basic.query("SELECT login FROM hub.repos.contributors WHERE owner = 'stackql' AND repo = 'stackql'");
    expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('octocat:pw').toString('base64')}`);
  });

  it('a next link to another origin ends the list with an error, and the token never goes there', async () => {
    server.use(
      http.get('*/repos/evil/repo/contributors', () => HttpResponse.json([], { headers: { link: '<https://evil.example.net/steal?page=2>; rel="next"' } })),
    );
    const engine = await pulled(HUB_REGISTRY, 'hub', bearer('hub'));
    await expect(engine.query("SELECT login FROM hub.repos.contributors WHERE owner = 'evil' AND repo = 'repo'")).rejects.toMatchObject({
      code: 'HTTP_UNTRUSTED_NEXT_LINK',
    });
    expect(server.requests).toHaveLength(1);
  });

  it("the token may reach the pulled document's servers (https) and nothing else; an Azure token never reaches them", async () => {
    const engine = await pulled(HUB_REGISTRY, 'hub', () => ({ auth: { hub: { type: 'bearer', credentialsenvvar: 'HUB_TOKEN' } } }));
    const [planned] = engine.plan("SELECT login FROM hub.repos.contributors WHERE owner = 'o' AND repo = 'r'");
    const [request] = plannedRequests(planned.plan);
    expect(request).toMatchObject({ url: 'https://api.hub.example/repos/o/r/contributors', provider: 'hub', credentialOrigins: ['https://api.hub.example'] });
    const azureSigned = await pulled(HUB_REGISTRY, 'hub', () => ({ credential: fakeCredential() }));
    expect(() => azureSigned.plan("SELECT login FROM hub.repos.contributors WHERE owner = 'o' AND repo = 'r'")).toThrow(
      expect.objectContaining({ code: 'AUTH_UNTRUSTED_HOST' }),
    );
  });

  it('a provider without an --auth entry sends no credential, whatever its provider.yaml says', async () => {
    const engine = await pulled(HUB_REGISTRY, 'hub', (origin) => ({ env: { HUB_TOKEN: TOKEN }, endpoints: { hub: origin } }));
    await expect(engine.query("SELECT login FROM hub.repos.contributors WHERE owner = 'stackql' AND repo = 'stackql'")).rejects.toMatchObject({
      code: 'AUTH_NO_CREDENTIAL',
    });
    expect(server.requests).toHaveLength(0);
  });
});

shared.describe("StackQL's GitHub provider (../shared/stackql-registry/2026-08)", () => {
  shared.it('github.repos.contributors: pulled, planned as StackQL plans it, every Link page read with the bearer token', async () => {
    const engine = await pulled(sharedPath('stackql-registry', '2026-08'), 'github', bearer('github'));
    const result = await engine.query("SELECT login, contributions FROM github.repos.contributors WHERE owner = 'stackql' AND repo = 'stackql'");
    expect(result.rows).toHaveLength(6);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/repos/stackql/stackql/contributors',
      '/repos/stackql/stackql/contributors?page=2',
      '/repos/stackql/stackql/contributors?page=3',
    ]);
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    await engine.close();
  });
});
