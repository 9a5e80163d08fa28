// The set-up most engine tests share: one fake-Azure fleet served on 127.0.0.1 for the file, its
// request log emptied and a fresh engine made before each test (and closed after it).

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/index.ts';
import { defaultFleet, fleetHandlers, type Fleet, type FleetOptions } from './azure-fleet.ts';
import { fakeCredential } from './credential.ts';
import { startMockServer, type MockServer } from './mock-server.ts';

export interface FleetSuite {
  readonly fleet: Fleet;
  readonly server: MockServer;
  /** This test's engine. */
  readonly engine: Engine;
  /** Another engine on the same fleet (the caller closes it). */
  newEngine(extra?: EngineOptions): Engine;
}

/** Registers the hooks; `engineOptions` is read before each test (a folder made per test, say). */
export function fleetSuite(fleetOptions: FleetOptions = {}, engineOptions: () => EngineOptions = () => ({})): FleetSuite {
  let fleet: Fleet | undefined;
  let server: MockServer | undefined;
  let engine: Engine | undefined;
  const newEngine = (extra: EngineOptions = {}) =>
    createEngine({ credential: fakeCredential(), endpoints: { azure: server!.origin }, pacing: false, ...engineOptions(), ...extra });
  beforeAll(async () => {
    fleet = defaultFleet(fleetOptions);
    server = await startMockServer(fleetHandlers(fleet));
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server!.reset();
    engine = newEngine();
    return () => engine!.close();
  });
  return {
    get fleet() {
      return fleet!;
    },
    get server() {
      return server!;
    },
    get engine() {
      return engine!;
    },
    newEngine,
  };
}
