// `skyql serve`: the PostgreSQL wire protocol in front of one engine. The engine (credentials,
// caches, rate limits) is shared; each connection has its own session. I/O and signals are the
// caller's: the CLI passes SIGTERM in as `close()`.

import { randomInt } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Engine } from '../engine.ts';
import { Connection, type ConnectionHost } from './connection.ts';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './options.ts';

export interface PgServer {
  readonly host: string;
  readonly port: number;
  /** Connections open now (logged in or logging in). */
  connections(): number;
  /**
   * Stops listening; idle connections end at once, running statements may finish for the grace
   * period, then are cancelled. Nothing is retried. Resolves when every connection is closed.
   */
  close(): Promise<void>;
}

export async function startPgServer(engine: Engine, options: ServerOptions = {}): Promise<PgServer> {
  const resolved = resolveServerOptions(options);
  // Checked now: a bad certificate or key fails the start, not a client's handshake.
  if (resolved.tls) createSecureContext({ cert: resolved.tls.cert, key: resolved.tls.key, ca: resolved.tls.ca });
  const registry = new ConnectionRegistry(engine, resolved);
  const server = createServer((socket) => registry.accept(socket));
  // Sockets that have not logged in yet (or carry a CancelRequest) are bounded too: beyond this,
  // the kernel's accept is answered with a close, before a byte is read.
  server.maxConnections = resolved.maxConnections * 2 + 16;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  resolved.log(
    `listening on ${address.address}:${address.port} (${resolved.readOnly ? 'read-only' : 'mutations allowed'}; ${resolved.secret ? 'password' : resolved.clientCertificates ? 'client certificates' : 'no authentication: loopback only'})`,
  );
  return {
    host: address.address,
    port: address.port,
    connections: () => registry.size,
    close: () => registry.stop(server),
  };
}

/** Every open connection by its process id (the key of CancelRequest), and the slots they hold. */
class ConnectionRegistry implements ConnectionHost {
  readonly engine: Engine;
  readonly options: ResolvedServerOptions;
  private readonly stopping = new AbortController();
  private readonly open = new Map<number, Connection>();
  private readonly admitted = new Set<Connection>();
  private allClosed?: () => void;

  constructor(engine: Engine, options: ResolvedServerOptions) {
    this.engine = engine;
    this.options = options;
  }

  get shutdown(): AbortSignal {
    return this.stopping.signal;
  }

  get size(): number {
    return this.open.size;
  }

  accept(socket: Socket): void {
    let processId = randomInt(1, 2 ** 31 - 1);
    while (this.open.has(processId)) processId = randomInt(1, 2 ** 31 - 1);
    const connection = new Connection(socket, this, processId, randomInt(-(2 ** 31), 2 ** 31 - 1));
    this.open.set(processId, connection);
  }

  admit(connection: Connection): boolean {
    if (this.admitted.size >= this.options.maxConnections) {
      this.options.log(`refused a connection: ${this.admitted.size} connections are open (--max-connections)`);
      return false;
    }
    this.admitted.add(connection);
    return true;
  }

  cancel(processId: number, secretKey: number): void {
    const connection = this.open.get(processId);
    // A wrong key is ignored silently, as PostgreSQL does: it says nothing about which ids exist.
    if (connection && connection.secretKey === secretKey) connection.cancelStatement();
  }

  closed(connection: Connection): void {
    this.open.delete(connection.processId);
    this.admitted.delete(connection);
    if (this.open.size === 0) this.allClosed?.();
  }

  async stop(server: Server): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const drained = new Promise<void>((resolve) => {
      this.allClosed = resolve;
      if (this.open.size === 0) resolve();
    });
    for (const connection of [...this.open.values()]) connection.drain();
    const grace = setTimeout(() => {
      this.stopping.abort('shutdown');
      for (const connection of [...this.open.values()]) connection.terminate();
    }, this.options.shutdownGraceMs);
    await drained;
    clearTimeout(grace);
    this.stopping.abort('shutdown');
    await closed;
  }
}
