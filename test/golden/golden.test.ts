import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, EngineError, plannedRequests, renderRequestLine, type QueryResult } from '../../src/index.ts';
import { azureHandlers } from '../helpers/azure-mock.ts';
import { defaultFleet, fleetHandlers } from '../helpers/azure-fleet.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer, type RecordedRequest } from '../helpers/mock-server.ts';
import { parseGolden, renderGolden, type GoldenCase } from './golden-file.ts';
import { explainLines } from '../../src/output/explain.ts';

const CASES = new URL('./cases/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SHOWN_HEADERS = ['authorization', 'content-type', 'if-match'];
const _SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const NOW = () => new Date('2026-11-22T12:00:00Z');

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer(azureHandlers);
});
afterAll(async () => {
  await server.close();
});

describe('golden: SQL → HTTP requests → rows', () => {
  for (const file of readdirSync(CASES)
    .filter((name) => name.endsWith('.golden'))
    .sort()) {
    it(file, async () => {
      const path = new URL(file, CASES);
      const golden = parseGolden(readFileSync(path, 'utf8'));
      const actual = await runCase(golden);
      if (UPDATE) return writeFileSync(path, renderGolden(golden, actual));
      for (const [name, expected] of Object.entries(golden.sections)) expect(actual[name], `section ${name}`).toBe(expected);
      expect(Object.keys(actual).sort(), 'sections').toEqual(Object.keys(golden.sections).sort());
    });
  }
});

async function runCase(golden: GoldenCase): Promise<Record<string, string>> {
  const actual: Record<string, string> = {};
  const planner = createEngine({ credential: fakeCredential(), now: NOW });
  try {
    const planned = planner.plan(golden.sql, { vars: golden.vars });
    actual.plan = planned.flatMap((statement) => plannedRequests(statement.plan).map(renderRequestLine)).join('\n');
    // What EXPLAIN prints for each statement: the plan as a reader sees it.
    actual.explain = planned
      .map((statement) => (statement.plan.kind === 'explain' ? [] : explainLines(statement.plan)).join('\n'))
      .filter(Boolean)
      .join('\n\n');
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
  }
  server.reset();
  if (golden.mock === 'fleet') server.use(...fleetHandlers(defaultFleet()));
  const engine = createEngine({
    credential: fakeCredential(),
    now: NOW,
    concurrency: 1,
    endpoints: { azure: server.origin, 'azure.synapse_artifacts': server.origin },
  });
  const results: QueryResult[] = [];
  try {
    for await (const result of engine.stream(golden.sql, { vars: golden.vars })) results.push(result);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    actual.error = `${error.code}: ${error.message}`;
  } finally {
    await engine.close();
  }
  if (actual.plan === '') delete actual.plan;
  if (!actual.explain) delete actual.explain;
  actual.requests = server.requests.map(renderRecorded).join('\n\n') || '(none)';
  const rows = results.filter((result) => result.returnsRows).map((result) => JSON.stringify(result.rows));
  // The mock listens on a port of its own each run: rows that show URLs (EXPLAIN) name it by role.
  if (rows.length > 0) actual.rows = rows.join('\n').replaceAll(server.origin, 'http://mock');
  return actual;
}

function renderRecorded(request: RecordedRequest): string {
  const headers = SHOWN_HEADERS.filter((name) => request.headers[name] !== undefined).map((name) => `${name}: ${request.headers[name]}`);
  return [`${request.method} ${request.path}`, ...headers, ...(request.body ? [`body: ${request.body}`] : [])].join('\n');
}
