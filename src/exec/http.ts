// The transport: the one place skyql opens sockets. undici with a keep-alive pool per origin.
// Every response is bounded in size (maxResponseBytes) and in time (timeouts.totalMs): a hostile
// or broken server can make a request fail, never make it hang or fill memory.

import { EngineError } from '../errors.ts';
import { splitUrl } from '../util/url.ts';
import type { HttpMethod } from '../registry/types.ts';
import { constantSet } from '../util/caches.ts';
import { Deadlines } from './deadlines.ts';
import { exchangeText, type ResponseHeaders } from './text-response.ts';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface HttpTimeouts {
  readonly connectMs: number;
  readonly headersMs: number;
  /** Idle time allowed between two pieces of the body. */
  readonly bodyMs: number;
  /** The whole exchange of one attempt, headers and body (0: none): a body that trickles in cannot outlive it. */
  readonly totalMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 120_000, totalMs: 300_000 };

/** 32 MiB: far above any ARM page, far below what hurts a machine. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

type UndiciAgent = import('undici').Dispatcher;

/** Proxies from the standard variables (either case), when any is set: https through CONNECT, so the proxy never sees a token. */
export interface ProxySettings {
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
}

/** Loopback hosts (local emulators, tests) are reached directly, as Go's and Python's clients do. */
const LOOPBACK = 'localhost,127.0.0.1,[::1]';

export function proxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings | undefined {
  const value = (name: string) => env[name.toLowerCase()] ?? env[name] ?? '';
  const noProxy = value('NO_PROXY');
  const settings = { httpProxy: value('HTTP_PROXY'), httpsProxy: value('HTTPS_PROXY'), noProxy: noProxy ? `${noProxy},${LOOPBACK}` : LOOPBACK };
  return settings.httpProxy || settings.httpsProxy ? settings : undefined;
}

/** `env` holds HTTPS_PROXY, HTTP_PROXY and NO_PROXY (undici is given their values: it reads no environment itself). */
export function createUndiciClient(
  timeouts: Partial<HttpTimeouts> = {},
  maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
  env: Readonly<Record<string, string | undefined>> = {},
): HttpClient {
  const limits: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const proxy = proxySettings(env);
  let agent: Promise<UndiciAgent> | undefined;
  let ready: UndiciAgent | undefined;
  const options = {
    keepAliveTimeout: 30_000,
    connect: { timeout: limits.connectMs },
    headersTimeout: limits.headersMs,
    bodyTimeout: limits.bodyMs,
    // undici stops reading a body that passes it (UND_ERR_RES_EXCEEDED_MAX_SIZE) and closes the connection.
    maxResponseSize: maxResponseBytes,
  };
  const getAgent = () =>
    (agent ??= import('undici').then(({ Agent, EnvHttpProxyAgent }) => (ready = proxy ? new EnvHttpProxyAgent({ ...options, ...proxy }) : new Agent(options))));
  const deadlines = new Deadlines(limits.totalMs);
  return {
    async send(request) {
      const dispatcher = ready ?? (await getAgent());
      const { origin, path } = splitUrl(request.url);
      const exchange = exchangeText(
        dispatcher,
        { origin, path, method: request.method, headers: request.headers, body: request.body },
        { refuse: (headers) => refusedLength(headers, request, maxResponseBytes), maxBytes: maxResponseBytes, signal: request.signal },
      );
      // The whole exchange is bounded by the deadline, from the request on (undici's headers and
      // body timeouts are idle timers: a byte every few seconds resets the body's).
      const unwatch = deadlines.watch(() => exchange.abort(totalTimeout(request, limits.totalMs)));
      try {
        const response = await exchange.response;
        return { status: response.status, headers: flattenHeaders(response.headers), body: response.body };
      } catch (error) {
        throw error instanceof EngineError ? error : transportError(error, request, maxResponseBytes);
      } finally {
        unwatch();
      }
    },
    async close() {
      deadlines.stop();
      if (agent) await (await agent).close();
    },
  };
}

/**
 * A body larger than maxBytes is refused from its Content-Length before it is read (a HEAD response
 * announces the length of a body it does not send); one without a length is cut off by undici
 * (maxResponseSize) as soon as it passes maxBytes.
 */
function refusedLength(headers: ResponseHeaders, request: HttpRequest, maxBytes: number): EngineError | undefined {
  const declared = Number(headers['content-length']);
  return declared > maxBytes && request.method !== 'HEAD' ? tooLarge(request, maxBytes, declared) : undefined;
}

function tooLarge(request: HttpRequest, maxBytes: number, declared?: number): EngineError {
  const host = hostOf(request);
  const message =
    declared === undefined
      ? `the response from ${host} passed the limit of ${maxBytes} bytes; skyql stopped reading it`
      : `the response from ${host} is ${declared} bytes, more than the limit of ${maxBytes} bytes; it was not read`;
  return new EngineError('HTTP_RESPONSE_TOO_LARGE', message, {
    details: { host, maxBytes, ...(declared !== undefined && { contentLength: declared }) },
  });
}

function hostOf(request: HttpRequest): string {
  return splitUrl(request.url).origin.replace(/^[a-z]+:\/\//, '');
}

/** undici gives lower-case names; only repeated headers (arrays) need joining. */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in headers) {
    if (typeof headers[name] !== 'string') return joinRepeated(headers);
  }
  return headers as Record<string, string>;
}

function joinRepeated(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const TIMEOUT_CODES = constantSet(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** Failures before the request reached the server: safe to retry whatever the method. */
const CONNECT_CODES = constantSet(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a transport failure happened before the server could have seen the request. */
export type TransportStage = 'connect' | 'request';

function totalTimeout(request: HttpRequest, totalMs: number): EngineError {
  const host = hostOf(request);
  return new EngineError('HTTP_TIMEOUT', `${host} did not answer in time (total timeout: the response had not fully arrived after ${totalMs} ms)`, {
    details: { host, stage: 'request', phase: 'total', timeoutMs: totalMs },
  });
}

function transportError(error: unknown, request: HttpRequest, maxBytes: number): EngineError {
  const host = hostOf(request);
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return tooLarge(request, maxBytes);
  const name = (error as Error).name;
  const stage: TransportStage = CONNECT_CODES.has(code) ? 'connect' : 'request';
  if (request.signal?.aborted) return aborted(host, stage, error);
  // undici ends a tunnel the proxy refused as an aborted request; nobody cancelled it.
  if (/^Proxy /.test((error as Error).message ?? '')) {
    return new EngineError('HTTP_NETWORK', `could not reach ${host} through the proxy: ${(error as Error).message}`, {
      cause: error,
      details: { host, code, stage: 'connect' },
    });
  }
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED') return aborted(host, stage, error);
  if (TIMEOUT_CODES.has(code)) {
    const phase = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'headers' : 'body';
    return new EngineError('HTTP_TIMEOUT', `${host} did not answer in time (${phase} timeout)`, { cause: error, details: { host, code, stage, phase } });
  }
  const reason = (error as Error).message || code;
  return new EngineError('HTTP_NETWORK', `could not reach ${host}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`, {
    cause: error,
    details: { host, code, stage },
  });
}

function aborted(host: string, stage: TransportStage, cause: unknown): EngineError {
  return new EngineError('HTTP_ABORTED', `request to ${host} was cancelled`, { cause, details: { host, stage } });
}
