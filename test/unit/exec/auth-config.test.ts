import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { credentialFor, parseAuthConfig } from '../../../src/exec/auth-config.ts';
import { errorOf } from '../../helpers/errors.ts';

describe('parseAuthConfig', () => {
  it('accepts azure_default and bearer with credentialsenvvar', () => {
    const text = '{"azure":{"type":"azure_default"},"other":{"type":"bearer","credentialsenvvar":"TOKEN"}}';
    expect(parseAuthConfig(text)).toEqual({ azure: { type: 'azure_default' }, other: { type: 'bearer', credentialsenvvar: 'TOKEN' } });
    expect(parseAuthConfig('{}')).toEqual({});
  });

  it('rejects bad JSON, non-objects and bad entries with CFG_INVALID', () => {
    for (const text of ['{', '[]', 'null', '"x"', '{"azure":{"type":"bearer"}}', '{"azure":{"type":"bearer","credentialsenvvar":""}}', '{"azure":{"type":"magic"}}', '{"azure":null}']) {
      expect(errorOf(() => parseAuthConfig(text)).code, text).toBe('CFG_INVALID');
    }
  });
});

describe('parseAuthConfig never quotes what it was given', () => {
  const secret = 'sk-live-SECRET-4242';
  it('invalid JSON: the position only', () => {
    const error = errorOf(() => parseAuthConfig(`{"azure":{"type":"bearer","token":${secret}}}`));
    expect(error.message).toBe('--auth is not valid JSON (at line 1, column 35)');
    expect(errorOf(() => parseAuthConfig(`{"azure":{"token":"${secret}"`)).message).toBe('--auth is not valid JSON (it ends too soon)');
  });

  it('an entry of the wrong shape: the provider and the expected shape only', () => {
    const error = errorOf(() => parseAuthConfig(`{"azure":{"type":"bearer","credentialsenvvar":"","token":"${secret}"}}`));
    expect(error.message).toBe('--auth azure: type must be "azure_default" or "bearer" with "credentialsenvvar"');
    expect(error.hint).toContain('{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}');
    expect(`${error.message} ${error.hint}`).not.toContain('SECRET');
    expect(errorOf(() => parseAuthConfig(`{"azure":"${secret}"}`)).message).not.toContain('SECRET');
  });
});

describe('credentialFor', () => {
  it('bearer reads the named variable from the given env', async () => {
    const credential = credentialFor('azure', { type: 'bearer', credentialsenvvar: 'T' }, { T: 'abc' });
    expect((await credential.getToken('aud'))?.token).toBe('abc');
  });

  it('a provider the user gave no entry gets no credential (never the default Azure one)', async () => {
    const error = await credentialFor('petstore', undefined, {}).getToken('https://management.azure.com/.default').catch((caught) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('AUTH_NO_CREDENTIAL');
  });
});
