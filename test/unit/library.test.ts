import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, EngineError, type Engine } from '../../src/index.ts';
import { azureHandlers } from '../helpers/azure-mock.ts';
import { ADF_RUN_ID } from '../helpers/azure-responses.ts';
import { fakeCredential, tokenFor, type RecordingCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const ARM = 'https://management.azure.com/.default';
const SYNAPSE = 'https://dev.azuresynapse.net/.default';
const CREATE_RUN = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName, parameters)
SELECT '{{ sub }}', '{{ rg }}', '{{ factory }}', '{{ pipeline }}', '{{ params }}' RETURNING runId`;
const SYNAPSE_RUN =
  "INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName) SELECT 'myworkspace.dev.azuresynapse.net', 'examplePipeline' RETURNING runId";

let server: MockServer;
let credential: RecordingCredential;
let engine: Engine;
beforeAll(async () => {
  server = await startMockServer(azureHandlers);
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  credential = fakeCredential();
  await engine?.close();
  engine = createEngine({ credential, endpoints: { azure: server.origin, 'azure.synapse_artifacts': server.origin } });
});

describe('createEngine', () => {
  it('query() runs one statement with vars and returns columns and rows', async () => {
    const vars = { sub: 's1', rg: 'rg1', factory: 'factory1', pipeline: 'p1', params: '{"x":[1,2]}' };
    const result = await engine.query(CREATE_RUN, { vars });
    expect(result.columns).toEqual(['runId']);
    expect(result.rows).toEqual([{ runId: ADF_RUN_ID }]);
    expect(server.requests[0].body).toBe('{"x":[1,2]}');
  });

  it('signs each service with its own audience and caches tokens per audience', async () => {
    const vars = { sub: 's1', rg: 'rg1', factory: 'factory1', pipeline: 'p1', params: '' };
    await engine.query(CREATE_RUN, { vars });
    await engine.query(CREATE_RUN, { vars });
    await engine.query(SYNAPSE_RUN);
    expect(credential.scopes).toEqual([ARM, SYNAPSE]);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${tokenFor(ARM)}`,
      `Bearer ${tokenFor(ARM)}`,
      `Bearer ${tokenFor(SYNAPSE)}`,
    ]);
  });

  it('run() runs a script in order and returns every result', async () => {
    const results = await engine.run(`${SYNAPSE_RUN};\nSHOW METHODS IN azure.synapse_artifacts.pipelines_runs;`);
    expect(results.map((result) => result.kind)).toEqual(['insert', 'show']);
    expect(results[1].rows[0]).toMatchObject({ name: 'create', accessible_by: 'insert' });
  });

  it('plan() returns the exact requests without sending or asking for a token', () => {
    const [planned] = engine.plan(SYNAPSE_RUN);
    expect(planned.plan.kind).toBe('http');
    if (planned.plan.kind !== 'http') return;
    expect(planned.plan.requests[0]).toMatchObject({
      method: 'POST',
      audience: SYNAPSE,
      url: `${server.origin}/pipelines/examplePipeline/createRun?api-version=2020-12-01`,
    });
    expect(server.requests).toEqual([]);
    expect(credential.scopes).toEqual([]);
  });

  it('query() refuses a script of several statements', async () => {
    const error = await engine.query('SHOW PROVIDERS; SHOW PROVIDERS').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('SQL_UNSUPPORTED');
  });

  it('throws EngineError with the SQL position of the problem', async () => {
    const error = (await engine
      .query(
        "SELECT * FROM azure.data_factory.pipeline_runs\nWHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'factory' AND runId = 'r' AND nosuch = 1",
      )
      .catch((caught: unknown) => caught)) as EngineError;
    expect(error.code).toBe('PLAN_UNKNOWN_COLUMN');
    expect(error.span).toMatchObject({ line: 2, column: 105 });
  });
});
