// The transport: the one place skyql opens sockets. undici with a keep-alive pool per origin.

import { EngineError } from '../errors.ts';
import { splitUrl } from '../util/url.ts';
import type { HttpMethod } from '../registry/types.ts';

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
  readonly bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 120_000 };

type UndiciAgent = import('undici').Agent;

export function createUndiciClient(timeouts: HttpTimeouts = DEFAULT_TIMEOUTS): HttpClient {
  let agent: Promise<UndiciAgent> | undefined;
  let ready: UndiciAgent | undefined;
  const getAgent = () => (agent ??= import('undici').then(({ Agent }) => ready = new Agent({
    keepAliveTimeout: 30_000,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  })));
  return {
    async send(request) {
      const dispatcher = ready ?? await getAgent();
      const { origin, path } = splitUrl(request.url);
      try {
        const response = await dispatcher.request({
          origin,
          path,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: request.signal,
        });
        const body = await response.body.text();
        return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
      } catch (error) {
        throw transportError(error, request);
      }
    },
    async close() {
      if (agent) await (await agent).close();
    },
  };
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

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** Failures before the request reached the server: safe to retry whatever the method. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a transport failure happened before the server could have seen the request. */
export type TransportStage = 'connect' | 'request';

function transportError(error: unknown, request: HttpRequest): EngineError {
  const host = splitUrl(request.url).origin.replace(/^[a-z]+:\/\//, '');
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
  const name = (error as Error).name;
  const stage: TransportStage = CONNECT_CODES.has(code) ? 'connect' : 'request';
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || request.signal?.aborted) {
    return new EngineError('HTTP_ABORTED', `request to ${host} was cancelled`, { cause: error, details: { host, stage } });
  }
  if (TIMEOUT_CODES.has(code)) {
    const phase = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'headers' : 'body';
    return new EngineError('HTTP_TIMEOUT', `${host} did not answer in time (${phase} timeout)`, { cause: error, details: { host, code, stage, phase } });
  }
  const reason = (error as Error).message || code;
  return new EngineError('HTTP_NETWORK', `could not reach ${host}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`, { cause: error, details: { host, code, stage } });
}
