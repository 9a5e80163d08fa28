import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { createUndiciClient, DEFAULT_TIMEOUTS, type HttpClient, type HttpTimeouts } from '../../../src/exec/http.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly socket: Socket;
}

let server: Server;
let origin: string;
let handler: Handler;
const seen: Seen[] = [];
const clients: HttpClient[] = [];
const timers = new Set<NodeJS.Timeout>();

function later(ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    fn();
  }, ms);
  timers.add(timer);
}

function client(timeouts: Partial<HttpTimeouts> = { connectMs: 1_000, headersMs: 1_000, bodyMs: 1_000 }, maxResponseBytes?: number): HttpClient {
  const created = createUndiciClient(timeouts, maxResponseBytes);
  clients.push(created);
  return created;
}

async function rejectionOf(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: req.socket });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  await Promise.all(clients.splice(0).map((created) => created.close()));
  server.closeAllConnections();
  seen.length = 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createUndiciClient', () => {
  it('round-trips method, path, query, headers and body', async () => {
    handler = (_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Ms-Request-Id': 'req-1' });
      res.end('{"ok":true}');
    };
    const response = await client().send({
      method: 'POST',
      url: `${origin}/a/b%20c?x=1&y=%C3%A9`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: '{"k":"v"}',
    });
    expect(response).toEqual({
      status: 201,
      headers: expect.objectContaining({ 'content-type': 'application/json', 'x-ms-request-id': 'req-1' }),
      body: '{"ok":true}',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/a/b%20c?x=1&y=%C3%A9', body: '{"k":"v"}' });
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer t' });
  });

  it('returns error statuses instead of throwing', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"NotFound"}}');
    };
    const response = await client().send({ method: 'GET', url: `${origin}/missing`, headers: {} });
    expect(response.status).toBe(404);
    expect(response.body).toBe('{"error":{"code":"NotFound"}}');
  });

  it('an empty body is the empty string', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    expect((await client().send({ method: 'DELETE', url: `${origin}/x`, headers: {} })).body).toBe('');
  });

  it('joins repeated response headers and lower-cases names', async () => {
    handler = (_req, res) => {
      res.setHeader('X-Multi', ['a', 'b']);
      res.end('{}');
    };
    const response = await client().send({ method: 'GET', url: `${origin}/`, headers: {} });
    expect(response.headers['x-multi']).toBe('a, b');
    expect(Object.keys(response.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('reuses one keep-alive connection for consecutive requests', async () => {
    handler = (_req, res) => res.end('{}');
    const http = client();
    await http.send({ method: 'GET', url: `${origin}/one`, headers: {} });
    // undici frees the connection a tick after the body is read; without this turn of the
    // event loop the pool opens a second connection (see the next test).
    await new Promise((resolve) => setImmediate(resolve));
    await http.send({ method: 'POST', url: `${origin}/two`, headers: {}, body: '{}' });
    expect(seen.map((request) => request.url)).toEqual(['/one', '/two']);
    expect(seen[1].socket).toBe(seen[0].socket);
  });

  it('back-to-back requests stay on a small set of kept-alive connections', async () => {
    handler = (_req, res) => res.end('{}');
    const http = client();
    for (let i = 0; i < 6; i++) await http.send({ method: 'GET', url: `${origin}/${i}`, headers: {} });
    expect(seen).toHaveLength(6);
    expect(new Set(seen.map((request) => request.socket)).size).toBeLessThanOrEqual(2);
  });

  it('connection refused is HTTP_NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejectionOf(client().send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }));
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.details).toMatchObject({ host: `127.0.0.1:${port}` });
  });

  // undici checks these timeouts on its coarse (~0.5 s) timer wheel, so the server never
  // answers rather than answering late; afterEach closes the hanging connections.
  it('no response headers within headersMs is HTTP_TIMEOUT', async () => {
    handler = () => {};
    const error = await rejectionOf(client({ connectMs: 1_000, headersMs: 40, bodyMs: 1_000 }).send({ method: 'GET', url: `${origin}/slow`, headers: {} }));
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.details).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('a body that stalls longer than bodyMs is HTTP_TIMEOUT', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    };
    const error = await rejectionOf(client({ connectMs: 1_000, headersMs: 1_000, bodyMs: 40 }).send({ method: 'GET', url: `${origin}/stall`, headers: {} }));
    expect(error.code).toBe('HTTP_TIMEOUT');
  });

  it('aborting the signal mid-request is HTTP_ABORTED', async () => {
    handler = (_req, res) => later(250, () => res.end('{}'));
    const controller = new AbortController();
    const pending = client().send({ method: 'GET', url: `${origin}/slow`, headers: {}, signal: controller.signal });
    later(20, () => controller.abort());
    expect((await rejectionOf(pending)).code).toBe('HTTP_ABORTED');
  });

  it('an already aborted signal is HTTP_ABORTED', async () => {
    handler = (_req, res) => res.end('{}');
    const error = await rejectionOf(client().send({ method: 'GET', url: `${origin}/`, headers: {}, signal: AbortSignal.abort() }));
    expect(error.code).toBe('HTTP_ABORTED');
  });

  it('strips a UTF-8 byte order mark and joins multi-byte characters split across chunks', async () => {
    handler = (_req, res) => {
      const text = Buffer.from('\ufeff{"name":"é€"}');
      res.write(text.subarray(0, 12));
      later(10, () => res.end(text.subarray(12)));
    };
    expect((await client().send({ method: 'GET', url: `${origin}/`, headers: {} })).body).toBe('{"name":"é€"}');
  });

  it('times a whole exchange out after totalMs (300 s by default), however steadily the body trickles', async () => {
    expect(DEFAULT_TIMEOUTS.totalMs).toBe(300_000);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    };
    const error = await rejectionOf(client({ headersMs: 1_000, bodyMs: 1_000, totalMs: 150 }).send({ method: 'GET', url: `${origin}/trickle`, headers: {} }));
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.details).toMatchObject({ phase: 'total', stage: 'request', timeoutMs: 150 });
    expect(error.message).toMatch(/total timeout/);
  });

  it("the caller's abort during a trickling body is HTTP_ABORTED, not a timeout", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    };
    const controller = new AbortController();
    const pending = client({ totalMs: 5_000 }).send({ method: 'GET', url: `${origin}/trickle`, headers: {}, signal: controller.signal });
    later(60, () => controller.abort());
    expect((await rejectionOf(pending)).code).toBe('HTTP_ABORTED');
  });

  it('close() without any request resolves', async () => {
    await expect(createUndiciClient().close()).resolves.toBeUndefined();
  });
});

describe('response size cap', () => {
  it('reads a body of exactly the cap', async () => {
    handler = (_req, res) => res.end('x'.repeat(1_000));
    expect((await client({}, 1_000).send({ method: 'GET', url: `${origin}/`, headers: {} })).body).toHaveLength(1_000);
  });

  it('refuses a Content-Length above the cap before reading, naming the host and the limit', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.write('x'.repeat(100));
    };
    const error = await rejectionOf(client({}, 1_000).send({ method: 'GET', url: `${origin}/big`, headers: {} }));
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(error.message).toContain(origin.replace('http://', ''));
    expect(error.message).toContain('1000');
    expect(error.details).toMatchObject({ maxBytes: 1_000, contentLength: 5_000 });
    expect(error.hint).toMatch(/--max-response-bytes/);
  });

  it('cuts off a body without a length as soon as it passes the cap, and closes the connection', async () => {
    let closed = false;
    handler = (_req, res) => {
      res.on('close', () => {
        closed = true;
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('x'.repeat(600));
      later(20, () => res.write('x'.repeat(600)));
    };
    const error = await rejectionOf(client({}, 1_000).send({ method: 'GET', url: `${origin}/chunked`, headers: {} }));
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(error.details).toMatchObject({ maxBytes: 1_000 });
    while (!closed) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('a HEAD response announces a length it does not send: no error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.end();
    };
    expect((await client({}, 1_000).send({ method: 'HEAD', url: `${origin}/`, headers: {} })).status).toBe(200);
  });
});
