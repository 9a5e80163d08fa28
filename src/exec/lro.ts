// ARM long-running operations: a 201/202 with Azure-AsyncOperation (poll until Succeeded,
// Failed or Canceled) or Location (poll until it stops answering 202). Pure decisions here;
// the polling loop is awaitOperation.

import { EngineError } from '../errors.ts';
import type { RequestPlan } from '../plan/types.ts';
import type { ExecDeps } from './execute.ts';
import type { HttpResponse } from './http.ts';
import { retryAfterMs } from './retry.ts';
import { redactUrl } from './redact.ts';
import { oneLine, parseBody } from './responses.ts';
import { sendWithRetries } from './send.ts';

export interface LroStart {
  readonly mode: 'azure-async-operation' | 'location';
  readonly statusUrl: string;
  /** Location, when Azure-AsyncOperation is the status URL: where a POST's result is. */
  readonly resultUrl?: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The operation a response started, if it is one still running. */
export function lroStart(response: HttpResponse): LroStart | undefined {
  if (response.status !== 201 && response.status !== 202) return undefined;
  const asyncUrl = response.headers['azure-asyncoperation'];
  const location = response.headers.location;
  if (asyncUrl) return { mode: 'azure-async-operation', statusUrl: asyncUrl, resultUrl: location, headers: response.headers };
  return location ? { mode: 'location', statusUrl: location, headers: response.headers } : undefined;
}

export type LroState = 'running' | 'succeeded' | 'failed' | 'canceled';

export function asyncOperationState(body: unknown): LroState {
  const status = String((body as { status?: unknown })?.status ?? '').toLowerCase();
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed') return 'failed';
  if (status === 'canceled' || status === 'cancelled') return 'canceled';
  return 'running';
}

/** Polls until the operation ends; returns the final resource body (undefined when there is none). */
export async function awaitOperation(plan: RequestPlan, start: LroStart, deps: ExecDeps): Promise<unknown> {
  const statusUrl = sameOrigin(plan, start.statusUrl);
  const began = deps.clock.now();
  let wait = pollDelayMs(retryAfterMs(start.headers, began), deps.lroPollMs);
  for (;;) {
    await pause(plan, statusUrl, wait, deps);
    const response = await poll(plan, statusUrl, deps);
    const state =
      start.mode === 'location'
        ? response.status === 202
          ? 'running'
          : 'succeeded'
        : asyncOperationState(parseBody(response, { url: statusUrl, operation: plan.operation }));
    deps.onProgress?.(`${plan.operation}: ${state} after ${Math.round((deps.clock.now() - began) / 1000)} s`);
    if (state === 'failed' || state === 'canceled') throw operationFailed(plan, state, response, statusUrl);
    if (state === 'succeeded') return finalBody(plan, start, response, deps);
    wait = pollDelayMs(retryAfterMs(response.headers, deps.clock.now()), deps.lroPollMs);
  }
}

const MAX_POLL_MS = 60_000;
const POLL_FLOOR_MS = 1_000;

/**
 * The wait before the next poll: what Azure asked for, else lroPollMs, kept between
 * min(lroPollMs, 1 s) and 60 s, so neither a "Retry-After: 0" nor a huge one can make the loop
 * spin or hang (a wait beyond setTimeout's range would fire at once).
 */
export function pollDelayMs(askedMs: number | undefined, lroPollMs: number): number {
  return Math.min(MAX_POLL_MS, Math.max(Math.min(lroPollMs, POLL_FLOOR_MS), askedMs ?? lroPollMs));
}

async function pause(plan: RequestPlan, statusUrl: string, ms: number, deps: ExecDeps): Promise<void> {
  try {
    await deps.clock.sleep(ms, deps.signal);
  } catch {
    throw stopped(plan, statusUrl);
  }
}

async function poll(plan: RequestPlan, url: string, deps: ExecDeps): Promise<HttpResponse> {
  try {
    return await sendWithRetries(pollPlan(plan, url), { method: 'GET', url }, deps);
  } catch (error) {
    if ((error as EngineError).code === 'HTTP_ABORTED') throw stopped(plan, url);
    throw error;
  }
}

function pollPlan(plan: RequestPlan, url: string): RequestPlan {
  return { ...plan, method: 'GET', url, body: undefined, idempotent: true, expectedStatus: [200, 201, 202, 204], headers: { accept: 'application/json' } };
}

async function finalBody(plan: RequestPlan, start: LroStart, last: HttpResponse, deps: ExecDeps): Promise<unknown> {
  if (plan.method === 'DELETE') return undefined;
  if (plan.method === 'PUT' || plan.method === 'PATCH') return readBack(plan, plan.url, deps);
  if (start.mode === 'location') return parseBody(last, { url: start.statusUrl, operation: plan.operation });
  return start.resultUrl ? readBack(plan, sameOrigin(plan, start.resultUrl), deps) : undefined;
}

async function readBack(plan: RequestPlan, url: string, deps: ExecDeps): Promise<unknown> {
  const response = await poll(plan, url, deps);
  return parseBody(response, { url, operation: plan.operation });
}

/** Status URLs get the token too, so they must be on the origin the operation started on. */
function sameOrigin(plan: RequestPlan, url: string): string {
  const resolved = new URL(url, plan.url);
  if (resolved.origin !== new URL(plan.url).origin) {
    throw new EngineError(
      'HTTP_UNTRUSTED_NEXT_LINK',
      `${plan.operation}: refusing to poll ${resolved.origin} (the operation started on ${new URL(plan.url).origin})`,
    );
  }
  return resolved.toString();
}

function operationFailed(plan: RequestPlan, state: LroState, response: HttpResponse, statusUrl: string): EngineError {
  const body = parsedOrEmpty(response.body) as { error?: { code?: string; message?: string } };
  const azure = body.error ? ` ${oneLine(String(body.error.code ?? 'Error'), 200)}: ${oneLine(String(body.error.message ?? ''))}` : '';
  return new EngineError('LRO_FAILED', `${plan.operation}: the operation ended ${state === 'failed' ? 'Failed' : 'Canceled'}${azure}`, {
    hint: `status: ${redactUrl(statusUrl)}`,
    details: { state, azureCode: body.error?.code, azureMessage: body.error?.message },
  });
}

function stopped(plan: RequestPlan, statusUrl: string): EngineError {
  return new EngineError('LRO_STOPPED', `${plan.operation}: stopped waiting; the operation continues in Azure`, {
    hint: `follow it at ${redactUrl(statusUrl)}`,
    details: { statusUrl: redactUrl(statusUrl) },
  });
}

function parsedOrEmpty(text: string): unknown {
  try {
    return JSON.parse(text || '{}') ?? {};
  } catch {
    return {};
  }
}
