// A wire server in-process on 127.0.0.1:0 in front of an engine that talks to the mock Azure fleet.

import type { RequestHandler } from 'msw';
import pg from 'pg';
import { createEngine, type Engine, type EngineOptions } from '../../src/index.ts';
import { startPgServer, type PgServer } from '../../src/server/server.ts';
import type { ServerOptions } from '../../src/server/options.ts';
import { defaultFleet, fleetHandlers, type Fleet } from '../helpers/azure-fleet.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

export interface Harness {
  readonly azure: MockServer;
  readonly engine: Engine;
  readonly server: PgServer;
  readonly fleet: Fleet;
  readonly logs: string[];
  client(config?: pg.ClientConfig): Promise<pg.Client>;
  close(): Promise<void>;
}

export const NOW = () => new Date('2026-11-22T12:00:00Z');

export async function startHarness(
  options: { server?: ServerOptions; engine?: EngineOptions; handlers?: RequestHandler[]; fleet?: Fleet } = {},
): Promise<Harness> {
  const fleet = options.fleet ?? defaultFleet();
  const azure = await startMockServer([...(options.handlers ?? []), ...fleetHandlers(fleet)]);
  const engine = createEngine({
    credential: fakeCredential(),
    now: NOW,
    endpoints: { azure: azure.origin },
    pacing: false,
    cacheDir: false,
    ...options.engine,
  });
  const logs: string[] = [];
  const server = await startPgServer(engine, { host: '127.0.0.1', port: 0, version: 'test', log: (line) => logs.push(line), ...options.server });
  const clients: pg.Client[] = [];
  return {
    azure,
    engine,
    server,
    fleet,
    logs,
    async client(config = {}) {
      const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'skyql', database: 'skyql', ...config });
      client.on('error', () => {});
      await client.connect();
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
      await server.close();
      await engine.close();
      await azure.close();
    },
  };
}
