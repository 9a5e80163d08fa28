// Azure's answers to the pipeline-run operations the tests send to the mock (azure-mock.ts):
// createRun, cancel and get, for Data Factory and Synapse. Written by hand with our own values,
// in the shape of the specs' examples: test/unit/helpers/azure-responses.test.ts checks them
// against the registry always, and against the examples in ../shared/specs when it is there.

export interface CannedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Absent: the response has no body. */
  readonly body?: unknown;
}

/** The runId createRun answers with. */
export const ADF_RUN_ID = '7c0e4b1a-93d2-4f6e-b5a8-2d61f0c9e347';
export const SYNAPSE_RUN_ID = 'b3f58e2c-1d7a-4c09-8e6f-5a2c9d04b711';

const armHeaders = (requestId: string, budget: Record<string, string>) => ({
  Date: 'Sun, 22 Nov 2026 06:00:02 GMT',
  'X-Content-Type-Options': 'nosniff',
  ...budget,
  'x-ms-request-id': requestId,
  'x-ms-correlation-request-id': requestId,
});

const created = (status: number, runId: string, requestId: string): CannedResponse => ({
  status,
  headers: armHeaders(requestId, { 'x-ms-ratelimit-remaining-subscription-writes': '1197' }),
  body: { runId },
});

/** A finished run of a pipeline with two parameters; `runId` is the one asked for. */
const finishedRun = (runId: string, pipelineName: string, requestId: string): CannedResponse => ({
  status: 200,
  headers: armHeaders(requestId, { 'x-ms-ratelimit-remaining-subscription-reads': '11996' }),
  body: {
    runId,
    pipelineName,
    parameters: { sourceContainer: 'landing', targetTable: 'sales.daily' },
    invokedBy: { id: '4e1c0b9f2a7d4c8e9b3a6f5d2c1e0a97', name: 'Manual' },
    runStart: '2026-11-22T06:00:04.5120317Z',
    runEnd: '2026-11-22T06:02:51.0894412Z',
    durationInMs: 166577,
    status: 'Succeeded',
    message: '',
    lastUpdated: '2026-11-22T06:02:51.0894412Z',
    annotations: ['nightly'],
  },
});

/** Cancel answers 200 with no body. */
const cancelled: CannedResponse = { status: 200, headers: {} };

export const adfResponses = {
  createRun: () => created(200, ADF_RUN_ID, '0d6f2a81-5b3c-4e97-a1d4-c85e7f309b26'),
  cancel: () => cancelled,
  getRun: (runId: string) => finishedRun(runId, 'nightly-copy', '9a4e7c12-60bd-4f35-8e29-1b7d3c5a08f4'),
};

export const synapseResponses = {
  createRun: () => created(202, SYNAPSE_RUN_ID, 'e27b9d40-3c18-4a6f-9d52-7f0e1b8c6a35'),
  cancel: () => cancelled,
  getRun: (runId: string) => finishedRun(runId, 'load-warehouse', '5c81f3e7-2a94-4d0b-b6e8-3f9a7d1c2e50'),
};
