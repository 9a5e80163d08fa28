// `skyql mcp`: the MCP server over stdio (the default: an agent starts skyql as its tool process)
// or streamable HTTP (--http). stdout is the protocol's channel: messages go to stderr only.

import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine.ts';
import { EngineError } from '../errors.ts';
import { fileAuditLog } from '../mcp/audit.ts';
import { serveStdio, startMcpHttp, type McpOptions } from '../mcp/server.ts';
import type { ServerArgs } from './args.ts';
import { untilAborted } from './serve.ts';

export interface McpIo {
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly signal?: AbortSignal;
}

export const DEFAULT_MCP_PORT = 5467;

function openAuditLog(file: string, log: (line: string) => void) {
  try {
    return fileAuditLog(file, log);
  } catch (error) {
    throw new EngineError('CFG_FILE', `cannot open the audit log ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'choose another file with --audit-log',
    });
  }
}

export async function runMcp(engine: Engine, args: ServerArgs, io: McpIo): Promise<number> {
  const auditFile = args.auditLog ?? join(io.env.HOME ?? homedir(), '.skyql', 'mcp-audit.jsonl');
  const log = (line: string) => io.stderr.write(`skyql mcp: ${line}\n`);
  const options: McpOptions = {
    engine,
    version: io.version,
    allowMutations: args.allowMutations,
    statementTimeoutMs: args.statementTimeoutMs,
    audit: openAuditLog(auditFile, log),
    signal: io.signal,
  };
  if (!args.http) {
    if (!io.stdin) throw new Error('skyql mcp over stdio needs stdin');
    await serveStdio(options, io.stdin, io.stdout);
    return 0;
  }
  const server = await startMcpHttp(options, {
    host: args.host ?? '127.0.0.1',
    port: args.port ?? DEFAULT_MCP_PORT,
    token: io.env.SKYQL_MCP_TOKEN || undefined,
    log,
  });
  log(`${server.url} (${args.allowMutations ? 'mutations allowed: execute tool offered' : 'read-only'}; audit log ${auditFile})`);
  await untilAborted(io.signal);
  await server.close();
  return 0;
}
