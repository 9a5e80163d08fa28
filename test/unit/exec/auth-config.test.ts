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
