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

/** The header a credential travels in, and what is written before it (`Authorization: Bearer …`). */
export interface CredentialHeader {
  /** Lower case. */
  readonly name: string;
  readonly prefix: string;
}

export const BEARER_HEADER: CredentialHeader = Object.freeze({ name: 'authorization', prefix: 'Bearer ' });

export interface TokenSource {
  token(audience: string, signal?: AbortSignal): Promise<string>;
  /** The cached token when it is still fresh: no promise on the hot path. */
  cached?(audience: string): string | undefined;
  /** Absent: `Authorization: Bearer <token>`. */
  readonly header?: CredentialHeader;
}

const REFRESH_MARGIN_MS = 2 * 60_000;

export function cachedTokenSource(credential: TokenCredential, now: () => number = Date.now, header?: CredentialHeader): TokenSource {
  // One entry per audience: the fetch in flight, and once it settles the token it gave.
  const cache = new Map<string, { pending: Promise<AccessToken>; token?: AccessToken }>();
  const fresh = (token: AccessToken) => token.expiresOnTimestamp - REFRESH_MARGIN_MS > now();
  return {
    ...(header && { header }),
    async token(audience, signal) {
      let entry = cache.get(audience);
      if (!entry || (entry.token && !fresh(entry.token))) {
        const pending = fetchToken(credential, audience, signal);
        const created: { pending: Promise<AccessToken>; token?: AccessToken } = { pending };
        cache.set(audience, created);
        pending.then(
          (token) => {
            created.token = token;
          },
          () => cache.delete(audience),
        );
        entry = created;
      }
      return (await entry.pending).token;
    },
    cached(audience) {
      const token = cache.get(audience)?.token;
      return token && fresh(token) ? token.token : undefined;
    },
  };
}

/** A credential that never answers (a wedged `az` process, an unreachable identity endpoint) is given up on. */
const TOKEN_TIMEOUT_MS = 120_000;

async function fetchToken(credential: TokenCredential, audience: string, signal?: AbortSignal): Promise<AccessToken> {
  let token: AccessToken | null;
  const deadline = AbortSignal.timeout(TOKEN_TIMEOUT_MS);
  const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    token = await Promise.race([credential.getToken(audience, { abortSignal: stop }), rejectOnAbort(stop, audience, signal)]);
  } catch (error) {
    throw error instanceof EngineError ? error : authError(error, audience);
  }
  if (!token) throw new EngineError('AUTH_NO_CREDENTIAL', `no token for ${audience}`);
  return token;
}

function rejectOnAbort(stop: AbortSignal, audience: string, caller: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () =>
      reject(
        caller?.aborted
          ? new EngineError('HTTP_ABORTED', `cancelled while getting a token for ${audience}`)
          : new EngineError('AUTH_FAILED', `no token for ${audience} after ${TOKEN_TIMEOUT_MS / 1000} s`, {
              hint: 'check that the credential (az login, managed identity, …) answers',
            }),
      );
    if (stop.aborted) fail();
    else stop.addEventListener('abort', fail, { once: true });
  });
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
