// Trust promise 1: a token goes only to the hosts of its audience. The user's endpoint is a mock
// Azure on 127.0.0.1; the attacker listens on 127.0.0.2 and records every request. Statements,
// specs and responses written by the attacker try to make skyql send the user's token there.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse, delay } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run.ts';
import type { ExecDeps } from '../../src/exec/execute.ts';
import { createUndiciClient } from '../../src/exec/http.ts';
import { SqliteAnswers } from '../../src/exec/sql-values.ts';
import { SourceLayouts } from '../../src/exec/source-layouts.ts';
import { RateLimiter } from '../../src/exec/rate-limit.ts';
import { sendWithRetries } from '../../src/exec/send.ts';
import { createEngine, type EngineOptions, type RequestPlan } from '../../src/index.ts';
import { CredentialHosts } from '../../src/registry/credential-hosts.ts';
import { rejectionOf } from '../helpers/errors.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const TOKEN = 'user-arm-token-d41d8cd98f00b204e9800998ecf8427e';
const AUTH = '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}';
const ARM = 'https://management.azure.com/.default';
const FACTORIES = '/subscriptions/s/providers/Microsoft.DataFactory/factories';

interface Attacker {
  readonly origin: string;
  readonly host: string;
  /** Authorization headers that reached the attacker. */
  readonly tokens: string[];
  readonly requests: string[];
  close(): Promise<void>;
}

async function startAttacker(): Promise<Attacker> {
  const tokens: string[] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization) tokens.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [{ name: 'loot' }], runId: 'r' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const host = `127.0.0.2:${(server.address() as AddressInfo).port}`;
  return {
    origin: `http://${host}`,
    host,
    tokens,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let azure: MockServer;
let attacker: Attacker;
let dir: string;
/** Factory names the mock returns: the attacker controls cloud data too. */
let factoryNames: string[] = [];

beforeAll(async () => {
  attacker = await startAttacker();
  azure = await startMockServer([
    http.get(`*${FACTORIES}`, () => HttpResponse.json({ value: factoryNames.map((name) => ({ name, location: 'westeurope' })) })),
    http.get('*/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/fac/pipelines', () =>
      HttpResponse.json({ value: factoryNames.map((name) => ({ name })) }),
    ),
    http.post('*/factories/:factory/pipelines/:pipeline/createRun', async ({ params }) => {
      if (params.pipeline === 'broken') return HttpResponse.json({ error: { code: 'PipelineNotFound', message: 'no such pipeline' } }, { status: 404 });
      if (params.pipeline === 'slow') await delay(5_000);
      return HttpResponse.json({ runId: `run-${String(params.pipeline)}` });
    }),
    http.get('*/factories/redirect', () => new HttpResponse(null, { status: 307, headers: { location: `${attacker.origin}/stolen` } })),
    http.get('*/factories/echo', ({ request }) =>
      HttpResponse.json(
        { error: { code: 'InvalidAuthenticationToken', message: `The token '${request.headers.get('authorization')}' is not valid.` } },
        { status: 401 },
      ),
    ),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'skyql-hosts-'));
});
afterAll(async () => {
  await Promise.all([azure.close(), attacker.close()]);
});
beforeEach(() => {
  azure.reset();
  attacker.tokens.length = 0;
  attacker.requests.length = 0;
  factoryNames = ['factory-a'];
});

/** The CLI as a user runs it: bearer token from the environment, the mock as the azure endpoint. */
function cli(registry = join(mkdtempSync(join(dir, 'reg-')), 'providers')) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env: { AZURE_TOKEN: TOKEN },
    version: 'test',
  };
  const run = (...argv: string[]) => runCli([...argv, '--auth', AUTH, '--endpoint', `azure=${azure.origin}`, '--registry-dir', registry], io);
  return { out, run, registry };
}

function engine(extra: EngineOptions = {}) {
  return createEngine({
    auth: { azure: { type: 'bearer', credentialsenvvar: 'AZURE_TOKEN' } },
    env: { AZURE_TOKEN: TOKEN },
    endpoints: { azure: azure.origin },
    pacing: false,
    ...extra,
  });
}

/** An OpenAPI 3 document the attacker ships with a script. */
function spec(serverUrl: string, variables?: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(dir, 'spec-')), 'report.json');
  writeFileSync(
    file,
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Report', version: '1' },
      servers: [{ url: serverUrl, ...(variables && { variables }) }],
      paths: {
        '/things': {
          get: {
            operationId: 'Things_List',
            responses: {
              200: {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { value: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } } },
                  },
                },
              },
            },
          },
        },
      },
    }),
  );
  return file;
}

describe('a script cannot send the token to a host of its choosing', () => {
  it("REGISTRY ADD of a spec on the attacker's host with the ARM audience is refused before anything is written", async () => {
    const { out, run } = cli();
    const code = await run('exec', `REGISTRY ADD '${spec(attacker.origin)}' AS azure.report AUDIENCE '${ARM}'; SELECT name FROM azure.report.things;`);
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/error\[AUTH_UNTRUSTED_HOST\]/);
    expect(attacker.tokens).toEqual([]);
  });

  it("REGISTRY ADD cannot replace a bundled service: later ordinary queries still go to the user's endpoint", async () => {
    const { out, run, registry } = cli();
    const code = await run('exec', `REGISTRY ADD '${spec(attacker.origin)}' AS azure.data_factory`);
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/error\[REG_CONFLICT\]/);
    const later = cli(registry);
    expect(await later.run('exec', "SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's'", '-o', 'json')).toBe(0);
    expect(JSON.parse(later.out.stdout)).toEqual([{ name: 'factory-a' }]);
    expect(attacker.requests).toEqual([]);
    expect(azure.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });

  it("a {host} server variable cannot move a token off its audience's hosts", async () => {
    const { out, run } = cli();
    const file = spec('http://{host}', { host: { default: 'management.azure.com' } });
    const code = await run(
      'exec',
      `REGISTRY ADD '${file}' AS azure.report AUDIENCE '${ARM}'; SELECT name FROM azure.report.things WHERE host = '${attacker.host}';`,
    );
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/error\[(AUTH_UNTRUSTED_HOST|PLAN_INVALID_VALUE|PLAN_INSECURE_URL)\]/);
    expect(attacker.tokens).toEqual([]);
  });

  it('a server that only starts with management.azure.com gets no ARM token by default', async () => {
    for (const server of ['https://management.azure.com.evil.example', `https://management.azure.com@${attacker.host}`]) {
      const { out, run } = cli();
      await run('exec', `REGISTRY ADD '${spec(server)}' AS azure.report`);
      out.stdout = '';
      await run('exec', 'SELECT name FROM azure.report.things', '--dry-run');
      const line = out.stdout.trim() ? JSON.parse(out.stdout.trim().split('\n')[0]) : { headers: {} };
      expect(line.headers?.authorization, server).toBeUndefined();
    }
  });

  it('--dry-run shows a REGISTRY ADD and writes nothing', async () => {
    const { out, run, registry } = cli();
    const file = spec('https://management.azure.com');
    expect(await run('exec', `REGISTRY ADD '${file}' AS azure.report`, '--dry-run')).toBe(0);
    expect(JSON.parse(out.stdout.trim())).toEqual({ registry_add: { spec: file, service: 'azure.report', audience: null, replaces: false } });
    expect(() => readFileSync(join(registry, 'azure', 'report.yaml'))).toThrow();
  });

  it('a provider the user gave no credentials for gets no token (no fallback to az login)', async () => {
    const added = cli();
    expect(
      await added.run(
        'exec',
        `REGISTRY ADD '${spec(azure.origin)}' AS petstore.report AUDIENCE 'api://report/.default'`,
        '--endpoint',
        `petstore=${azure.origin}`,
      ),
    ).toBe(0);
    const error = await rejectionOf(
      engine({ userRegistry: added.registry, endpoints: { azure: azure.origin, petstore: azure.origin } }).query('SELECT name FROM petstore.report.things'),
    );
    expect(error.code).toBe('AUTH_NO_CREDENTIAL');
    expect(error.details?.provider).toBe('petstore');
  });

  it('a Synapse token goes only to Synapse workspace hosts, whatever the endpoint column says', async () => {
    for (const endpoint of [attacker.origin, `myworkspace.dev.azuresynapse.net@${attacker.host}`, 'https://evil.example']) {
      const { out, run } = cli();
      const code = await run('exec', `INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName) SELECT '${endpoint}', 'p'`);
      expect(code, endpoint).toBe(1);
      expect(out.stderr, endpoint).toMatch(/error\[(AUTH_UNTRUSTED_HOST|PLAN_INVALID_VALUE)\]/);
    }
    expect(attacker.tokens).toEqual([]);
  });

  it('INSERT … SELECT … FROM never takes a host from the rows a response gave', async () => {
    factoryNames = [attacker.origin];
    const { out, run } = cli();
    const code = await run(
      'exec',
      "INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName) SELECT name, 'p' FROM azure.data_factory.factories WHERE subscriptionId = 's'",
    );
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/error\[PLAN_INVALID_VALUE\]/);
    expect(attacker.tokens).toEqual([]);
    expect(azure.requests).toEqual([]);
  });

  it('cloud data is never expanded as a template', async () => {
    factoryNames = ['x{{ dbPassword }}'];
    const { out, run } = cli();
    const code = await run(
      'exec',
      "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT 's', 'rg', 'fac', name FROM azure.data_factory.pipelines WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'fac'",
      '--var',
      'dbPassword=hunter2',
      '--http-log',
    );
    expect(code).toBe(0);
    expect(out.stdout + out.stderr).not.toContain('hunter2');
    const paths = azure.requests.map((request) => request.path);
    expect(paths.join('\n')).not.toContain('hunter2');
    expect(paths.some((path) => path.includes(`/pipelines/${encodeURIComponent('x{{ dbPassword }}')}/createRun`))).toBe(true);
  });
});

describe('what the server says cannot leak the token', () => {
  it('a server error that quotes the Authorization header is shown without the token', async () => {
    const { out, run } = cli();
    const code = await run(
      'exec',
      "SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'echo'",
    );
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/error\[HTTP_STATUS\].*InvalidAuthenticationToken/);
    expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });
});

describe('an action that stops part way says what happened', () => {
  const runs = (pipelines: string[]) =>
    `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) VALUES ${pipelines.map((name) => `('s', 'rg', 'fac', '${name}')`).join(', ')} RETURNING runId`;

  it('a 4-row INSERT failing on row 3 reports rows 1–2 with their runIds, row 3 failed, row 4 not sent', async () => {
    const { out, run } = cli();
    const code = await run('exec', runs(['one', 'two', 'broken', 'four']), '-o', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual([{ runId: 'run-one' }, { runId: 'run-two' }]);
    expect(out.stderr).toMatch(/error\[HTTP_STATUS\]/);
    expect(out.stderr).toMatch(/2 of 4 succeeded/);
    expect(out.stderr).toMatch(/3 failed +POST .*\/pipelines\/broken\/createRun/);
    expect(out.stderr).toMatch(/4 not sent +POST .*\/pipelines\/four\/createRun/);

    const error = await rejectionOf(engine().query(runs(['one', 'two', 'broken', 'four'])));
    const partial = error.details?.partial as { requests: { outcome: string }[]; rows: unknown[] };
    expect(partial.requests.map((request) => request.outcome)).toEqual(['succeeded', 'succeeded', 'failed', 'not sent']);
    expect(partial.rows).toEqual([{ runId: 'run-one' }, { runId: 'run-two' }]);
  });

  it('cancelling a createRun the server received says it may or may not have happened, and how to check', async () => {
    const controller = new AbortController();
    const query = engine().query(runs(['slow']), { signal: controller.signal });
    while (!azure.requests.some((request) => request.path.includes('/slow/'))) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const error = await rejectionOf(query);
    expect(error.code).toBe('HTTP_ABORTED');
    expect(error.details?.uncertain).toBe(true);
    expect(error.hint).toMatch(/SELECT \* FROM azure\.data_factory\.pipeline_runs/);
  });
});

describe('fan-out is counted before it is built', () => {
  it('an IN × IN cross product over the limit is refused at once, even in a dry run', async () => {
    const many = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `'${prefix}${i}'`).join(',');
    const sql = `SELECT name FROM azure.data_factory.factories WHERE subscriptionId IN (${many('s', 999)}) AND resourceGroupName IN (${many('rg', 20_000)})`;
    const { out, run } = cli();
    expect(await run('exec', sql, '--dry-run')).toBe(1);
    expect(out.stderr).toMatch(/error\[PLAN_FAN_OUT_LIMIT\]/);
    expect(azure.requests).toEqual([]);
  });
});

describe('the transport checks every request, whatever gave its URL', () => {
  const plan = (url: string): RequestPlan => ({
    method: 'GET',
    url,
    headers: { accept: 'application/json' },
    provider: 'azure',
    audience: ARM,
    operation: 'azure.x.y.get',
    expectedStatus: [200],
    longRunning: false,
    idempotent: true,
  });
  const deps = (): ExecDeps => {
    const clock = { now: () => Date.now(), sleep: async () => {} };
    const answers = new SqliteAnswers();
    return {
      http: createUndiciClient(),
      clock,
      random: () => 0.5,
      lroPollMs: 1,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1 },
      tokens: () => ({ token: async () => TOKEN, cached: () => TOKEN }),
      limiter: new RateLimiter(clock, 32, false),
      hosts: new CredentialHosts({ azure: azure.origin }),
      answers,
      layouts: new SourceLayouts(answers),
      requests: {
        fromTemplate: () => {
          throw new Error('no templates here');
        },
      },
    };
  };

  it('a request planned elsewhere to the attacker is refused before a token is attached', async () => {
    const error = await rejectionOf(sendWithRetries(plan(`${attacker.origin}/x`), { method: 'GET', url: `${attacker.origin}/x` }, deps()));
    expect(error.code).toBe('AUTH_UNTRUSTED_HOST');
    expect(attacker.requests).toEqual([]);
  });

  it('a redirect is not followed: the token never reaches its target', async () => {
    const error = await rejectionOf(
      engine().query("SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'redirect'"),
    );
    expect(error.code).toBe('HTTP_STATUS');
    expect(attacker.requests).toEqual([]);
  });

  it('an audience named like a member of Object.prototype (a hostile registry document) is one skyql knows no host for', async () => {
    for (const audience of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor/.default']) {
      const url = 'https://management.azure.com/x';
      const error = await rejectionOf(sendWithRetries({ ...plan(url), audience }, { method: 'GET', url }, deps()));
      expect(error.code, audience).toBe('AUTH_UNTRUSTED_HOST');
      expect(error.message, audience).toContain('skyql knows no host for it');
    }
  });

  it("a URL that only looks like the user's endpoint is refused", async () => {
    const disguised = `${azure.origin.replace('http://', 'http://user@')}/x`;
    const error = await rejectionOf(sendWithRetries(plan(disguised), { method: 'GET', url: disguised }, deps()));
    expect(error.code).toBe('AUTH_UNTRUSTED_HOST');
  });
});

it('a query whose signal is already aborted ends with HTTP_ABORTED, sending nothing', async () => {
  const error = await rejectionOf(engine().query("SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 's'", { signal: AbortSignal.abort() }));
  expect(error.code).toBe('HTTP_ABORTED');
  expect(azure.requests).toEqual([]);
});

it('cutting an echoed token out of a response never damages the response: only real, long tokens are cut', async () => {
  // A one-letter "token" (as test doubles use) must not turn every "t" of a list into REDACTED.
  const shortToken = createEngine({
    credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    endpoints: { azure: azure.origin },
    pacing: false,
  });
  factoryNames = ['factory-t1', 'factory-t2'];
  const { rows } = await shortToken.query("SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = 's'");
  expect(rows).toEqual([
    { name: 'factory-t1', location: 'westeurope' },
    { name: 'factory-t2', location: 'westeurope' },
  ]);
  await shortToken.close();
});
