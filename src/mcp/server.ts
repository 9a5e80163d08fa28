// `skyql mcp`: skyql's registry and statements as MCP tools, with the official SDK, over stdio or
// streamable HTTP. Every call is appended to the audit log. Mutations only with allowMutations.

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import type { Engine } from '../engine.ts';
import { EngineError, toEngineError } from '../errors.ts';
import type { TemplateVars } from '../sql/templates.ts';
import type { AuditLog } from './audit.ts';
import * as tools from './tools.ts';

export interface McpOptions {
  readonly engine: Engine;
  readonly version: string;
  readonly allowMutations: boolean;
  readonly audit: AuditLog;
  /** Default 300 s; 0: none. */
  readonly statementTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

const VARS = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .optional()
  .describe('values for {{ name }} placeholders in the statement; the audit log records their names, never their values');
const STATEMENT = z.string().min(1).describe("one skyql statement, e.g. SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '…'");
const MAX_ROWS = z.number().int().min(0).optional().describe(`rows to return at most (default ${tools.DEFAULT_MAX_ROWS}); rowCount tells how many there were`);

type Args = Record<string, unknown>;

/** A new MCP server with skyql's tools (one per client over HTTP; the engine is shared). */
export function createMcpServer(options: McpOptions): McpServer {
  const server = new McpServer({ name: 'skyql', version: options.version }, { instructions: INSTRUCTIONS });
  const context: tools.ToolContext = {
    engine: options.engine,
    allowMutations: options.allowMutations,
    statementTimeoutMs: options.statementTimeoutMs ?? 300_000,
    signal: options.signal,
  };
  const register = (
    name: string,
    description: string,
    inputSchema: Record<string, z.ZodType>,
    readOnly: boolean,
    call: (args: Args) => tools.ToolAnswer | Promise<tools.ToolAnswer>,
  ) => {
    server.registerTool(
      name,
      { description, inputSchema, annotations: { readOnlyHint: readOnly, destructiveHint: !readOnly, openWorldHint: true } },
      async (args: Args) => audited(options.audit, name, args, () => call(args)),
    );
  };
  register('list_providers', 'The providers skyql knows (SHOW PROVIDERS).', {}, true, () => tools.listProviders(context));
  register(
    'list_services',
    'The services of a provider (SHOW SERVICES IN provider [LIKE pattern]).',
    { provider: z.string().describe('e.g. azure'), like: z.string().optional().describe('SQL LIKE pattern, e.g. %factory%') },
    true,
    (args) => tools.listServices(context, args as { provider: string; like?: string }),
  );
  register(
    'list_resources',
    'The resources of a service (SHOW RESOURCES IN provider.service [LIKE pattern]).',
    { service: z.string().describe('provider.service, e.g. azure.data_factory'), like: z.string().optional() },
    true,
    (args) => tools.listResources(context, args as { service: string; like?: string }),
  );
  register(
    'list_methods',
    'The methods of a resource: SQL verb, required and optional params (SHOW [EXTENDED] METHODS IN provider.service.resource).',
    { resource: z.string().describe('provider.service.resource, e.g. azure.data_factory.pipeline_runs'), extended: z.boolean().optional() },
    true,
    (args) => tools.listMethods(context, args as { resource: string; extended?: boolean }),
  );
  register(
    'describe',
    'The columns a SELECT on a resource returns (DESCRIBE), or every input and output of one method (DESCRIBE METHOD).',
    {
      resource: z.string().optional().describe('provider.service.resource'),
      method: z.string().optional().describe('provider.service.resource.method'),
      extended: z.boolean().optional(),
    },
    true,
    (args) => tools.describe(context, args as { resource?: string; method?: string; extended?: boolean }),
  );
  register(
    'validate',
    'Dry run: parses and plans statements and returns the exact HTTP requests they would send. Sends nothing.',
    { statement: z.string().min(1).describe('one or more skyql statements'), vars: VARS },
    true,
    (args) => tools.validate(context, args as { statement: string; vars?: TemplateVars }),
  );
  register(
    'query',
    'Runs one read statement (SELECT, SHOW or DESCRIBE) against Azure and returns its rows as JSON.',
    { statement: STATEMENT, vars: VARS, maxRows: MAX_ROWS },
    true,
    (args) => tools.query(context, args as { statement: string; vars?: TemplateVars; maxRows?: number }),
  );
  if (options.allowMutations) {
    register(
      'execute',
      'Runs any one statement, including INSERT, REPLACE, UPDATE, DELETE and EXEC, which change Azure resources. Validate first.',
      { statement: STATEMENT, vars: VARS, maxRows: MAX_ROWS },
      false,
      (args) => tools.execute(context, args as { statement: string; vars?: TemplateVars; maxRows?: number }),
    );
  }
  return server;
}

const INSTRUCTIONS = [
  "skyql answers SQL over Azure's REST APIs. Explore with list_providers, list_services, list_resources, list_methods and describe;",
  'check a statement with validate (the exact requests, nothing sent); run reads with query.',
  "A SELECT's WHERE gives the method's required params (list_methods shows them), e.g. subscriptionId = '…'.",
].join(' ');

async function audited(audit: AuditLog, tool: string, args: Args, call: () => tools.ToolAnswer | Promise<tools.ToolAnswer>) {
  const started = performance.now();
  const statement = typeof args.statement === 'string' ? args.statement : undefined;
  const vars = args.vars && typeof args.vars === 'object' ? Object.keys(args.vars) : undefined;
  const entry = (outcome: string, requests: number) =>
    audit.append({
      time: new Date().toISOString(),
      tool,
      ...(statement !== undefined && { statement }),
      ...(vars && { vars }),
      outcome,
      requests,
      durationMs: Math.round(performance.now() - started),
    });
  try {
    const answer = await call();
    entry('OK', answer.requests);
    return { content: [{ type: 'text' as const, text: JSON.stringify(answer.json, null, 2) }] };
  } catch (error) {
    const engineError = toEngineError(error);
    entry(engineError.code, 0);
    return { isError: true, content: [{ type: 'text' as const, text: JSON.stringify({ error: tools.errorJson(engineError) }, null, 2) }] };
  }
}

/** Serves one client on stdin/stdout until stdin ends or the signal aborts. */
export async function serveStdio(options: McpOptions, stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<void> {
  const server = createMcpServer(options);
  const transport = new StdioServerTransport(stdin as never, stdout as never);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    stdin.once('end', () => resolve());
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.connect(transport);
  await closed;
  await server.close();
}

export interface McpHttpOptions {
  readonly host: string;
  readonly port: number;
  /** Clients must send `Authorization: Bearer <token>`; required beyond loopback. */
  readonly token?: string;
  readonly log?: (line: string) => void;
}

export interface McpHttpServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Streamable HTTP at /mcp, stateless: each request gets its own MCP server over the shared engine. */
export async function startMcpHttp(options: McpOptions, http: McpHttpOptions): Promise<McpHttpServer> {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(http.host) || http.host.startsWith('127.');
  if (!loopback && !http.token)
    throw new EngineError('CFG_INVALID', `listening on ${http.host} (beyond loopback) needs a bearer token`, {
      hint: 'set SKYQL_MCP_TOKEN; clients send Authorization: Bearer <token>',
    });
  const server = createServer((req, res) => void answer(req, res, options, http, loopback ? allowedHosts(server.address() as AddressInfo) : undefined));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(http.port, http.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A page in a browser must not reach a loopback server through a name it controls (DNS rebinding). */
function allowedHosts(address: AddressInfo): string[] {
  return ['127.0.0.1', 'localhost', '[::1]'].map((host) => `${host}:${address.port}`);
}

async function answer(req: IncomingMessage, res: ServerResponse, options: McpOptions, http: McpHttpOptions, hosts: string[] | undefined): Promise<void> {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') return void res.writeHead(404).end();
  if (http.token && !bearerMatches(req.headers.authorization, http.token)) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
  if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
  const server = createMcpServer(options);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    ...(hosts && { enableDnsRebindingProtection: true, allowedHosts: hosts }),
  });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res);
  } catch (error) {
    http.log?.(`request failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) res.writeHead(500).end();
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
