import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { cachedTokenSource, envBearerCredential, type AccessToken, type TokenCredential } from '../../../src/exec/auth.ts';

async function rejectionOf(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

interface Scripted extends TokenCredential {
  readonly calls: { scope: string | string[]; signal?: AbortSignal }[];
}

/** A credential answering each call with the next scripted result (a token or an error). */
function scripted(...results: (AccessToken | Error | null)[]): Scripted {
  const calls: Scripted['calls'] = [];
  return {
    calls,
    async getToken(scope, options) {
      calls.push({ scope, signal: options?.abortSignal });
      const result = results.length > 1 ? results.shift()! : results[0];
      await Promise.resolve();
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

/** Hands out `<scope>#<n>` tokens expiring `ttl` after the injected clock. */
function counting(clock: { now: number }, ttl = 3_600_000): Scripted {
  const calls: Scripted['calls'] = [];
  return {
    calls,
    async getToken(scope, options) {
      calls.push({ scope, signal: options?.abortSignal });
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { token: `${String(scope)}#${calls.length}`, expiresOnTimestamp: clock.now + ttl };
    },
  };
}

const named = (name: string, message = 'nope') => Object.assign(new Error(message), { name });

describe('cachedTokenSource', () => {
  it('fetches once per audience and reuses the token', async () => {
    const clock = { now: 1_000_000 };
    const credential = counting(clock);
    const source = cachedTokenSource(credential, () => clock.now);
    expect(await source.token('https://a/.default')).toBe('https://a/.default#1');
    expect(await source.token('https://a/.default')).toBe('https://a/.default#1');
    expect(await source.token('https://b/.default')).toBe('https://b/.default#2');
    expect(await source.token('https://a/.default')).toBe('https://a/.default#1');
    expect(credential.calls.map((call) => call.scope)).toEqual(['https://a/.default', 'https://b/.default']);
  });

  it('keeps a token until 2 minutes before it expires, then fetches a new one', async () => {
    const clock = { now: 0 };
    const credential = counting(clock, 10 * 60_000);
    const source = cachedTokenSource(credential, () => clock.now);
    expect(await source.token('aud')).toBe('aud#1');
    clock.now = 8 * 60_000 - 1; // 2 min + 1 ms before expiry
    expect(await source.token('aud')).toBe('aud#1');
    clock.now = 8 * 60_000; // exactly 2 min before expiry
    expect(await source.token('aud')).toBe('aud#2');
    expect(credential.calls).toHaveLength(2);
  });

  it('concurrent first calls share one fetch', async () => {
    const clock = { now: 0 };
    const credential = counting(clock);
    const source = cachedTokenSource(credential, () => clock.now);
    const tokens = await Promise.all([source.token('aud'), source.token('aud'), source.token('aud')]);
    expect(tokens).toEqual(['aud#1', 'aud#1', 'aud#1']);
    expect(credential.calls).toHaveLength(1);
  });

  it('concurrent calls during a refresh share one fetch', async () => {
    const clock = { now: 0 };
    const credential = counting(clock, 10 * 60_000);
    const source = cachedTokenSource(credential, () => clock.now);
    await source.token('aud');
    clock.now = 9 * 60_000;
    await Promise.all([source.token('aud'), source.token('aud'), source.token('aud')]);
    expect(credential.calls).toHaveLength(2);
  });

  it('a failed fetch is not cached: the next call tries again', async () => {
    const credential = scripted(named('Error', 'transient'), { token: 't', expiresOnTimestamp: Number.MAX_SAFE_INTEGER });
    const source = cachedTokenSource(credential, () => 0);
    expect((await rejectionOf(source.token('aud'))).code).toBe('AUTH_FAILED');
    expect(await source.token('aud')).toBe('t');
    expect(await source.token('aud')).toBe('t');
    expect(credential.calls).toHaveLength(2);
  });

  it('CredentialUnavailableError and AggregateAuthenticationError are AUTH_NO_CREDENTIAL', async () => {
    for (const name of ['CredentialUnavailableError', 'AggregateAuthenticationError']) {
      const source = cachedTokenSource(scripted(named(name, 'no az login\nmore detail')), () => 0);
      const error = await rejectionOf(source.token('aud'));
      expect(error.code, name).toBe('AUTH_NO_CREDENTIAL');
      expect(error.message).not.toContain('\n');
      expect(error.cause).toBeInstanceOf(Error);
    }
  });

  it('any other error is AUTH_FAILED', async () => {
    const source = cachedTokenSource(scripted(named('AuthenticationError', 'AADSTS700016')), () => 0);
    expect((await rejectionOf(source.token('aud'))).code).toBe('AUTH_FAILED');
  });

  it('a thrown non-Error is AUTH_FAILED', async () => {
    const credential: TokenCredential = { getToken: () => Promise.reject('plain string') };
    expect((await rejectionOf(cachedTokenSource(credential).token('aud'))).code).toBe('AUTH_FAILED');
  });

  it('a null token is AUTH_NO_CREDENTIAL', async () => {
    expect((await rejectionOf(cachedTokenSource(scripted(null), () => 0).token('aud'))).code).toBe('AUTH_NO_CREDENTIAL');
  });

  it('passes the audience as the scope and the abort signal through', async () => {
    const credential = scripted({ token: 't', expiresOnTimestamp: Number.MAX_SAFE_INTEGER });
    const controller = new AbortController();
    await cachedTokenSource(credential, () => 0).token('https://management.azure.com/.default', controller.signal);
    expect(credential.calls.map((call) => call.scope)).toEqual(['https://management.azure.com/.default']);
    // The credential gets a signal that follows the caller's (and a deadline of its own).
    const passed = credential.calls[0].signal!;
    expect(passed.aborted).toBe(false);
    controller.abort();
    expect(passed.aborted).toBe(true);
  });

  it('a credential that never answers is given up on with a coded error, and a cancelled caller gets HTTP_ABORTED', async () => {
    const hanging = { getToken: () => new Promise<never>(() => {}) };
    const controller = new AbortController();
    const pending = cachedTokenSource(hanging, () => 0)
      .token('https://management.azure.com/.default', controller.signal)
      .catch((error: unknown) => error);
    controller.abort();
    expect(((await pending) as EngineError).code).toBe('HTTP_ABORTED');
  });
});

describe('envBearerCredential', () => {
  it('returns the variable as a token that never expires', async () => {
    const token = await envBearerCredential('AZ_TOKEN', { AZ_TOKEN: 'secret' }).getToken('aud');
    expect(token).toEqual({ token: 'secret', expiresOnTimestamp: Number.MAX_SAFE_INTEGER });
  });

  it('a missing or empty variable is AUTH_NO_CREDENTIAL through the token source', async () => {
    for (const env of [{}, { AZ_TOKEN: '' }, { AZ_TOKEN: undefined }]) {
      const source = cachedTokenSource(envBearerCredential('AZ_TOKEN', env));
      const error = await rejectionOf(source.token('aud'));
      expect(error.code).toBe('AUTH_NO_CREDENTIAL');
      expect(error.message).toContain('AZ_TOKEN');
    }
  });

  it('reads the variable on each fetch, not when created', async () => {
    const env: Record<string, string | undefined> = {};
    const credential = envBearerCredential('AZ_TOKEN', env);
    env.AZ_TOKEN = 'late';
    expect((await credential.getToken('aud'))?.token).toBe('late');
  });
});
