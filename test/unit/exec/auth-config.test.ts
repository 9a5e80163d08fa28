import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { credentialFor, credentialHeader, parseAuthConfig } from '../../../src/exec/auth-config.ts';
import { errorOf } from '../../helpers/errors.ts';

describe('parseAuthConfig', () => {
  it('accepts azure_default and bearer with credentialsenvvar', () => {
    const text = '{"azure":{"type":"azure_default"},"other":{"type":"bearer","credentialsenvvar":"TOKEN"}}';
    expect(parseAuthConfig(text)).toEqual({ azure: { type: 'azure_default' }, other: { type: 'bearer', credentialsenvvar: 'TOKEN' } });
    expect(parseAuthConfig('{}')).toEqual({});
  });

  it('rejects bad JSON, non-objects and bad entries with CFG_INVALID', () => {
    for (const text of [
      '{',
      '[]',
      'null',
      '"x"',
      '{"azure":{"type":"bearer"}}',
      '{"azure":{"type":"bearer","credentialsenvvar":""}}',
      '{"azure":{"type":"magic"}}',
      '{"azure":null}',
    ]) {
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
    expect(error.message).toBe('--auth azure: type "bearer" needs "credentialsenvvar"');
    expect(error.hint).toContain('{"p":{"type":"bearer"|"api_key","credentialsenvvar":"VAR"}}');
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
    const error = await credentialFor('petstore', undefined, {})
      .getToken('https://management.azure.com/.default')
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('AUTH_NO_CREDENTIAL');
  });
});

describe("api_key and basic, in StackQL's shape", () => {
  it('accepts them, and refuses a credential in a URL or entries without their variables', () => {
    const text =
      '{"okta":{"type":"api_key","credentialsenvvar":"K","valuePrefix":"SSWS "},"github":{"type":"basic","username_var":"U","password_var":"P"},"x":{"type":"api_key","credentialsenvvar":"K","location":"header","name":"X-API-Key"}}';
    expect(Object.keys(parseAuthConfig(text))).toEqual(['okta', 'github', 'x']);
    expect(parseAuthConfig('{"j":{"type":"basic","credentialsenvvar":"B64"}}').j.type).toBe('basic');
    for (const bad of [
      '{"o":{"type":"api_key"}}',
      '{"o":{"type":"api_key","credentialsenvvar":"K","location":"query","name":"key"}}',
      '{"g":{"type":"basic","username_var":"U"}}',
    ]) {
      expect(errorOf(() => parseAuthConfig(bad)).code, bad).toBe('CFG_INVALID');
    }
  });

  it('api_key: Authorization with the valuePrefix (StackQL\'s default "api_key "), or the named header', async () => {
    expect(credentialHeader({ type: 'api_key', credentialsenvvar: 'K', valuePrefix: 'SSWS ' })).toEqual({ name: 'authorization', prefix: 'SSWS ' });
    expect(credentialHeader({ type: 'api_key', credentialsenvvar: 'K' })).toEqual({ name: 'authorization', prefix: 'api_key ' });
    expect(credentialHeader({ type: 'api_key', credentialsenvvar: 'K', location: 'header', name: 'X-API-Key' })).toEqual({ name: 'x-api-key', prefix: '' });
    expect((await credentialFor('okta', { type: 'api_key', credentialsenvvar: 'K' }, { K: 'key-1' }).getToken('a'))?.token).toBe('key-1');
  });

  it('basic: base64 of user:password from the two variables, sent as Basic', async () => {
    const credential = credentialFor('github', { type: 'basic', username_var: 'U', password_var: 'P' }, { U: 'octocat', P: 'ghp_secret' });
    expect((await credential.getToken('a'))?.token).toBe(Buffer.from('octocat:ghp_secret').toString('base64'));
    expect(credentialHeader({ type: 'basic', username_var: 'U', password_var: 'P' })).toEqual({ name: 'authorization', prefix: 'Basic ' });
    const unset = await credentialFor('github', { type: 'basic', username_var: 'U', password_var: 'P' }, {})
      .getToken('a')
      .catch((caught) => caught);
    expect(unset.name).toBe('CredentialUnavailableError');
  });
});
