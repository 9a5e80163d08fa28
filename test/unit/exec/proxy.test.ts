// HTTPS_PROXY, HTTP_PROXY and NO_PROXY from the engine's env: a tiny proxy on 127.0.0.1 records
// what reaches it. An https request goes through CONNECT, so the proxy sees a host and a port,
// never the token; loopback hosts are reached directly.

import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { proxySettings } from '../../../src/exec/http.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const TOKEN = 'proxy-test-token-0123456789';
const credential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };

interface Seen {
  readonly kind: 'connect' | 'request';
  readonly target: string;
  readonly raw: string;
}

let proxy: Server;
let proxyUrl: string;
const seen: Seen[] = [];
let mock: MockServer;

beforeAll(async () => {
  proxy = createServer((request, response) => {
    seen.push({ kind: 'request', target: request.url ?? '', raw: JSON.stringify(request.headers) });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [{ subscriptionId: 'via-proxy', displayName: 'Proxied' }] }));
  });
  // No network here: a CONNECT is recorded and refused, never tunnelled.
  proxy.on('connect', (request, socket: Socket, head: Buffer) => {
    seen.push({ kind: 'connect', target: request.url ?? '', raw: JSON.stringify(request.headers) + head.toString('latin1') });
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  mock = await startMockServer([http.get('*/subscriptions', () => HttpResponse.json({ value: [{ subscriptionId: 'direct' }] }))]);
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await mock.close();
});
beforeEach(() => {
  seen.length = 0;
  mock.reset();
});

const SQL = 'SELECT subscriptionId FROM azure.subscriptions.subscriptions';

describe('proxies from the environment', () => {
  it('HTTPS_PROXY: an https request opens a CONNECT tunnel to the host; the proxy never sees the token', async () => {
    const engine = createEngine({ credential, env: { HTTPS_PROXY: proxyUrl }, retry: { maxAttempts: 1 } });
    const error = await engine.query(SQL).catch((caught) => caught);
    await engine.close();
    expect(error.code).toBe('HTTP_NETWORK');
    expect(seen.map((entry) => `${entry.kind} ${entry.target}`)).toEqual(['connect management.azure.com:443']);
    expect(seen[0].raw).not.toContain(TOKEN);
  });

  it('HTTP_PROXY (lower case too): a plain-http request goes to the proxy with its absolute URL', async () => {
    const engine = createEngine({ credential, env: { http_proxy: proxyUrl }, endpoints: { azure: 'http://127.0.0.2:9' } });
    const { rows } = await engine.query(SQL);
    await engine.close();
    expect(rows).toEqual([{ subscriptionId: 'via-proxy' }]);
    expect(seen.map((entry) => `${entry.kind} ${entry.target.replace(/\?.*/, '')}`)).toEqual(['request http://127.0.0.2:9/subscriptions']);
  });

  it('NO_PROXY, and loopback hosts always, are reached directly', async () => {
    const direct = createEngine({ credential, env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl }, endpoints: { azure: mock.origin } });
    expect((await direct.query(SQL)).rows).toEqual([{ subscriptionId: 'direct' }]);
    await direct.close();
    expect(seen).toEqual([]);
    expect(proxySettings({ HTTPS_PROXY: proxyUrl, NO_PROXY: '.corp.example' })).toEqual({
      httpProxy: '',
      httpsProxy: proxyUrl,
      noProxy: '.corp.example,localhost,127.0.0.1,[::1]',
    });
    expect(proxySettings({ NO_PROXY: '*' })).toBeUndefined();
  });
});
