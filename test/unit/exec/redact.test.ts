import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactUrl } from '../../../src/exec/redact.ts';

describe('redactHeaders', () => {
  it('redacts Authorization in any case', () => {
    expect(redactHeaders({ Authorization: 'Bearer abc', authorization: 'Bearer def' })).toEqual({ Authorization: REDACTED, authorization: REDACTED });
  });

  it('redacts headers not on the allow-list', () => {
    expect(redactHeaders({ 'x-api-key': 'k', cookie: 'c', 'x-custom': 'v', 'ocp-apim-subscription-key': 's' })).toEqual({
      'x-api-key': REDACTED,
      cookie: REDACTED,
      'x-custom': REDACTED,
      'ocp-apim-subscription-key': REDACTED,
    });
  });

  it('keeps safe headers as they are, whatever their case', () => {
    const safe = {
      accept: 'application/json',
      'Content-Type': 'application/json',
      'x-ms-request-id': 'r',
      'x-ms-client-request-id': 'c',
      'x-ms-correlation-request-id': 'k',
      'retry-after': '5',
      Location: 'https://x/y',
      'azure-asyncoperation': 'https://x/op',
      'if-match': '*',
      'user-agent': 'skyql',
      date: 'Mon',
      'content-length': '2',
      'if-none-match': '*',
    };
    expect(redactHeaders(safe)).toEqual(safe);
  });

  it('does not change its input', () => {
    const headers = { authorization: 'Bearer abc' };
    redactHeaders(headers);
    expect(headers.authorization).toBe('Bearer abc');
  });
});

describe('redactUrl', () => {
  it('returns the URL unchanged when nothing is sensitive', () => {
    const url = 'https://management.azure.com/subscriptions/s/things?api-version=2018-06-01&$filter=name%20eq%20%27a%27';
    expect(redactUrl(url)).toBe(url);
    expect(redactUrl('https://x.example.com/path')).toBe('https://x.example.com/path');
  });

  it('redacts sensitive query params and keeps the others', () => {
    const redacted = new URL(
      redactUrl('https://acct.blob.core.windows.net/c/b?sv=2020&sig=SECRET&se=2030&api-key=K&access_token=T&clientSecret=S&password=P&code=C'),
    );
    expect(Object.fromEntries(redacted.searchParams)).toEqual({
      sv: '2020',
      sig: REDACTED,
      se: '2030',
      'api-key': REDACTED,
      access_token: REDACTED,
      clientSecret: REDACTED,
      password: REDACTED,
      code: REDACTED,
    });
    expect(redacted.pathname).toBe('/c/b');
  });

  it('matches sensitive names case-insensitively and by suffix', () => {
    const redacted = new URL(redactUrl('https://x.example.com/?Signature=a&SUBSCRIPTION-KEY=b&skipToken=c&page=1'));
    expect(redacted.searchParams.get('Signature')).toBe(REDACTED);
    expect(redacted.searchParams.get('SUBSCRIPTION-KEY')).toBe(REDACTED);
    expect(redacted.searchParams.get('skipToken')).toBe(REDACTED);
    expect(redacted.searchParams.get('page')).toBe('1');
  });

  it('redacts every value of a repeated sensitive param', () => {
    const redacted = new URL(redactUrl('https://x.example.com/?sig=a&sig=b'));
    expect(redacted.searchParams.getAll('sig')).toEqual([REDACTED]);
  });

  it('returns text that is not a URL as it is', () => {
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('redacts a password in the URL userinfo', () => {
    expect(redactUrl('https://user:secret@x.example.com/path')).not.toContain('secret');
  });
});
