// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: the server keeps only the salted
// keys, the password never crosses the wire, and each side proves it knows it. Channel binding
// (SCRAM-SHA-256-PLUS) is not offered, so clients send the "n,," or "y,," GS2 header.

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
const ITERATIONS = 4096;

/** What the server stores for a user: never the password itself. */
export interface ScramSecret {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

export function scramSecret(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): ScramSecret {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return { salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

/** The result of the exchange's last step. */
export type ScramOutcome = { readonly ok: true; readonly serverFinal: string } | { readonly ok: false; readonly reason: string };

/** One server-side exchange: the client's first message in, the server's first out; then the client's final. */
export class ScramExchange {
  private readonly secret: ScramSecret;
  private readonly serverNonce: string;
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';

  /** An unknown user gets a secret no password matches, so the exchange looks the same. */
  constructor(secret: ScramSecret, serverNonce = randomBytes(18).toString('base64')) {
    this.secret = secret;
    this.serverNonce = serverNonce;
  }

  /** Returns the server-first-message, or throws ScramError. */
  start(clientFirst: string): string {
    const match = /^([ny]),(?:a=[^,]*)?,(.*)$/s.exec(clientFirst);
    if (!match) throw new ScramError(clientFirst.startsWith('p=') ? 'channel binding is not supported' : 'malformed client-first-message');
    this.gs2Header = clientFirst.slice(0, clientFirst.length - match[2].length);
    this.clientFirstBare = match[2];
    const clientNonce = attribute(this.clientFirstBare, 'r');
    if (!clientNonce || /[^\x21-\x2b\x2d-\x7e]/.test(clientNonce)) throw new ScramError('malformed client nonce');
    this.nonce = clientNonce + this.serverNonce;
    this.serverFirst = `r=${this.nonce},s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`;
    return this.serverFirst;
  }

  finish(clientFinal: string): ScramOutcome {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt === -1) return { ok: false, reason: 'malformed client-final-message' };
    const withoutProof = clientFinal.slice(0, proofAt);
    if (attribute(withoutProof, 'c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64')) return { ok: false, reason: 'channel binding does not match' };
    if (attribute(withoutProof, 'r') !== this.nonce) return { ok: false, reason: 'nonce does not match' };
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    if (proof.length !== 32) return { ok: false, reason: 'malformed proof' };
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.secret.storedKey, authMessage);
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]));
    if (!timingSafeEqual(sha256(clientKey), this.secret.storedKey)) return { ok: false, reason: 'password authentication failed' };
    return { ok: true, serverFinal: `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}` };
  }
}

export class ScramError extends Error {}

function attribute(message: string, name: string): string | undefined {
  for (const part of message.split(',')) if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  return undefined;
}
