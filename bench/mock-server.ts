// A lean fake of the ARM Data Factory and Synapse pipeline endpoints on 127.0.0.1 (node:http, no
// msw): createRun, cancel, pipeline run get, queryPipelineRuns paged by continuationToken, and the
// factories list paged by nextLink. Bodies are pre-serialised (mock-data.ts), so a request costs
// the mock little. It runs in its own process (mock-child.ts, started by spawnMock), one server
// per added latency, so its CPU is never counted against a contender.
//
// Sizes ride in the names, so one mock serves every scenario:
//   factoryName "bench-n10000"        → queryPipelineRuns returns 10,000 runs (trailing number)
//   subscriptionId "…-000000005000"   → the factories list returns 5,000 factories (last UUID group)
//   Synapse queryPipelineRuns         → MockOptions.synapseRuns runs

import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PageCache, factoryObject, runObject, uuidOf } from './mock-data.ts';

export interface MockOptions {
  /** Added latency per server, in ms: one server (port) each. */
  readonly latencies: readonly number[];
  /** Runs per queryPipelineRuns page (ADF sends 100). */
  readonly runPageSize: number;
  /** Factories per nextLink page. */
  readonly factoryPageSize: number;
  /** Runs the Synapse workspace queryPipelineRuns returns. */
  readonly synapseRuns: number;
}

export const DEFAULT_MOCK: MockOptions = { latencies: [0], runPageSize: 100, factoryPageSize: 100, synapseRuns: 1_000 };
const DISTINCT_ITEMS = 5_000;
const DEFAULT_TOTAL = 1_000;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': '00000000-0000-0000-0000-00000000b0b0' };

export interface Mock {
  readonly origins: Readonly<Record<number, string>>;
  close(): Promise<void>;
}

/** Starts the servers in this process. */
export async function startMock(options: MockOptions = DEFAULT_MOCK): Promise<Mock> {
  const runs = new PageCache(DISTINCT_ITEMS, runObject);
  const factories = new PageCache(DISTINCT_ITEMS, (i) => factoryObject('00000000-0000-0000-0000-000000000000', i));
  for (let offset = 0; offset < DISTINCT_ITEMS; offset += options.runPageSize) runs.page(offset, options.runPageSize);
  const createRunBodies = Array.from({ length: 1024 }, (_, i) => Buffer.from(JSON.stringify({ runId: uuidOf(i, 7) })));
  const runJson = JSON.stringify(runObject(0));
  const state = { created: 0 };
  const handlers = { runs, factories, createRunBodies, runJson, state, options };
  const servers: Server[] = [];
  const origins: Record<number, string> = {};
  for (const latency of options.latencies) {
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => receive(req, res, latency, handlers));
    server.headersTimeout = 61_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origins[latency] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
  }
  return {
    origins,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

interface Handlers {
  readonly runs: PageCache;
  readonly factories: PageCache;
  readonly createRunBodies: Buffer[];
  readonly runJson: string;
  readonly state: { created: number };
  readonly options: MockOptions;
}

interface Answer {
  status: number;
  body: Buffer | string;
}

function receive(req: IncomingMessage, res: ServerResponse, latency: number, h: Handlers): void {
  if (req.method === 'GET') return respond(res, latency, route(req, '', h));
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => respond(res, latency, route(req, body, h)));
}

function respond(res: ServerResponse, latency: number, answer: Answer): void {
  const send = () => {
    const length = typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.length;
    res.writeHead(answer.status, { ...JSON_HEADERS, 'content-length': length });
    res.end(answer.body);
  };
  if (latency > 0) setTimeout(send, latency);
  else send();
}

const error = (status: number, code: string, message: string): Answer => ({ status, body: JSON.stringify({ error: { code, message } }) });

function route(req: IncomingMessage, body: string, h: Handlers): Answer {
  if (!req.headers.authorization?.startsWith('Bearer ')) return error(401, 'AuthenticationFailed', 'no bearer token');
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).split('/');
  const query = q === -1 ? '' : url.slice(q + 1);
  const method = req.method ?? 'GET';
  const word = (i: number) => path[i]?.toLowerCase();
  // ARM: /subscriptions/{sub}[/resourceGroups/{rg}]/providers/Microsoft.DataFactory/factories[/{factory}/…]
  if (word(1) === 'subscriptions') {
    const rest = word(3) === 'resourcegroups' ? 5 : 3;
    if (word(rest) !== 'providers' || word(rest + 2) !== 'factories') return notFound(method, url);
    if (path.length === rest + 3 && method === 'GET') return factoriesPage(req, path[2], path.slice(0, rest + 3).join('/'), query, h);
    return factoryOperation(method, path.slice(rest + 4), body, totalOf(path[rest + 3]), h) ?? notFound(method, url);
  }
  // Synapse workspace endpoint: /pipelines/{p}/createRun, /pipelineruns/{id}[/cancel], /queryPipelineRuns
  return factoryOperation(method, path.slice(1), body, h.options.synapseRuns, h) ?? notFound(method, url);
}

const notFound = (method: string, url: string) => error(404, 'NotFound', `no route for ${method} ${url}`);

/** The operations under a factory (ARM) or a workspace (Synapse); `rest` follows the factory name. */
function factoryOperation(method: string, rest: string[], body: string, total: number, h: Handlers): Answer | undefined {
  const op = rest.map((part) => part.toLowerCase());
  if (method === 'POST' && op.length === 3 && op[0] === 'pipelines' && op[2] === 'createrun') {
    return { status: 200, body: h.createRunBodies[h.state.created++ % h.createRunBodies.length] };
  }
  if (op[0] === 'pipelineruns' && op.length === 3 && op[2] === 'cancel' && method === 'POST') return { status: 200, body: '' };
  if (op[0] === 'pipelineruns' && op.length === 2 && method === 'GET') {
    return { status: 200, body: h.runJson.replace(/"runId":"[^"]*"/, `"runId":"${rest[1]}"`) };
  }
  if (op.length === 1 && op[0] === 'querypipelineruns' && method === 'POST') return runsPage(body, total, h);
  return undefined;
}

function runsPage(body: string, total: number, h: Handlers): Answer {
  const token = /"continuationToken"\s*:\s*"(\d+)"/.exec(body)?.[1];
  const offset = token === undefined ? 0 : Number(token);
  const size = Math.max(0, Math.min(h.options.runPageSize, total - offset));
  const next = offset + size < total ? `,"continuationToken":"${offset + size}"}` : '}';
  return { status: 200, body: Buffer.concat([h.runs.page(offset, size), Buffer.from(next)]) };
}

function factoriesPage(req: IncomingMessage, subscriptionId: string, path: string, query: string, h: Handlers): Answer {
  const total = Number(subscriptionId.split('-').at(-1)) || DEFAULT_TOTAL;
  const skip = /(?:^|&)\$skiptoken=(\d+)/.exec(query)?.[1];
  const offset = skip === undefined ? 0 : Number(skip);
  const size = Math.max(0, Math.min(h.options.factoryPageSize, total - offset));
  const next = offset + size < total ? `,"nextLink":"http://${req.headers.host}${path}?api-version=2018-06-01&$skiptoken=${offset + size}"}` : '}';
  return { status: 200, body: Buffer.concat([h.factories.page(offset, size), Buffer.from(next)]) };
}

/** "bench-n10000" → 10000; a name without a trailing number gets the default. */
function totalOf(factoryName: string | undefined): number {
  const digits = /(\d+)$/.exec(factoryName ?? '')?.[1];
  return digits ? Number(digits) : DEFAULT_TOTAL;
}

/** Starts the mock in a child process (mock-child.ts); resolves once it listens. */
export async function spawnMock(options: MockOptions): Promise<Mock> {
  const child = fork(new URL('./mock-child.ts', import.meta.url), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const origins = await new Promise<Record<number, string>>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Record<number, string>));
    child.once('exit', (code) => reject(new Error(`mock exited with ${code}`)));
  });
  return {
    origins,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
