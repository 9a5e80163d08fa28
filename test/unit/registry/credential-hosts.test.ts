import { describe, expect, it } from 'vitest';
import { audienceHosts, canonicalOrigin, CredentialHosts, isAllowedOrigin, userOriginsByProvider } from '../../../src/registry/credential-hosts.ts';
import { errorOf } from '../../helpers/errors.ts';

const ARM = 'https://management.azure.com/.default';
const SYNAPSE = 'https://dev.azuresynapse.net/.default';

describe('canonicalOrigin: only an origin written the way the transport will read it', () => {
  it('accepts plain origins and lower-cases nothing it would not', () => {
    expect(canonicalOrigin('https://management.azure.com/subscriptions?x=1')).toBe('https://management.azure.com');
    expect(canonicalOrigin('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
  });

  it('refuses userinfo, written default ports, backslashes, fragments and garbage', () => {
    for (const url of [
      'https://management.azure.com@evil.example/x',
      'https://user:pass@management.azure.com/x',
      'https://management.azure.com:443/x',
      'https://evil.example\\@management.azure.com/x',
      'https://evil.example#@management.azure.com/x',
      'https://evil.example?@management.azure.com/x',
      'https://%6danagement.azure.com/x',
      'not a url',
    ]) {
      const origin = canonicalOrigin(url);
      expect(origin === undefined || origin === 'https://evil.example', url).toBe(true);
    }
  });
});

describe('isAllowedOrigin', () => {
  const none = new Set<string>();

  it('ARM tokens: the management hosts of each cloud, https, default port', () => {
    for (const origin of [
      'https://management.azure.com',
      'https://westus.management.azure.com',
      'https://management.usgovcloudapi.net',
      'https://management.chinacloudapi.cn',
    ]) {
      expect(isAllowedOrigin(origin, ARM, none), origin).toBe(true);
    }
    for (const origin of [
      'https://management.azure.com.evil.example',
      'https://evilmanagement.azure.com',
      'http://management.azure.com',
      'https://management.azure.com:8443',
      'https://management.azure.com.',
      'https://dev.azuresynapse.net',
    ]) {
      expect(isAllowedOrigin(origin, ARM, none), origin).toBe(false);
    }
  });

  it('Synapse tokens: workspace hosts under the Synapse suffixes', () => {
    expect(isAllowedOrigin('https://ws.dev.azuresynapse.net', SYNAPSE, none)).toBe(true);
    expect(isAllowedOrigin('https://ws.dev.azuresynapse.azure.cn', SYNAPSE, none)).toBe(true);
    expect(isAllowedOrigin('https://management.azure.com', SYNAPSE, none)).toBe(false);
  });

  it("an audience skyql does not know has no hosts of its own: only the user's", () => {
    expect(audienceHosts('https://widgets.example.com/.default')).toEqual([]);
    expect(isAllowedOrigin('https://widgets.example.com', 'https://widgets.example.com/.default', none)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:9', 'https://widgets.example.com/.default', new Set(['http://127.0.0.1:9']))).toBe(true);
  });

  it('audience spellings with or without /.default and a trailing slash name one resource', () => {
    for (const audience of ['https://management.azure.com', 'https://management.azure.com/', 'HTTPS://MANAGEMENT.AZURE.COM/.default']) {
      expect(isAllowedOrigin('https://management.azure.com', audience, none), audience).toBe(true);
    }
  });
});

describe('CredentialHosts', () => {
  it("the user's endpoints add origins for their provider only", () => {
    expect(userOriginsByProvider({ azure: 'http://127.0.0.1:1/', 'azure.synapse_artifacts': 'https://syn.test:8443/x', other: 'not a url' })).toEqual(
      new Map([['azure', new Set(['http://127.0.0.1:1', 'https://syn.test:8443'])]]),
    );
    const hosts = new CredentialHosts({ azure: 'http://127.0.0.1:1' });
    expect(() => hosts.check('azure', ARM, 'http://127.0.0.1:1/x', 'op')).not.toThrow();
    expect(errorOf(() => hosts.check('petstore', ARM, 'http://127.0.0.1:1/x', 'op')).code).toBe('AUTH_UNTRUSTED_HOST');
    expect(errorOf(() => hosts.check('azure', ARM, 'http://127.0.0.2:1/x', 'op')).code).toBe('AUTH_UNTRUSTED_HOST');
  });

  it('remembers a verdict per origin, and the verdict does not depend on the path', () => {
    const hosts = new CredentialHosts();
    for (let i = 0; i < 3; i++) {
      expect(() => hosts.check('azure', ARM, `https://management.azure.com/subscriptions/${i}`, 'op')).not.toThrow();
      expect(errorOf(() => hosts.check('azure', ARM, `https://management.azure.com@evil.example/${i}`, 'op')).code).toBe('AUTH_UNTRUSTED_HOST');
    }
  });
});
