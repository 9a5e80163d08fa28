// msw handlers served from a real node:http server on 127.0.0.1, so the production undici
// path (sockets, keep-alive, headers) is what the tests exercise. A handler that throws (or
// rejects) is answered at once with a 500 naming the error, and recorded in `failures`: a test
// then fails fast and says why, instead of waiting out its timeout for an answer that never comes.

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

export interface HandlerFailure {
  readonly request: RecordedRequest;
  /** The error the handler threw, as `Name: message`. */
  readonly error: string;
}

export interface MockServer {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Requests no handler answered (they get a 501). */
  readonly unhandled: RecordedRequest[];
  /** Requests whose handler threw or rejected (they get a 500 naming the error). */
  readonly failures: HandlerFailure[];
  use(...handlers: RequestHandler[]): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startMockServer(initialHandlers: readonly RequestHandler[]): Promise<MockServer> {
  let handlers = [...initialHandlers];
  const requests: RecordedRequest[] = [];
  const unhandled: RecordedRequest[] = [];
  const failures: HandlerFailure[] = [];
  const server = createServer((req, res) => {
    void answer(req, res, handlers, { requests, unhandled, failures });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    unhandled,
    failures,
    use: (...extra) => {
      handlers = [...extra, ...handlers];
    },
    reset: () => {
      handlers = [...initialHandlers];
      requests.length = 0;
      unhandled.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Records {
  readonly requests: RecordedRequest[];
  readonly unhandled: RecordedRequest[];
  readonly failures: HandlerFailure[];
}

async function answer(req: IncomingMessage, res: ServerResponse, handlers: RequestHandler[], records: Records): Promise<void> {
  let recorded: RecordedRequest | undefined;
  try {
    const body = await readBody(req);
    recorded = record(req, body);
    records.requests.push(recorded);
    await respond(req, res, handlers, recorded, records);
  } catch (error) {
    const failure = { request: recorded ?? record(req, ''), error: describeError(error) };
    records.failures.push(failure);
    if (res.headersSent) return void req.socket.destroy();
    // retry-after-ms: 0 lets a client that retries 500s do so at once: the handler fails the same way each time.
    res
      .writeHead(500, { 'content-type': 'application/json', 'retry-after-ms': '0', 'x-ms-request-id': 'mock-handler-failed' })
      .end(JSON.stringify({ error: { code: 'MockHandlerFailed', message: `the mock's handler for ${req.method} ${req.url} failed: ${failure.error}` } }));
  }
}

async function respond(req: IncomingMessage, res: ServerResponse, handlers: RequestHandler[], recorded: RecordedRequest, records: Records): Promise<void> {
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers: recorded.headers,
    body: ['GET', 'HEAD'].includes(req.method ?? 'GET') || recorded.body === '' ? undefined : recorded.body,
  });
  const response = await getResponse(handlers, request);
  if (!response) {
    records.unhandled.push(recorded);
    res
      .writeHead(501, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { code: 'Unhandled', message: `no handler for ${req.method} ${req.url}` } }));
    return;
  }
  // HttpResponse.error() stands for a dropped connection.
  if (response.type === 'error') return void req.socket.destroy();
  const payload = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(payload);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
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
