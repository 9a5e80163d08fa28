// Tokens per audience, fetched on first use and cached until shortly before they expire.

import { EngineError } from '../errors.ts';

export interface AccessToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
}

/** The shape of @azure/identity's TokenCredential: any object with getToken works. */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<AccessToken | null>;
}

export interface TokenSource {
  token(audience: string, signal?: AbortSignal): Promise<string>;
}

const REFRESH_MARGIN_MS = 2 * 60_000;

export function cachedTokenSource(credential: TokenCredential, now: () => number = Date.now): TokenSource {
  const cache = new Map<string, Promise<AccessToken>>();
  return {
    async token(audience, signal) {
      let pending = cache.get(audience);
      if (pending) {
        const cached = await pending.catch(() => undefined);
        if (!cached || cached.expiresOnTimestamp - REFRESH_MARGIN_MS <= now()) pending = undefined;
      }
      if (!pending) {
        pending = fetchToken(credential, audience, signal);
        cache.set(audience, pending);
        pending.catch(() => cache.delete(audience));
      }
      return (await pending).token;
    },
  };
}

async function fetchToken(credential: TokenCredential, audience: string, signal?: AbortSignal): Promise<AccessToken> {
  let token: AccessToken | null;
  try {
    token = await credential.getToken(audience, { abortSignal: signal });
  } catch (error) {
    throw authError(error, audience);
  }
  if (!token) throw new EngineError('AUTH_NO_CREDENTIAL', `no token for ${audience}`);
  return token;
}

function authError(error: unknown, audience: string): EngineError {
  const name = (error as Error)?.name ?? '';
  const firstLine = String((error as Error)?.message ?? error).split('\n')[0];
  const unavailable = name === 'CredentialUnavailableError' || name === 'AggregateAuthenticationError';
  return new EngineError(unavailable ? 'AUTH_NO_CREDENTIAL' : 'AUTH_FAILED', `could not get a token for ${audience}: ${firstLine}`, { cause: error });
}

/** A credential holding one token from an environment variable (`"type": "bearer"`). */
export function envBearerCredential(variable: string, env: Readonly<Record<string, string | undefined>>): TokenCredential {
  return {
    async getToken() {
      const token = env[variable];
      if (!token) {
        throw Object.assign(new Error(`environment variable ${variable} is not set`), { name: 'CredentialUnavailableError' });
      }
      return { token, expiresOnTimestamp: Number.MAX_SAFE_INTEGER };
    },
  };
}

/** @azure/identity's DefaultAzureCredential, loaded only when a request needs a token. */
export function defaultAzureCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}
