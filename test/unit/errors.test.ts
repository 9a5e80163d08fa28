// Every error code the engine defines, raised through the public API. Codes raised before
// sending must leave the mock server untouched.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { http, HttpResponse, delay } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, ERROR_CODES, EngineError, type EngineOptions, type ErrorCode } from '../../src/index.ts';
import { BUNDLED_REGISTRY } from '../../src/registry/load.ts';
import { runCli } from '../../src/cli/run.ts';
import { azureHandlers } from '../helpers/azure-mock.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const ACME = fileURLToPath(new URL('../fixtures/registry/', import.meta.url));
const BROKEN = fileURLToPath(new URL('../fixtures/registry-broken/', import.meta.url));
const PULLED = fileURLToPath(new URL('../fixtures/stackql-registry/', import.meta.url));
const CANCEL = "EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId='s', @resourceGroupName='rg', @factoryName='factory', @runId='r'";

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer([
    ...azureHandlers,
    http.get('*/groups/paged/things', () => HttpResponse.json({ value: [], nextLink: 'https://evil.example.net/steal' })),
    http.get('*/groups/html/things', () => new HttpResponse('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } })),
    http.get('*/groups/big/things', () => HttpResponse.json({ value: [{ name: 'x'.repeat(1_000) }] })),
    http.get('*/groups/looping/things', ({ request }) => HttpResponse.json({ value: [], nextLink: request.url })),
    http.get('*/groups/slow/things', async () => {
      await delay(2_000);
      return HttpResponse.json({ value: [] });
    }),
    http.delete(
      '*/subscriptions/s/resourcegroups/:rg',
      ({ params, request }) =>
        new HttpResponse(null, {
          status: 202,
          headers: { 'azure-asyncoperation': `${new URL(request.url).origin}/operations/${params.rg}`, 'retry-after': '0' },
        }),
    ),
    http.get('*/operations/doomed', () =>
      HttpResponse.json({ status: 'Failed', error: { code: 'ResourceGroupDeletionBlocked', message: 'a lock prevents deleting it' } }),
    ),
    http.get('*/operations/endless', () => HttpResponse.json({ status: 'InProgress' })),
  ]);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

interface Case {
  readonly sql: string;
  /** A function where the options need the mock server's origin. */
  readonly options?: EngineOptions | (() => EngineOptions);
  /** Whether requests may reach the server before the error. */
  readonly sends?: boolean;
  readonly signal?: () => AbortSignal;
}

const acme =
  (extra: EngineOptions = {}) =>
  (): EngineOptions => ({ registryRoots: [BUNDLED_REGISTRY, ACME], endpoints: { acme: server.origin }, ...extra });

/** Aborts a moment after the first response, when the local query runs (not while the rows are fetched). */
function abortOnceAnswered(): Pick<Case, 'options' | 'signal'> {
  let controller = new AbortController();
  return {
    options: () => {
      controller = new AbortController();
      return { onExchange: () => setTimeout(() => controller.abort(), 200) };
    },
    signal: () => controller.signal,
  };
}

const CASES: Partial<Record<ErrorCode, Case>> = {
  SQL_SYNTAX: { sql: 'SELECT FROM WHERE' },
  SQL_UNSUPPORTED: { sql: "DELETE FROM azure.data_factory.factories WHERE factoryName = 'f' OR factoryName = 'g'" },
  SQL_LOCAL: {
    sql: "SELECT no_such_function(runId) FROM azure.data_factory.pipeline_runs WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'factory' AND runId = 'r'",
  },
  SQL_LOCAL_CANCELLED: {
    sql: "WITH RECURSIVE forever(n) AS (SELECT 1 FROM azure.data_factory.pipeline_runs WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'factory' AND runId = '2f7fdb90-5df1-4b8e-ac2f-064cfa58202b' UNION ALL SELECT n + 1 FROM forever) SELECT count(*) FROM forever",
    sends: true,
    ...abortOnceAnswered(),
  },
  SQL_EMPTY: { sql: '  -- only a comment\n' },
  TPL_MISSING_VAR: { sql: `${CANCEL}, @isRecursive='{{ recursive }}'` },
  TPL_INVALID: { sql: "SELECT * FROM azure.data_factory.pipeline_runs WHERE runId = '{{ not valid! }}'" },
  REG_UNKNOWN_PROVIDER: { sql: 'SHOW SERVICES IN azur' },
  REG_UNKNOWN_SERVICE: { sql: 'SHOW RESOURCES IN azure.data_factroy' },
  REG_NOT_PULLED: { sql: "SELECT name FROM azure.compute.virtual_machines WHERE subscriptionId = 's'" },
  REG_PULL_FAILED: {
    sql: "REGISTRY PULL acme 'v9.9.9'",
    options: () => ({ registry: { url: pathToFileURL(PULLED).href }, userRegistry: mkdtempSync(join(tmpdir(), 'skyql-errors-')) }),
  },
  REG_UNKNOWN_RESOURCE: { sql: 'SHOW METHODS IN azure.data_factory.pipeline_run' },
  REG_UNKNOWN_METHOD: { sql: "EXEC azure.data_factory.pipeline_runs.cancl @runId='r'" },
  REG_INVALID: { sql: 'SHOW METHODS IN broken.bad.items', options: { registryRoots: [BROKEN] } },
  REG_SPEC_LIMIT: { sql: "REGISTRY ADD '/dev/zero' AS x.y", options: () => ({ userRegistry: mkdtempSync(join(tmpdir(), 'skyql-errors-')) }) },
  PLAN_VERB_UNSUPPORTED: { sql: "SELECT * FROM azure.data_factory.pipelines_runs WHERE subscriptionId = 's'" },
  PLAN_NO_MATCHING_METHOD: { sql: "SELECT * FROM acme.widgets.things WHERE name = 'x'", options: acme() },
  PLAN_MISSING_PARAM: { sql: "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId) SELECT 's'" },
  PLAN_UNKNOWN_PARAM: { sql: `${CANCEL}, @isRecursve=true` },
  PLAN_DUPLICATE_PARAM: { sql: `${CANCEL}, @runId='again'` },
  PLAN_DUPLICATE_COLUMN: { sql: 'CREATE MATERIALIZED VIEW mv_twice AS SELECT 1 AS a, 2 AS a' },
  PLAN_INVALID_VALUE: { sql: `${CANCEL}, @isRecursive='maybe'` },
  PLAN_INVALID_JSON: {
    sql: "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName, parameters) SELECT 's', 'rg', 'factory', 'p', '{not json'",
  },
  PLAN_UNKNOWN_COLUMN: {
    sql: "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT 's', 'rg', 'factory', 'p' RETURNING runid2",
  },
  PLAN_INSECURE_URL: {
    sql: "INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName) SELECT 'http://myworkspace.dev.azuresynapse.net', 'p'",
  },
  PLAN_TIME_WINDOW: {
    sql: "SELECT runId FROM azure.data_factory.pipeline_runs WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'factory' AND runStart < '2026-11-01T00:00:00Z'",
  },
  PLAN_FAN_OUT_LIMIT: {
    sql: `SELECT name FROM azure.data_factory.factories WHERE subscriptionId IN (${Array.from({ length: 40 }, (_, i) => `'s${i}'`).join(', ')}) AND resourceGroupName IN (${Array.from({ length: 40 }, (_, i) => `'rg${i}'`).join(', ')})`,
  },
  REG_CONFLICT: { sql: "REGISTRY ADD 'spec.json' AS azure.data_factory", options: { userRegistry: '/nonexistent/registry' } },
  HTTP_STATUS: {
    sql: "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT 's', 'rg', 'missingFactory', 'p'",
    sends: true,
  },
  HTTP_NETWORK: { sql: CANCEL, options: { endpoints: { azure: 'http://127.0.0.1:1' } }, sends: true },
  HTTP_TIMEOUT: { sql: "SELECT * FROM acme.widgets.things WHERE groupName = 'slow'", options: acme({ timeouts: { headersMs: 100 } }), sends: true },
  HTTP_UNTRUSTED_NEXT_LINK: { sql: "SELECT * FROM acme.widgets.things WHERE groupName = 'paged'", options: acme(), sends: true },
  HTTP_BAD_RESPONSE: { sql: "SELECT * FROM acme.widgets.things WHERE groupName = 'html'", options: acme(), sends: true },
  HTTP_RESPONSE_TOO_LARGE: { sql: "SELECT * FROM acme.widgets.things WHERE groupName = 'big'", options: acme({ maxResponseBytes: 100 }), sends: true },
  HTTP_PAGING_LOOP: { sql: "SELECT * FROM acme.widgets.things WHERE groupName = 'looping'", options: acme(), sends: true },
  HTTP_ABORTED: { sql: "SELECT * FROM acme.widgets.things WHERE groupName = 'slow'", options: acme(), sends: true, signal: () => AbortSignal.timeout(100) },
  LRO_FAILED: { sql: "DELETE /*+ AWAIT */ FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND resourceGroupName = 'doomed'", sends: true },
  LRO_STOPPED: {
    sql: "DELETE /*+ AWAIT */ FROM azure.resources.resource_groups WHERE subscriptionId = 's' AND resourceGroupName = 'endless'",
    sends: true,
    options: { lroPollMs: 10 },
    signal: () => AbortSignal.timeout(150),
  },
  AUTH_NO_CREDENTIAL: { sql: CANCEL, options: { credential: undefined, auth: { azure: { type: 'bearer', credentialsenvvar: 'SKYQL_TEST_UNSET' } }, env: {} } },
  AUTH_FAILED: {
    sql: CANCEL,
    options: {
      credential: {
        getToken: async () => {
          throw new Error('AADSTS700016: application not found');
        },
      },
    },
  },
  AUTH_UNTRUSTED_HOST: { sql: "INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName) SELECT 'myworkspace.evil.example', 'p'" },
  INTERNAL_INVARIANT: {
    sql: CANCEL,
    options: {
      http: {
        send: async () => {
          throw new TypeError('boom');
        },
        close: async () => {},
      },
    },
  },
};

describe('every error code is raised with its code', () => {
  for (const [code, testCase] of Object.entries(CASES) as [ErrorCode, Case][]) {
    it(code, async () => {
      const options = typeof testCase.options === 'function' ? testCase.options() : testCase.options;
      const engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, retry: { maxAttempts: 2, baseDelayMs: 1 }, ...options });
      const error = await engine.run(testCase.sql, { signal: testCase.signal?.() }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      await engine.close();
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe(code);
      expect((error as EngineError).message).not.toMatch(/\n/);
      expect((error as EngineError).hint).toBeTruthy();
      if (!testCase.sends) expect(server.requests).toEqual([]);
    });
  }

  it('the untrusted nextLink host never receives a token', () => {
    expect(server.requests.every((request) => !request.path.includes('steal'))).toBe(true);
  });
});

describe('CLI-only codes', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env: {}, version: 'test' } };
  };

  it('CFG_INVALID: unknown option, exit status 2', async () => {
    const { out, io: cli } = io();
    expect(await runCli(['exec', '--frobnicate', 'SHOW PROVIDERS'], cli)).toBe(2);
    expect(out.stderr).toMatch(/^error\[CFG_INVALID\]/);
  });

  it('CFG_FILE: unreadable SQL file, exit status 2', async () => {
    const { out, io: cli } = io();
    expect(await runCli(['exec', '-f', '/nonexistent/run.sql'], cli)).toBe(2);
    expect(out.stderr).toMatch(/^error\[CFG_FILE\]/);
  });

  it('OUTPUT_WRITE_FAILED: stdout cannot be written (ENOSPC), exit status 1', async () => {
    const { out, io: cli } = io();
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const stdout = {
      write: () => {
        throw full;
      },
    };
    expect(await runCli(['exec', 'SHOW PROVIDERS', '-o', 'jsonl'], { ...cli, stdout })).toBe(1);
    expect(out.stderr).toMatch(/^error\[OUTPUT_WRITE_FAILED\]: writing to stdout failed: ENOSPC \(no space left on device\)\n {2}hint: /);
  });
});

describe('server-only codes', () => {
  it('SERVER_READ_ONLY: a read-only server refuses a mutation before anything is sent', async () => {
    const { query } = await import('../../src/mcp/tools.ts');
    const engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin } });
    const error = await query({ engine, allowMutations: false, statementTimeoutMs: 0 }, { statement: CANCEL }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await engine.close();
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('SERVER_READ_ONLY');
    expect(server.requests).toEqual([]);
  });
});

describe('library-only codes', () => {
  it('PLAN_NOT_FROM_ENGINE: execute() of a plan another engine made, before anything is sent', async () => {
    const [planner, runner] = [1, 2].map(() => createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin } }));
    const [planned] = planner.plan(CANCEL);
    const error = await runner.execute(planned).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await Promise.all([planner.close(), runner.close()]);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('PLAN_NOT_FROM_ENGINE');
    expect((error as EngineError).hint).toMatch(/engine\.plan/);
    expect(server.requests).toEqual([]);
  });
});

it('the catalogue is complete: every defined code has a case', () => {
  const covered = new Set([...Object.keys(CASES), 'CFG_INVALID', 'CFG_FILE', 'OUTPUT_WRITE_FAILED', 'SERVER_READ_ONLY', 'PLAN_NOT_FROM_ENGINE']);
  expect(Object.keys(ERROR_CODES).filter((code) => !covered.has(code))).toEqual([]);
});
