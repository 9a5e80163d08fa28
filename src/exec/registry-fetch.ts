// Fetching a StackQL registry's files (its index, a provider archive) over https. Like every
// response skyql reads, bounded in size and time; no credential is sent, redirects are not
// followed, and only https is used: a registry's documents decide which requests skyql can make.

import { EngineError } from '../errors.ts';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from './http.ts';

export interface RegistryFetchOptions {
  readonly maxBytes: number;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly signal?: AbortSignal;
}

/** The bytes at an https URL; REG_PULL_FAILED for any other status than 200, or a body over maxBytes. */
export async function fetchRegistryFile(url: string, options: RegistryFetchOptions): Promise<Buffer> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') throw new EngineError('REG_PULL_FAILED', `a registry is read over https only, not ${parsed.protocol}//`);
  const limits = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const { request } = await import('undici');
  try {
    const response = await request(parsed, {
      method: 'GET',
      headers: { accept: '*/*' },
      headersTimeout: limits.headersMs,
      bodyTimeout: limits.bodyMs,
      signal: options.signal ?? AbortSignal.timeout(limits.totalMs),
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new EngineError('REG_PULL_FAILED', `${url} answered HTTP ${response.statusCode}`, { details: { status: response.statusCode } });
    }
    return await boundedBody(response.body, url, options.maxBytes);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('REG_PULL_FAILED', `could not read ${url}: ${(error as Error).message}`, { cause: error });
  }
}

async function boundedBody(body: AsyncIterable<Buffer> & { destroy(): void }, url: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > maxBytes) {
      body.destroy();
      throw new EngineError('REG_PULL_FAILED', `${url} is larger than ${maxBytes} bytes; skyql stopped reading it`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}
