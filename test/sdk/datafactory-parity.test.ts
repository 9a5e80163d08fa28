// skyql sends exactly the requests Microsoft's SDK (@azure/arm-datafactory) sends, for every
// operation of datafactory.json. Both clients call one recording server on 127.0.0.1 with the
// same values — the operation's x-ms-examples file when ../shared has it, and values made up
// from the params' schemas (required params only; every param) — and each request is compared:
// method, path, query (in any order), JSON body, content-type, accept and the header params.
//
// The SDK gets each value as its model type (the wire JSON deserialised by the SDK's own mappers);
// where its model cannot carry a value exactly as given (a date-time with 7 fraction digits becomes
// a Date), both clients get the value as the SDK would send it.
//
// DELIBERATE lists where skyql refuses or leaves out a value the SDK would send, each with its rule.

import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, isEngineError, type Engine, type PlannedStatement } from '../../src/index.ts';
import { Registry } from '../../src/registry/load.ts';
import type { MethodSpec, ResourceSpec, ServiceSpec } from '../../src/registry/types.ts';
import { fakeCredential } from '../helpers/credential.ts';
import type { RecordedRequest } from '../helpers/mock-server.ts';
import { differences } from './parity/compare.ts';
import { startRecorder, type Paging, type Recorder } from './parity/recorder.ts';
import { drain, probe, sdkArguments, sdkCaller, sdkClient, sdkMethodName, toModel, toWire, type SdkCall, type SdkSignature } from './parity/sdk-driver.ts';
import { loadSpec, specPresent, specsRootOf, type Spec, type SpecOperation, type Variant, type WireInput } from './parity/spec-values.ts';
import { statementsFor, type Statement } from './parity/statements.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shared = process.env.SKYQL_SHARED ?? join(repoRoot, '../shared');
const present = specPresent(shared);
if (!present) console.log(`datafactory SDK parity skipped: no datafactory.json under ${shared} (set SKYQL_SHARED or place ../shared)`);

const OPERATIONS = 85;
const VARIANTS: readonly Variant[] = ['example', 'required', 'all'];

/**
 * Calls beyond the three variants: values the spec makes meaningful that neither an example file
 * among ../shared's nor made-up values give. Each is the operation's required-params call, changed.
 */
const EXTRA_CALLS: Readonly<Record<string, { readonly why: string; readonly body: Readonly<Record<string, unknown>> }>> = {
  Factories_GetDataPlaneAccess: {
    why: 'accessResourcePath: "Currently only empty string is supported" (the values of the upstream x-ms-example)',
    body: {
      permissions: 'r',
      accessResourcePath: '',
      profileName: 'DefaultProfile',
      startTime: '2018-11-10T02:46:20.265Z',
      expireTime: '2018-11-10T09:46:20.265Z',
    },
  },
};

interface Deliberate {
  readonly operationId: string;
  readonly rule: string;
  /** Changes to the operation's required-params call. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly body?: Readonly<Record<string, unknown>>;
  /** skyql's answer: an error code before anything is sent, or the SDK's request without these params. */
  readonly skyql: { readonly error: string } | { readonly omits: readonly string[] };
}

/** Where skyql does not send what the SDK sends, on purpose. */
const DELIBERATE: readonly Deliberate[] = [
  {
    operationId: 'Factories_ConfigureFactoryRepo',
    params: { locationId: '..' },
    rule: 'a path value "." or ".." is refused: the SDK sends …/locations/../configureFactoryRepo as …/providers/Microsoft.DataFactory/configureFactoryRepo',
    skyql: { error: 'PLAN_INVALID_VALUE' },
  },
  {
    operationId: 'PipelineRuns_Get',
    params: { runId: '.' },
    rule: 'a path value "." or ".." is refused: the SDK sends …/pipelineruns/. as …/pipelineruns/, another resource',
    skyql: { error: 'PLAN_INVALID_VALUE' },
  },
  {
    operationId: 'PipelineRuns_QueryByFactory',
    body: { lastUpdatedAfter: '2026-11-01', lastUpdatedBefore: '2026-11-02' },
    rule: "a date-time must be RFC 3339 (date, time and offset): the SDK takes a Date, and new Date('2026-11-01') is midnight UTC",
    skyql: { error: 'PLAN_INVALID_VALUE' },
  },
  {
    operationId: 'TriggerRuns_QueryByFactory',
    body: { lastUpdatedAfter: '2026-11-01T00:00:00', lastUpdatedBefore: '2026-11-02T00:00:00' },
    rule: "a date-time must be RFC 3339 (date, time and offset): the SDK takes a Date, and new Date('2026-11-01T00:00:00') is in the machine's time zone",
    skyql: { error: 'PLAN_INVALID_VALUE' },
  },
  {
    operationId: 'Pipelines_CreateRun',
    params: { startActivityName: '' },
    rule: "an optional param whose value is '' is left out (a template var with no value), unless the spec makes '' a value",
    skyql: { omits: ['startActivityName'] },
  },
  {
    operationId: 'Factories_GetGitHubAccessToken',
    body: { gitHubAccessCode: '', gitHubAccessTokenBaseUrl: 'https://github.com' },
    rule: "'' for a required param is an error (PLAN_MISSING_PARAM), unless the spec makes '' a value",
    skyql: { error: 'PLAN_MISSING_PARAM' },
  },
];

interface Target {
  readonly resource: ResourceSpec;
  readonly method: MethodSpec;
}

interface Outcome {
  readonly operationId: string;
  readonly identical: boolean;
  readonly normalised: number;
  readonly viaExec: readonly string[];
  /** The statement forms compared (`select`, `insert`, …), one entry per statement. */
  readonly forms: readonly string[];
}

const outcomes = new Map<string, Outcome>();
const spec: Spec | undefined = present ? loadSpec(specsRootOf(shared)) : undefined;

describe.skipIf(!present)('@azure/arm-datafactory parity, operation by operation', () => {
  let recorder: Recorder;
  let engine: Engine;
  let service: ServiceSpec;

  beforeAll(async () => {
    recorder = await startRecorder();
    // The bundled registry only: a user's own services cannot change what is compared.
    engine = createEngine({
      credential: fakeCredential(),
      endpoints: { azure: recorder.origin },
      userRegistry: '/nonexistent',
      pacing: false,
      retry: { maxAttempts: 1 },
    });
    service = new Registry().service('azure', 'data_factory')!;
  });
  afterAll(async () => {
    await engine?.close();
    await recorder?.close();
  });

  it(`datafactory.json has ${OPERATIONS} operations, and each is a registry method and an SDK method`, () => {
    expect(spec!.operations).toHaveLength(OPERATIONS);
    for (const operation of spec!.operations) {
      expect(targetsOf(service, operation.operationId), operation.operationId).not.toEqual([]);
      expect(() => sdkOf(operation), operation.operationId).not.toThrow();
    }
  });

  for (const operation of spec?.operations ?? []) {
    it(operation.operationId, async () => {
      const outcome = await compareOperation(operation);
      outcomes.set(operation.operationId, outcome.summary);
      expect(outcome.differences).toEqual([]);
    });
  }

  for (const deliberate of DELIBERATE) {
    it(`deliberate: ${deliberate.operationId}: ${deliberate.rule}`, async () => {
      const operation = spec!.operations.find((candidate) => candidate.operationId === deliberate.operationId)!;
      const input = withChanges(spec!.input(operation, 'required')!, deliberate.params, deliberate.body);
      const { call, signature, paging } = await sdkOf(operation);
      const sdk = await recorder.record(paging, () => callSdk(recorder.origin, call, signature, input, paging));
      expect(sdk.error, 'the SDK sends this call').toBeUndefined();
      const [target] = targetsOf(service, operation.operationId);
      const [statement] = statementsFor(target.resource, target.method, input);
      const skyql = await recorder.record(paging, () => engine.query(statement.sql));
      if ('error' in deliberate.skyql) {
        expect(isEngineError(skyql.error) ? skyql.error.code : skyql.error).toBe(deliberate.skyql.error);
        expect(skyql.requests).toEqual([]);
        return;
      }
      const omits = deliberate.skyql.omits;
      const omitted = Object.fromEntries(Object.entries(input.params).filter(([name]) => !omits.includes(name)));
      const without = await recorder.record(paging, () => callSdk(recorder.origin, call, signature, { ...input, params: omitted }, paging));
      expect(differences(sdk.requests, skyql.requests), 'the SDK sends the value').not.toEqual([]);
      expect(differences(without.requests, skyql.requests, headerParams(target.method))).toEqual([]);
    });
  }

  it("no deliberate difference: a date-time that is no date at all ('yesterday') is refused by both clients, and nothing is sent", async () => {
    const operation = spec!.operations.find((candidate) => candidate.operationId === 'PipelineRuns_QueryByFactory')!;
    const input = withChanges(spec!.input(operation, 'required')!, {}, { lastUpdatedAfter: 'yesterday' });
    const { call, signature, paging } = await sdkOf(operation);
    const sdk = await recorder.record(paging, () => callSdk(recorder.origin, call, signature, input, paging));
    const [target] = targetsOf(service, operation.operationId);
    const skyql = await recorder.record(paging, () => engine.query(statementsFor(target.resource, target.method, input)[0].sql));
    expect(sdk.error).toBeDefined();
    expect(sdk.requests).toEqual([]);
    expect(isEngineError(skyql.error) ? skyql.error.code : skyql.error).toBe('PLAN_INVALID_VALUE');
    expect(skyql.requests).toEqual([]);
  });

  it('summary', () => {
    const identical = [...outcomes.values()].filter((outcome) => outcome.identical).length;
    const normalised = [...outcomes.values()].reduce((sum, outcome) => sum + outcome.normalised, 0);
    const viaExec = [...outcomes.values()].flatMap((outcome) => outcome.viaExec);
    const forms = Object.entries(
      Object.groupBy(
        [...outcomes.values()].flatMap((outcome) => outcome.forms),
        (form) => form,
      ),
    )
      .map(([form, list]) => `${list!.length} ${form}`)
      .join(', ');
    console.log(
      [
        `datafactory SDK parity: ${identical} of ${outcomes.size} operations send identical requests`,
        `  statements compared with the SDK's calls: ${forms}`,
        `  ${normalised} call(s) had a body the SDK's model carries differently (both clients got the SDK's form)`,
        ...viaExec.map((line) => `  via EXEC: ${line}`),
        ...DELIBERATE.map((entry) => `  deliberate: ${entry.operationId}: ${entry.rule}`),
      ].join('\n'),
    );
    expect(outcomes.size).toBe(OPERATIONS);
  });

  /** The SDK method of an operation, its signature, and how its lists page. */
  async function sdkOf(operation: SpecOperation): Promise<{ call: SdkCall; signature: SdkSignature; paging: Paging }> {
    const longRunning = operation.raw.operation.node['x-ms-long-running-operation'] === true;
    const { group, method } = sdkMethodName(operation.operationId, operation.pageable, longRunning);
    const { call, arity } = sdkCaller(group, method);
    const signature = await probe(sdkClient(recorder.origin, 'probe'), call, arity);
    const continuation = targetsOf(service, operation.operationId).some((target) => target.method.pagination?.kind === 'continuationToken');
    return { call, signature, paging: operation.pageable ? 'nextLink' : continuation ? 'continuationToken' : undefined };
  }

  async function compareOperation(operation: SpecOperation): Promise<{ differences: string[]; summary: Outcome }> {
    const { call, signature, paging } = await sdkOf(operation);
    const found: string[] = [];
    const viaExec: string[] = [];
    const forms: string[] = [];
    let normalised = 0;
    const extra = EXTRA_CALLS[operation.operationId];
    for (const variant of [...VARIANTS, ...(extra ? ['extra' as const] : [])]) {
      const given = variant === 'extra' ? withChanges(spec!.input(operation, 'required')!, {}, extra!.body) : spec!.input(operation, variant);
      if (!given) continue;
      const input = asTheSdkSendsIt(signature, given);
      if (input !== given) normalised++;
      const sdk = await recorder.record(paging, () => callSdk(recorder.origin, call, signature, input, paging));
      if (sdk.error) {
        found.push(`${variant}: the SDK failed: ${String(sdk.error)}`);
        continue;
      }
      for (const { resource, method } of targetsOf(service, operation.operationId)) {
        for (const statement of statementsFor(resource, method, input)) {
          if (statement.note) viaExec.push(`${operation.operationId} (${variant}): ${statement.note}`);
          forms.push(statement.form);
          const label = variant === 'extra' ? `extra (${extra!.why}), ${statement.form}` : `${variant}, ${statement.form}`;
          found.push(...(await compareStatement(label, statement, method, `${resource.id}.${method.name}`, sdk.requests, paging)));
        }
      }
    }
    return { differences: found, summary: { operationId: operation.operationId, identical: found.length === 0, normalised, viaExec, forms } };
  }

  async function compareStatement(
    label: string,
    statement: Statement,
    method: MethodSpec,
    operation: string,
    expected: readonly RecordedRequest[],
    paging: Paging,
  ): Promise<string[]> {
    let planned: string | undefined;
    try {
      planned = plannedOperation(engine.plan(statement.sql)[0]);
    } catch (error) {
      return [`${label}: ${statement.sql}\n  skyql refused it: ${describeError(error)}`];
    }
    if (planned !== operation) return [`${label}: ${statement.sql}\n  skyql plans ${planned}, not ${operation}`];
    const skyql = await recorder.record(paging, () => engine.query(statement.sql));
    if (skyql.error) return [`${label}: ${statement.sql}\n  skyql failed: ${describeError(skyql.error)}`];
    return differences(expected, skyql.requests, headerParams(method)).map((line) => `${label}: ${line}`);
  }
});

function headerParams(method: MethodSpec): string[] {
  return method.params.filter((param) => param.in === 'header').map((param) => param.name);
}

/** The registry methods of an operation (a PUT has an INSERT and a REPLACE method). */
function targetsOf(service: ServiceSpec, operationId: string): Target[] {
  return Object.values(service.resources).flatMap((resource) =>
    Object.values(resource.methods)
      .filter((method) => method.operationId === operationId)
      .map((method) => ({ resource, method })),
  );
}

function withChanges(input: WireInput, params: Readonly<Record<string, unknown>> = {}, body?: Readonly<Record<string, unknown>>): WireInput {
  return { params: { ...input.params, ...params }, body: body ? { ...(input.body as object), ...body } : input.body };
}

/** The input with its body as the SDK's model sends it (a Date has millisecond precision). */
function asTheSdkSendsIt(signature: SdkSignature, input: WireInput): WireInput {
  const body = signature.spec.requestBody;
  if (input.body === undefined || !body) return input;
  const wire = toWire(signature.spec, body.mapper, toModel(signature.spec, body.mapper, input.body));
  return isDeepStrictEqual(wire, input.body) ? input : { ...input, body: wire };
}

/** One SDK call; a continuationToken list is paged as its callers do, sending the token back. */
async function callSdk(origin: string, call: SdkCall, signature: SdkSignature, input: WireInput, paging: Paging): Promise<void> {
  const client = sdkClient(origin, String(input.params.subscriptionId ?? 'unused'));
  if (paging !== 'continuationToken') return drain(call(client, sdkArguments(signature, input.params, input.body)));
  let body = input.body as Record<string, unknown>;
  for (;;) {
    const page = (await call(client, sdkArguments(signature, input.params, body))) as { continuationToken?: string };
    if (!page.continuationToken) return;
    body = { ...body, continuationToken: page.continuationToken };
  }
}

function plannedOperation(planned: PlannedStatement): string | undefined {
  const { plan } = planned;
  if (plan.kind === 'http') return plan.requests[0]?.operation;
  if (plan.kind === 'select') return plan.sources[0]?.operation;
  return undefined;
}

function describeError(error: unknown): string {
  return isEngineError(error) ? `${error.code}: ${error.message}` : String(error);
}
