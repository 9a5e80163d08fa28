// SCRAM-SHA-256 against RFC 7677's example exchange (user "user", password "pencil").

import { describe, expect, it } from 'vitest';
import { ScramError, ScramExchange, scramSecret } from '../../../src/server/scram.ts';

const SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const CLIENT_FINAL = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';

describe('SCRAM-SHA-256 (RFC 7677 example)', () => {
  it("answers the client with the RFC's server-first and server-final messages", () => {
    const exchange = new ScramExchange(scramSecret('pencil', SALT), SERVER_NONCE);
    expect(exchange.start(CLIENT_FIRST)).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(exchange.finish(CLIENT_FINAL)).toEqual({ ok: true, serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=' });
  });

  it('refuses the proof made with another password', () => {
    const exchange = new ScramExchange(scramSecret('pencil2', SALT), SERVER_NONCE);
    exchange.start(CLIENT_FIRST);
    expect(exchange.finish(CLIENT_FINAL)).toMatchObject({ ok: false });
  });

  it('refuses a replayed nonce, a changed channel-binding header, channel binding and garbage', () => {
    const exchange = new ScramExchange(scramSecret('pencil', SALT), 'another-nonce');
    exchange.start(CLIENT_FIRST);
    expect(exchange.finish(CLIENT_FINAL)).toMatchObject({ ok: false, reason: 'nonce does not match' });
    const second = new ScramExchange(scramSecret('pencil', SALT), SERVER_NONCE);
    second.start(CLIENT_FIRST);
    expect(second.finish(CLIENT_FINAL.replace('c=biws', 'c=eSws'))).toMatchObject({ ok: false, reason: 'channel binding does not match' });
    expect(() => new ScramExchange(scramSecret('x')).start('p=tls-server-end-point,,n=,r=abc')).toThrow(ScramError);
    expect(() => new ScramExchange(scramSecret('x')).start('hello')).toThrow(ScramError);
    const third = new ScramExchange(scramSecret('pencil', SALT), SERVER_NONCE);
    third.start(CLIENT_FIRST);
    expect(third.finish('c=biws')).toMatchObject({ ok: false });
  });
});
