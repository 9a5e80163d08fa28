// `skyql mcp` with the official SDK's client: over stdio (the built CLI as a subprocess, as an agent
// starts it) and over streamable HTTP; read-only unless --allow-mutations; every call audited.

import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.ts';
import { fileAuditLog } from '../../src/mcp/audit.ts';
import { startMcpHttp, type McpHttpServer } from '../../src/mcp/server.ts';
import { defaultFleet, FLEET_SUBSCRIPTION as SUB, fleetHandlers, type Fleet } from '../helpers/azure-fleet.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const BIN = fileURLToPath(new URL('../../bin/skyql.js', import.meta.url));
const TOKEN = 'mcp-test-bearer-token-0123456789';
const FACTORIES = `SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' ORDER BY name`;
const DELETE = `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-c' AND factoryName = 'factory-c3'`;

interface ToolText {
  content: { type: string; text: string }[];
  isError?: boolean;
}
const json = (result: unknown) => JSON.parse((result as ToolText).content[0].text) as Record<string, any>;

let azure: MockServer;
let fleet: Fleet;
beforeAll(async () => {
  fleet = defaultFleet();
  azure = await startMockServer(fleetHandlers(fleet));
});
afterAll(async () => {
  await azure.close();
});

describe('stdio (skyql mcp as a subprocess)', () => {
  let client: Client;
  let audit: string;
  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'skyql-mcp-'));
    audit = join(home, 'logs', 'audit.jsonl');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        BIN,
        'mcp',
        '--auth',
        '{"azure":{"type":"bearer","credentialsenvvar":"AZ_TOKEN"}}',
        '--endpoint',
        `azure=${azure.origin}`,
        '--no-pacing',
        '--audit-log',
        audit,
      ],
      env: { AZ_TOKEN: TOKEN, HOME: home, PATH: process.env.PATH ?? '', SKYQL_REGISTRY_DIR: join(home, 'registry'), XDG_CACHE_HOME: join(home, 'cache') },
      stderr: 'pipe',
    });
    client = new Client({ name: 'skyql-tests', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client.close();
  });

  it('lists the tools, without execute unless mutations are allowed', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'describe',
      'list_methods',
      'list_providers',
      'list_resources',
      'list_services',
      'query',
      'validate',
    ]);
    expect(tools.find((tool) => tool.name === 'query')?.annotations?.readOnlyHint).toBe(true);
  });

  it('explores the registry: providers, services, resources, methods, describe', async () => {
    expect(json(await client.callTool({ name: 'list_providers', arguments: {} })).rows.map((row: { name: string }) => row.name)).toEqual(['azure']);
    expect(json(await client.callTool({ name: 'list_services', arguments: { provider: 'azure', like: '%factory%' } })).rows).toHaveLength(1);
    expect(
      json(await client.callTool({ name: 'list_resources', arguments: { service: 'azure.data_factory' } })).rows.map((row: { name: string }) => row.name),
    ).toContain('pipeline_runs');
    expect(json(await client.callTool({ name: 'list_methods', arguments: { resource: 'azure.data_factory.factories' } })).rows.length).toBeGreaterThan(2);
    expect(json(await client.callTool({ name: 'describe', arguments: { resource: 'azure.data_factory.factories' } })).columns).toContain('type');
    const bad = (await client.callTool({ name: 'list_methods', arguments: { resource: "x'; DROP" } })) as ToolText;
    expect(bad.isError).toBe(true);
  });

  it('runs a read query and returns its rows', async () => {
    const answer = json(await client.callTool({ name: 'query', arguments: { statement: FACTORIES, maxRows: 3 } }));
    expect(answer.rows).toEqual([
      { name: 'factory-a1', location: 'East US' },
      { name: 'factory-a2', location: 'East US' },
      { name: 'factory-a3', location: 'East US' },
    ]);
    expect(answer).toMatchObject({ rowCount: 8, truncated: true });
  });

  it('a missing resource is no rows, and the warning that says so comes with them', async () => {
    const statement = `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-nope'`;
    const answer = json(await client.callTool({ name: 'query', arguments: { statement } }));
    expect(answer).toMatchObject({ rows: [], rowCount: 0, warnings: [expect.stringMatching(/HTTP 404 ResourceNotFound: .*read as no rows$/)] });
  });

  it('a default time window is said with the rows it narrowed, on every call', async () => {
    const statement = `SELECT runId FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`;
    for (let call = 0; call < 2; call++) {
      const answer = json(await client.callTool({ name: 'query', arguments: { statement } }));
      expect(answer.notices).toEqual([expect.stringContaining("not given by the statement, so the registry's defaults apply: lastUpdatedAfter")]);
    }
  });

  it('validate shows the exact requests and sends nothing', async () => {
    const before = azure.requests.length;
    const answer = json(await client.callTool({ name: 'validate', arguments: { statement: DELETE } }));
    expect(answer.statements[0].requests).toEqual([
      expect.objectContaining({ method: 'DELETE', url: expect.stringContaining('/factories/factory-c3?api-version=2018-06-01') }),
    ]);
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
    expect(azure.requests.length).toBe(before);
  });

  it('refuses mutations without --allow-mutations (SERVER_READ_ONLY), sending nothing', async () => {
    const before = azure.requests.length;
    const refused = (await client.callTool({ name: 'query', arguments: { statement: DELETE } })) as ToolText;
    expect(refused.isError).toBe(true);
    expect(json(refused).error.code).toBe('SERVER_READ_ONLY');
    expect(azure.requests.length).toBe(before);
  });

  it('appends every call to the audit log (0600): names of vars, never their values or a token', async () => {
    await client.callTool({
      name: 'query',
      arguments: { statement: `${FACTORIES.replace('ORDER BY', "AND location = '{{ place }}' ORDER BY")}`, vars: { place: 'a-secret-value-42' } },
    });
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.tool)).toEqual(expect.arrayContaining(['list_providers', 'query', 'validate']));
    expect(lines.at(-1)).toMatchObject({
      tool: 'query',
      vars: ['place'],
      outcome: 'OK',
      requests: 1,
      durationMs: expect.any(Number),
      time: expect.any(String),
    });
    expect(lines.find((line) => line.outcome === 'SERVER_READ_ONLY')).toMatchObject({ tool: 'query', statement: DELETE, requests: 0 });
    const text = readFileSync(audit, 'utf8');
    expect(text).not.toContain('a-secret-value-42');
    expect(text).not.toContain(TOKEN);
    expect(statSync(audit).mode & 0o777).toBe(0o600);
  });
});

describe('streamable HTTP', () => {
  let engine: Engine;
  let server: McpHttpServer;
  let auditFile: string;
  beforeAll(async () => {
    engine = createEngine({ credential: fakeCredential(), endpoints: { azure: azure.origin }, pacing: false, cacheDir: false });
    auditFile = join(mkdtempSync(join(tmpdir(), 'skyql-mcp-http-')), 'audit.jsonl');
    const audit = fileAuditLog(auditFile, () => {});
    server = await startMcpHttp({ engine, version: 'test', allowMutations: true, audit }, { host: '127.0.0.1', port: 0, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await engine.close();
  });

  const connect = async (token?: string) => {
    const client = new Client({ name: 'skyql-tests', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} } }),
    );
    return client;
  };

  it('with --allow-mutations: offers execute, which changes resources; query stays read-only', async () => {
    const client = await connect(TOKEN);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('execute');
    expect(((await client.callTool({ name: 'query', arguments: { statement: DELETE } })) as ToolText).isError).toBe(true);
    const done = json(await client.callTool({ name: 'execute', arguments: { statement: DELETE } }));
    expect(done).toMatchObject({ kind: 'delete', requestsSent: 1 });
    expect(fleet.subscriptions[0].resourceGroups[2].factories.map((entry) => entry.factory.name)).not.toContain('factory-c3');
    await client.close();
    expect(readFileSync(auditFile, 'utf8')).toContain('"tool":"execute"');
  });

  it('refuses a request without the bearer token (401), and any path but /mcp (404)', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    const post = (headers: Record<string, string>, url = server.url) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${TOKEN}` }, server.url.replace('/mcp', '/other'))).status).toBe(404);
    expect((await post({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    await expect(connect()).rejects.toThrow();
  });

  it('on loopback without a token, refuses a request that names another host (DNS rebinding)', async () => {
    const open = await startMcpHttp(
      { engine, version: 'test', allowMutations: false, audit: fileAuditLog(auditFile, () => {}) },
      { host: '127.0.0.1', port: 0 },
    );
    const port = new URL(open.url).port;
    const post = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/mcp',
            method: 'POST',
            headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
          }),
        );
      });
    expect(await post(`evil.example:${port}`)).toBe(403);
    expect(await post(`127.0.0.1:${port}`)).toBe(200);
    expect(await post(`localhost:${port}`)).toBe(200);
    await open.close();
  });
});
