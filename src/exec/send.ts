// Sends one request: pacing, token, transport, status check, and retries (see retry.ts for
// which failures are retried). Every exchange is reported to onExchange (--http-log).

import { EngineError, toEngineError } from '../errors.ts';
import type { RequestPlan } from '../plan/types.ts';
import { BEARER_HEADER } from './auth.ts';
import type { ExecDeps } from './execute.ts';
import type { HttpResponse } from './http.ts';
import { REDACTED, redactUrl } from './redact.ts';
import { nextRetryDelay, type Outcome } from './retry.ts';
import { statusError } from './responses.ts';

export interface Exchange {
  readonly method: RequestPlan['method'];
  readonly url: string;
  readonly body?: string;
}

/**
 * One async function for every attempt: a request is on the path of every statement, and each
 * async layer costs a promise and a suspended frame per call (measured at 32 requests in flight).
 * What an attempt decides without waiting is in the functions below.
 */
export async function sendWithRetries(plan: RequestPlan, exchange: Exchange, deps: ExecDeps): Promise<HttpResponse> {
  const started = deps.clock.now();
  for (let attempt = 1; ; attempt++) {
    checkBeforeSending(plan, exchange, deps);
    const ticket = deps.limiter.acquire(exchange.method, exchange.url, deps.signal);
    const release = typeof ticket === 'function' ? ticket : await ticket;
    const sentAt = deps.onExchange ? performance.now() : 0;
    let sent = false;
    let failure: FailedAttempt;
    try {
      const source = plan.audience ? deps.tokens(plan.provider) : undefined;
      const token = source && plan.audience ? (source.cached?.(plan.audience) ?? (await source.token(plan.audience, deps.signal))) : undefined;
      const header = source?.header ?? BEARER_HEADER;
      const headers = token === undefined ? { ...plan.headers } : { ...plan.headers, [header.name]: `${header.prefix}${token}` };
      sent = true;
      const response = withoutToken(
        await deps.http.send({ method: exchange.method, url: exchange.url, headers, body: exchange.body, signal: deps.signal }),
        token,
      );
      deps.limiter.observe(exchange.method, exchange.url, response.headers);
      if (deps.onExchange) reportResponse(deps.onExchange, exchange, response, sentAt, attempt);
      // A 2xx the spec did not list (e.g. 204 for an empty DELETE) still means success.
      if (plan.expectedStatus.includes(response.status) || (response.status >= 200 && response.status < 300)) return response;
      failure = statusFailure(plan, exchange, response);
    } catch (caught) {
      failure = transportFailure(plan, exchange, deps, caught, sent, sentAt, attempt);
    } finally {
      release();
    }
    const delay = nextRetryDelay(failure.failure, plan.idempotent, attempt, deps.clock.now() - started, deps.retry, deps.clock.now(), deps.random);
    if (delay === undefined) throw finalError(plan, exchange, failure, attempt);
    await deps.clock.sleep(delay, deps.signal).catch(() => {
      throw new EngineError('HTTP_ABORTED', `${plan.operation}: cancelled while waiting to retry`);
    });
  }
}

interface FailedAttempt {
  readonly failure: Outcome;
  readonly error: EngineError;
}

function checkBeforeSending(plan: RequestPlan, exchange: Exchange, deps: ExecDeps): void {
  if (deps.signal?.aborted) throw new EngineError('HTTP_ABORTED', `${plan.operation}: cancelled before it was sent`);
  // Every request that carries a token, whatever gave its URL (the plan, a nextLink, a status
  // URL), goes only to the hosts of the token's audience.
  if (plan.audience) deps.hosts.check(plan.provider, plan.audience, exchange.url, plan.operation, plan.credentialOrigins);
}

function reportResponse(onExchange: NonNullable<ExecDeps['onExchange']>, exchange: Exchange, response: HttpResponse, sentAt: number, attempt: number): void {
  onExchange({
    method: exchange.method,
    url: exchange.url,
    status: response.status,
    durationMs: performance.now() - sentAt,
    attempt,
    requestId: response.headers['x-ms-request-id'],
  });
}

function statusFailure(plan: RequestPlan, exchange: Exchange, response: HttpResponse): FailedAttempt {
  return { failure: { kind: 'status', status: response.status, headers: response.headers }, error: statusError(response, plan, exchange.url) };
}

/** A failure without a response: cancellation and auth errors end the request; others may be retried. */
function transportFailure(
  plan: RequestPlan,
  exchange: Exchange,
  deps: ExecDeps,
  caught: unknown,
  sent: boolean,
  sentAt: number,
  attempt: number,
): FailedAttempt {
  const error = toEngineError(caught);
  if (error.code === 'HTTP_ABORTED') throw sent && !plan.idempotent ? uncertainAbort(plan, exchange, error) : error;
  if (error.code.startsWith('AUTH_')) throw error;
  deps.onExchange?.({ method: exchange.method, url: exchange.url, status: 0, durationMs: performance.now() - sentAt, attempt, error: error.code });
  return { failure: { kind: 'error', error }, error };
}

const MIN_SECRET_LENGTH = 8;

/**
 * A server that echoes the request (its Authorization header) into a body or a header must not
 * put the token into rows, errors or logs: it is cut out before anything reads the response.
 */
function withoutToken(response: HttpResponse, token: string | undefined): HttpResponse {
  // Real tokens are long (a JWT is hundreds of characters); a string this short could be any text.
  if (token === undefined || token.length < MIN_SECRET_LENGTH) return response;
  const inHeaders = Object.values(response.headers).some((value) => value.includes(token));
  if (!inHeaders && !response.body.includes(token)) return response;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = value.replaceAll(token, REDACTED);
  return { ...response, headers, body: response.body.replaceAll(token, REDACTED) };
}

/** Cancelled while an action was on its way: the server may have carried it out. */
function uncertainAbort(plan: RequestPlan, exchange: Exchange, error: EngineError): EngineError {
  return new EngineError('HTTP_ABORTED', `${plan.operation}: cancelled; ${exchange.method} ${redactUrl(exchange.url)} may or may not have been carried out`, {
    hint: `Check before running it again${withCheck(plan.check)}`,
    details: { ...error.details, uncertain: true },
    cause: error,
  });
}

/** The error to surface; for an action that may have run, it says so and how to check. */
function finalError(plan: RequestPlan, exchange: Exchange, outcome: FailedAttempt, attempts: number): EngineError {
  const { error } = outcome;
  const uncertain =
    !plan.idempotent &&
    !(outcome.failure.kind === 'status' && outcome.failure.status < 500 && outcome.failure.status !== 408) &&
    !(outcome.failure.kind === 'error' && error.details?.stage === 'connect');
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (!uncertain)
    return attempts > 1
      ? new EngineError(error.code, `${error.message}${tried}`, { hint: error.hint, details: { ...error.details, attempts }, cause: error })
      : error;
  return new EngineError(error.code, `${error.message}; ${exchange.method} ${redactUrl(exchange.url)} may or may not have been carried out${tried}`, {
    hint: `not retried, to avoid doing it twice. Check before running it again${withCheck(plan.check)}`,
    details: { ...error.details, attempts, uncertain: true },
    cause: error,
  });
}

function withCheck(select: string | undefined): string {
  return select ? `: ${select}` : ' (e.g. SELECT the resource or its recent runs)';
}
