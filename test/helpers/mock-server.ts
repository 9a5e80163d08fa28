// msw handlers served from a real node:http server on 127.0.0.1, so the production undici
// path (sockets, keep-alive, headers) is what the tests exercise.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface MockServer {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Requests no handler answered (they get a 501). */
  readonly unhandled: RecordedRequest[];
  use(...handlers: RequestHandler[]): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startMockServer(initialHandlers: readonly RequestHandler[]): Promise<MockServer> {
  let handlers = [...initialHandlers];
  const requests: RecordedRequest[] = [];
  const unhandled: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void answer(req, res, handlers, requests, unhandled);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    unhandled,
    use: (...extra) => { handlers = [...extra, ...handlers]; },
    reset: () => { handlers = [...initialHandlers]; requests.length = 0; unhandled.length = 0; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, handlers: RequestHandler[], requests: RecordedRequest[], unhandled: RecordedRequest[]): Promise<void> {
  const body = await readBody(req);
  const recorded = record(req, body);
  requests.push(recorded);
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers: recorded.headers,
    body: ['GET', 'HEAD'].includes(req.method ?? 'GET') || body === '' ? undefined : body,
  });
  const response = await getResponse(handlers, request);
  if (!response) {
    unhandled.push(recorded);
    res.writeHead(501, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'Unhandled', message: `no handler for ${req.method} ${req.url}` } }));
    return;
  }
  // HttpResponse.error() stands for a dropped connection.
  if (response.type === 'error') return void req.socket.destroy();
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function record(req: IncomingMessage, body: string): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  return { method: req.method ?? '', path: req.url ?? '', headers, body };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
