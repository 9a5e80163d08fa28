// Hostile servers: skyql runs .sql files other people wrote against servers that may be hostile,
// so every resource a statement can spend is bounded and ends in a coded error. These servers are
// real node:http servers on 127.0.0.1 (msw cannot trickle or stream forever). Each test failed on
// the code before the bounds: by hanging into its timeout, by a wrong code, or by an exit 0.
//
// No test asserts a duration: a hang shows as the test's own timeout. Where a base-code failure
// would run forever, the server stops after a safety valve so the failure is a wrong result.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { createEngine, type EngineError, type Engine, type EngineOptions } from '../../src/index.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { rejectionOf } from '../helpers/errors.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface HostileServer {
  readonly origin: string;
  readonly requests: { readonly method: string; readonly path: string; readonly body: string }[];
  /** Response body bytes the server handed to its sockets before the client went away. */
  bytesWritten: number;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
/** A body "without end" stops here, so that code without a size cap fails instead of eating all memory. */
const ENDLESS_VALVE_BYTES = 128 * MiB;
/** A paging loop stops after this many pages, so that code without loop detection ends (with exit 0). */
const LOOP_VALVE_PAGES = 200;
/** Bytes in flight on a loopback connection (socket buffers) beyond what the client chose to read. */
const SOCKET_SLACK_BYTES = 16 * MiB;
const HOSTILE_TEST_MS = 15_000;

const LIST_FACTORIES = "SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's'";
const FACTORIES_PATH = '/subscriptions/s/providers/Microsoft.DataFactory/factories';
const LIST_RUNS = "SELECT runId FROM azure.data_factory.pipeline_runs WHERE subscriptionId='s' AND resourceGroupName='rg' AND factoryName='fac'";
const DELETE_RG = "/*+ AWAIT */ DELETE FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND resourceGroupName = 'rg1'";

const servers: HostileServer[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function hostileServer(handler: Handler): Promise<HostileServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      hostile.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hostile: HostileServer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    bytesWritten: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(hostile);
  return hostile;
}

function engine(origin: string, options: EngineOptions = {}): Engine {
  const created = createEngine({ credential: fakeCredential(), endpoints: { azure: origin }, ...options });
  engines.push(created);
  return created;
}

function json(res: ServerResponse, body: unknown, headers: Record<string, string> = {}, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A JSON list that never ends: spaces after '{"value":[', as fast as the client reads them. */
async function endlessBody(res: ServerResponse, server: HostileServer, headers: Record<string, string> = {}): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.write('{"value":[');
  const chunk = Buffer.alloc(64 * 1024, ' ');
  while (!res.destroyed && server.bytesWritten < ENDLESS_VALVE_BYTES) {
    server.bytesWritten += chunk.length;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end(']}');
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Headers at once, then one byte of the body every 300 ms, for ever: undici's idle body timer never fires. */
function tricklingBody(res: ServerResponse, server: HostileServer): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"value":[');
  const timer = setInterval(() => {
    server.bytesWritten++;
    res.write(' ');
  }, 300);
  res.on('close', () => clearInterval(timer));
}

function cli(server: HostileServer, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  return runCli([...argv, '--auth', '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}', '--endpoint', `azure=${server.origin}`], {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env: { AZURE_TOKEN: 'hostile-test-token', SKYQL_REGISTRY_DIR: '/nonexistent/skyql-registry' },
    version: 'test',
  }).then((code) => ({ code, ...out }));
}

describe('response size', () => {
  it(
    'an endless body is cut off at the default 32 MiB with HTTP_RESPONSE_TOO_LARGE, and not retried',
    async () => {
      const server = await hostileServer((_req, res) => void endlessBody(res, server));
      const error = await rejectionOf(engine(server.origin).query(LIST_FACTORIES));
      expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
      expect(error.message).toContain('127.0.0.1');
      expect(error.message).toContain(String(32 * MiB));
      expect(server.requests).toHaveLength(1);
      expect(server.bytesWritten).toBeLessThan(32 * MiB + SOCKET_SLACK_BYTES);
    },
    HOSTILE_TEST_MS,
  );

  it(
    'a Content-Length above the cap fails before the body is read',
    async () => {
      const server = await hostileServer((_req, res) => void endlessBody(res, server, { 'content-length': String(100 * 1024 * MiB) }));
      const error = await rejectionOf(engine(server.origin, { maxResponseBytes: MiB }).query(LIST_FACTORIES));
      expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
      expect(error.details).toMatchObject({ maxBytes: MiB, contentLength: 100 * 1024 * MiB });
      expect(server.bytesWritten).toBeLessThan(SOCKET_SLACK_BYTES);
    },
    HOSTILE_TEST_MS,
  );

  it(
    'CLI: --max-response-bytes cuts an endless body off; exit status 1',
    async () => {
      const server = await hostileServer((_req, res) => void endlessBody(res, server));
      const result = await cli(server, 'exec', LIST_FACTORIES, '--max-response-bytes', String(MiB));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error\[HTTP_RESPONSE_TOO_LARGE\]: .*127\.0\.0\.1.*1048576/);
      expect(result.stderr).toContain('--max-response-bytes');
      expect(server.bytesWritten).toBeLessThan(MiB + SOCKET_SLACK_BYTES);
    },
    HOSTILE_TEST_MS,
  );
});

describe('a body that trickles in', () => {
  it(
    'ends in HTTP_TIMEOUT (phase total) per attempt, retried like any timeout',
    async () => {
      const server = await hostileServer((_req, res) => tricklingBody(res, server));
      const options: EngineOptions = { timeouts: { headersMs: 1_000, bodyMs: 1_000, totalMs: 1_200 }, retry: { maxAttempts: 2, baseDelayMs: 1 } };
      const error = await rejectionOf(engine(server.origin, options).query(LIST_FACTORIES));
      expect(error.code).toBe('HTTP_TIMEOUT');
      expect(error.details).toMatchObject({ phase: 'total', attempts: 2 });
      expect(server.requests).toHaveLength(2);
    },
    HOSTILE_TEST_MS,
  );

  it(
    'CLI: --timeout bounds the whole response, not only the pauses in it',
    async () => {
      const server = await hostileServer((_req, res) => tricklingBody(res, server));
      const result = await cli(server, 'exec', LIST_FACTORIES, '--timeout', '1200', '--retries', '0');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error\[HTTP_TIMEOUT\]: .*total timeout/);
    },
    HOSTILE_TEST_MS,
  );
});

describe('paging loops', () => {
  it(
    'a nextLink to the page itself is HTTP_PAGING_LOOP naming the operation and page',
    async () => {
      const server = await hostileServer((req, res) =>
        json(res, {
          value: [{ name: 'f1' }],
          ...(loopGoesOn(server) && { nextLink: `${server.origin}${req.url}` }),
        }),
      );
      const error = await rejectionOf(engine(server.origin).query(LIST_FACTORIES));
      expect(error.code).toBe('HTTP_PAGING_LOOP');
      expect(error.message).toMatch(/^azure\.data_factory\.factories\.list: page 2 /);
      expect(server.requests).toHaveLength(1);
    },
    HOSTILE_TEST_MS,
  );

  it(
    'a repeated continuationToken is HTTP_PAGING_LOOP',
    async () => {
      const server = await hostileServer((_req, res) =>
        json(res, {
          value: [{ runId: `r${server.requests.length}` }],
          ...(loopGoesOn(server) && { continuationToken: 'same-token' }),
        }),
      );
      const error = await rejectionOf(engine(server.origin).query(LIST_RUNS));
      expect(error.code).toBe('HTTP_PAGING_LOOP');
      expect(error.message).toMatch(/pipeline_runs\.query_by_factory: page 3 /);
      expect(server.requests.map((request) => JSON.parse(request.body).continuationToken)).toEqual([undefined, 'same-token']);
    },
    HOSTILE_TEST_MS,
  );

  it(
    'CLI: a nextLink cycle A → B → A is HTTP_PAGING_LOOP; exit status 1, not a partial list',
    async () => {
      const server = await hostileServer((req, res) => {
        const next = req.url!.startsWith('/pages/A') ? '/pages/B' : '/pages/A';
        json(res, { value: [{ name: `from ${req.url}` }], ...(loopGoesOn(server) && { nextLink: `${server.origin}${next}` }) });
      });
      const result = await cli(server, 'exec', LIST_FACTORIES, '-o', 'json');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error\[HTTP_PAGING_LOOP\]: azure\.data_factory\.factories\.list: page 4 .*\/pages\/A/);
      expect(server.requests.map((request) => request.path.split('?')[0])).toEqual([FACTORIES_PATH, '/pages/A', '/pages/B']);
    },
    HOSTILE_TEST_MS,
  );
});

function loopGoesOn(server: HostileServer): boolean {
  return server.requests.length < LOOP_VALVE_PAGES;
}

describe('long-running operations: Retry-After', () => {
  /** A DELETE that starts an operation which never ends; every answer asks for `retryAfter`. */
  async function endlessOperation(retryAfter: string) {
    const server = await hostileServer((req, res) => {
      if (req.method === 'DELETE') return json(res, {}, { 'azure-asyncoperation': `${server.origin}/operations/op1`, 'retry-after': retryAfter }, 202);
      json(res, { status: 'InProgress' }, { 'retry-after': retryAfter });
    });
    return { server, polls: () => server.requests.filter((request) => request.path.startsWith('/operations/')).length };
  }

  it(
    'Retry-After: 99999999999 (beyond setTimeout) waits the 60 s maximum instead of polling at once',
    async () => {
      const { server, polls } = await endlessOperation('99999999999');
      const error = await rejectionOf(engine(server.origin).query(DELETE_RG, { signal: AbortSignal.timeout(1_500) }));
      expect(error.code).toBe('LRO_STOPPED');
      expect(polls()).toBeLessThanOrEqual(1);
    },
    HOSTILE_TEST_MS,
  );

  it(
    'Retry-After: -5 (which Date.parse reads as a date in 2001) falls back to the poll interval',
    async () => {
      const { server, polls } = await endlessOperation('-5');
      const error = await rejectionOf(engine(server.origin, { lroPollMs: 250 }).query(DELETE_RG, { signal: AbortSignal.timeout(1_500) }));
      expect(error.code).toBe('LRO_STOPPED');
      // 1.5 s of 250 ms waits: 6 polls; unbounded, it was hundreds.
      expect(polls()).toBeLessThanOrEqual(12);
    },
    HOSTILE_TEST_MS,
  );
});

describe('rate-limit headers', () => {
  it(
    'a remaining-reads of -1000000 neither stalls nor stops the requests after it',
    async () => {
      const server = await hostileServer((_req, res) => json(res, { value: [{ name: 'f1' }] }, { 'x-ms-ratelimit-remaining-subscription-reads': '-1000000' }));
      const skyql = engine(server.origin);
      for (let i = 0; i < 4; i++) expect((await skyql.query(LIST_FACTORIES)).rows).toEqual([{ name: 'f1' }]);
      expect(server.requests).toHaveLength(4);
    },
    HOSTILE_TEST_MS,
  );
});

describe('callers queued for a request slot', () => {
  it(
    'callers that abort while queued leave the queue; every other caller still gets a slot',
    async () => {
      let releaseFirst = () => {};
      const firstAnswered = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      const server = await hostileServer((_req, res) => {
        const answer = () => json(res, { value: [{ name: 'f1' }] });
        if (server.requests.length === 1) void firstAnswered.then(answer);
        else answer();
      });
      const skyql = engine(server.origin, { maxInFlight: 1 });
      const first = skyql.query(LIST_FACTORIES);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const controllers = [new AbortController(), new AbortController(), new AbortController()];
      const queued = controllers.map((controller) =>
        skyql.query(LIST_FACTORIES, { signal: controller.signal }).then(
          (result) => result.rows,
          (error: unknown) => error,
        ),
      );
      const unsignalled = skyql.query(LIST_FACTORIES);
      // Let every caller reach the limiter's queue (the first holds the only slot).
      await new Promise((resolve) => setTimeout(resolve, 50));
      controllers[0].abort();
      controllers[1].abort();
      releaseFirst();
      const [firstRows, ...queuedOutcomes] = await Promise.all([first.then((result) => result.rows), ...queued]);
      expect(firstRows).toEqual([{ name: 'f1' }]);
      expect(queuedOutcomes.slice(0, 2).map((outcome) => (outcome as EngineError).code)).toEqual(['HTTP_ABORTED', 'HTTP_ABORTED']);
      expect(queuedOutcomes[2]).toEqual([{ name: 'f1' }]);
      expect((await unsignalled).rows).toEqual([{ name: 'f1' }]);
      expect((await skyql.query(LIST_FACTORIES)).rows).toEqual([{ name: 'f1' }]);
      expect(server.requests).toHaveLength(4);
    },
    HOSTILE_TEST_MS,
  );
});
