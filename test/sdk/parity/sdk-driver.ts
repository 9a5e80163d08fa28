// Drives @azure/arm-datafactory against the recording server: an HttpClient over node:http
// that sends the SDK's https:// requests to the server's http:// origin (the SDK's bearer policy
// refuses http://), a fixed token, and a way to learn each method's arguments from the SDK itself.

import { request as httpRequest } from 'node:http';
import { DataFactoryManagementClient } from '@azure/arm-datafactory';
import type { Mapper, OperationArguments, OperationSpec } from '@azure/core-client';
import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';

/** `https://127.0.0.1:PORT` for the SDK; its requests go to `http://127.0.0.1:PORT`. */
export function sdkClient(origin: string, subscriptionId: string): DataFactoryManagementClient {
  const credential = { getToken: async () => ({ token: 'parity-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  // Retries are off: the server always answers, and a retried request would be recorded twice.
  return new DataFactoryManagementClient(credential, subscriptionId, {
    endpoint: origin.replace(/^http:/, 'https:'),
    httpClient: rewritingClient(),
    retryOptions: { maxRetries: 0 },
  });
}

function rewritingClient(): HttpClient {
  return {
    sendRequest: (request) =>
      new Promise((resolve, reject) => {
        const url = new URL(request.url.replace(/^https:/, 'http:'));
        const headers = request.headers.toJSON({ preserveCase: true });
        const outgoing = httpRequest(url, { method: request.method, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            // The SDK sees the server as https://: so are the links in its answers (nextLink).
            const body = Buffer.concat(chunks)
              .toString('utf8')
              .replaceAll(url.origin, url.origin.replace(/^http:/, 'https:'));
            resolve(pipelineResponse(request, response.statusCode ?? 0, response.headers, body));
          });
          response.on('error', reject);
        });
        outgoing.on('error', reject);
        outgoing.end(typeof request.body === 'string' ? request.body : undefined);
      }),
  };
}

function pipelineResponse(request: PipelineRequest, status: number, raw: Record<string, string | string[] | undefined>, body: string): PipelineResponse {
  return { request, status, headers: headersOf(raw), bodyAsText: body };
}

function headersOf(raw: Record<string, string | string[] | undefined>): HttpHeaders {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) map.set(name.toLowerCase(), String(value));
  return {
    get: (name) => map.get(name.toLowerCase()),
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => void map.set(name.toLowerCase(), String(value)),
    delete: (name) => void map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

/** What the SDK method does with its arguments: their names in order, and the operation it sends. */
export interface SdkSignature {
  /** Positional argument names, then `options`. */
  readonly argumentNames: readonly string[];
  readonly spec: OperationSpec;
}

class Probed extends Error {
  readonly signature: SdkSignature;
  constructor(signature: SdkSignature) {
    super('probed');
    this.signature = signature;
  }
}

/**
 * Calls the method with placeholders and stops it at `sendOperationRequest`, before anything is
 * serialised or sent: the arguments object the generated code builds names every positional
 * argument, and the spec says where each of them goes.
 */
export async function probe(
  client: DataFactoryManagementClient,
  call: (client: DataFactoryManagementClient, args: unknown[]) => unknown,
  arity: number,
): Promise<SdkSignature> {
  const original = client.sendOperationRequest;
  client.sendOperationRequest = async (args: OperationArguments, spec: OperationSpec) => {
    throw new Probed({ argumentNames: Object.keys(args), spec });
  };
  try {
    await settle(
      call(
        client,
        Array.from({ length: arity }, (_, i) => (i === arity - 1 ? {} : `placeholder${i}`)),
      ),
    );
  } catch (error) {
    if (error instanceof Probed) return error.signature;
    throw error;
  } finally {
    client.sendOperationRequest = original;
  }
  throw new Error('the SDK method sent no operation');
}

/** Awaits a promise, or the first page of a pager. */
export async function settle(result: unknown): Promise<unknown> {
  if (result && typeof (result as AsyncIterator<unknown>).next === 'function') return (result as AsyncIterator<unknown>).next();
  return result;
}

/** Every page of a pager, or the promise's value. */
export async function drain(result: unknown): Promise<void> {
  if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const _ of result as AsyncIterable<unknown>) {
      /* every page is requested */
    }
    return;
  }
  await result;
}

/** The wire JSON as the SDK's model (Dates, flattened properties, client names). */
export function toModel(spec: OperationSpec, mapper: Mapper, wire: unknown): unknown {
  return spec.serializer.deserialize(mapper, wire, 'body');
}

/** The model as the SDK would put it on the wire. */
export function toWire(spec: OperationSpec, mapper: Mapper, model: unknown): unknown {
  return spec.serializer.serialize(mapper, model, 'body');
}

/** `Group_Method` → the client's method: `list…` for x-ms-pageable, `begin…AndWait` for long-running operations. */
export function sdkMethodName(operationId: string, pageable: boolean, longRunning: boolean): { group: string; method: string } {
  const [group, verb] = operationId.split('_');
  const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
  let method = lower(verb);
  if (pageable && !method.startsWith('list')) method = `list${verb}`;
  if (longRunning) method = `begin${verb}AndWait`;
  return { group: lower(group), method };
}

export type SdkCall = (client: DataFactoryManagementClient, args: unknown[]) => unknown;

export function sdkCaller(group: string, method: string): { call: SdkCall; arity: number } {
  const probeClient = sdkClient('http://127.0.0.1:1', 'probe');
  const target = (probeClient as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[group];
  const fn = target?.[method];
  if (typeof fn !== 'function') throw new Error(`the SDK has no ${group}.${method}`);
  const call: SdkCall = (client, args) => {
    const operations = (client as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[group];
    return operations[method](...args);
  };
  return { call, arity: fn.length };
}

/** The SDK's positional arguments (and options) that carry these wire values. */
export function sdkArguments(signature: SdkSignature, params: Readonly<Record<string, unknown>>, body: unknown): unknown[] {
  const { spec } = signature;
  const args: Record<string, unknown> = { options: {} };
  const declared = [...(spec.urlParameters ?? []), ...(spec.queryParameters ?? []), ...(spec.headerParameters ?? [])];
  for (const parameter of declared) {
    const name = parameter.mapper.serializedName ?? '';
    if (Object.hasOwn(params, name)) place(args, parameter.parameterPath, typed(parameter.mapper, params[name]));
  }
  if (body !== undefined && spec.requestBody) place(args, spec.requestBody.parameterPath, toModel(spec, spec.requestBody.mapper, body));
  return signature.argumentNames.map((name) => args[name]);
}

function typed(mapper: Mapper, value: unknown): unknown {
  return mapper.type.name === 'DateTime' && typeof value === 'string' ? new Date(value) : value;
}

function place(args: Record<string, unknown>, path: unknown, value: unknown): void {
  const keys = typeof path === 'string' ? [path] : Array.isArray(path) ? path.map(String) : [];
  if (keys.length === 0) throw new Error(`parameter path ${JSON.stringify(path)} is not supported here`);
  let holder = args;
  for (const key of keys.slice(0, -1)) holder = (holder[key] ??= {}) as Record<string, unknown>;
  holder[keys.at(-1)!] = value;
}
