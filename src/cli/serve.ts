// `skyql serve`: the wire server until the signal (SIGTERM, Ctrl-C) asks it to stop. Azure
// credentials are the server's own (--auth, az login, managed identity): clients never send any.

import { readFileSync } from 'node:fs';
import type { Engine } from '../engine.ts';
import { EngineError } from '../errors.ts';
import type { ServerOptions, TlsFiles } from '../server/options.ts';
import { startPgServer } from '../server/server.ts';
import type { ServerArgs } from './args.ts';

export interface ServeIo {
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Aborted by SIGTERM or Ctrl-C: the server shuts down. */
  readonly signal?: AbortSignal;
}

export async function runServe(engine: Engine, args: ServerArgs, io: ServeIo): Promise<number> {
  const server = await startPgServer(engine, serverOptions(args, io));
  io.stderr.write(`skyql serve: psql -h ${server.host} -p ${server.port} -U ${args.user ?? 'skyql'}\n`);
  await untilAborted(io.signal);
  io.stderr.write(`skyql serve: shutting down (${server.connections()} connection${server.connections() === 1 ? '' : 's'} open)\n`);
  await server.close();
  return 0;
}

function serverOptions(args: ServerArgs, io: ServeIo): ServerOptions {
  return {
    host: args.host,
    port: args.port,
    user: args.user,
    password: io.env[args.passwordEnv] || undefined,
    tls: tlsFiles(args),
    readOnly: args.readOnly || undefined,
    allowMutations: args.allowMutations,
    maxConnections: args.maxConnections,
    statementTimeoutMs: args.statementTimeoutMs,
    shutdownGraceMs: args.shutdownGraceMs,
    version: io.version,
    log: (line) => io.stderr.write(`skyql serve: ${line}\n`),
  };
}

function tlsFiles(args: ServerArgs): TlsFiles | undefined {
  if (!args.tlsCert && !args.tlsKey && !args.tlsCa) return undefined;
  if (!args.tlsCert || !args.tlsKey) throw new EngineError('CFG_INVALID', 'TLS needs both --tls-cert and --tls-key');
  return { cert: readPem(args.tlsCert), key: readPem(args.tlsKey), ca: args.tlsCa ? readPem(args.tlsCa) : undefined };
}

function readPem(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new EngineError('CFG_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
