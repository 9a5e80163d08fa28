// The wire server's options, their defaults, and the rules that keep it safe by default: loopback
// unless told otherwise; beyond loopback, a password or client certificates, and read-only unless
// mutations are allowed explicitly.

import { isIP } from 'node:net';
import { EngineError } from '../errors.ts';
import { scramSecret, type ScramSecret } from './scram.ts';

export const DEFAULT_PORT = 5466;
export const DEFAULT_HOST = '127.0.0.1';

export interface TlsFiles {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** CA whose certificates clients must present (client-certificate authentication). */
  readonly ca?: string | Buffer;
}

export interface ServerOptions {
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  /** The user name clients log in as (password authentication). Default: skyql. */
  readonly user?: string;
  /** Require SCRAM-SHA-256 with this password. */
  readonly password?: string;
  /** Offer TLS (SSLRequest); with `ca`, clients must present a certificate it signed, whose CN is their user name. */
  readonly tls?: TlsFiles;
  /** Refuse INSERT, REPLACE, UPDATE, DELETE, EXEC and REGISTRY ADD. Default: off on loopback, on elsewhere. */
  readonly readOnly?: boolean;
  /** Allow mutations beyond loopback (read-only otherwise). */
  readonly allowMutations?: boolean;
  /** Connections at once; one more is refused with 53300. Default 64. */
  readonly maxConnections?: number;
  /** A statement is cancelled after this long (57014). Default 300 s; 0: none. */
  readonly statementTimeoutMs?: number;
  /** How long in-flight statements may finish after shutdown starts before they are cancelled. Default 10 s. */
  readonly shutdownGraceMs?: number;
  /** A connection that has not logged in after this long is closed. Default 30 s. */
  readonly loginTimeoutMs?: number;
  /** skyql's version, reported by version() and SHOW skyql_version. */
  readonly version?: string;
  /** Where the server says what happens (connections, refusals); default: nowhere. */
  readonly log?: (line: string) => void;
}

export interface ResolvedServerOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly secret?: ScramSecret;
  readonly tls?: TlsFiles;
  readonly clientCertificates: boolean;
  readonly readOnly: boolean;
  readonly maxConnections: number;
  readonly statementTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly loginTimeoutMs: number;
  readonly version: string;
  readonly log: (line: string) => void;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  const host = options.host ?? DEFAULT_HOST;
  const loopback = isLoopback(host);
  const clientCertificates = Boolean(options.tls?.ca);
  if (!loopback && options.password === undefined && !clientCertificates) {
    throw new EngineError('CFG_INVALID', `listening on ${host} (beyond loopback) needs authentication`, {
      hint: 'set a password (SKYQL_SERVER_PASSWORD) or client certificates (--tls-cert, --tls-key, --tls-ca)',
    });
  }
  if (options.password === '') throw new EngineError('CFG_INVALID', 'the server password is empty');
  if (options.readOnly && options.allowMutations) throw new EngineError('CFG_INVALID', '--read-only and --allow-mutations contradict each other');
  return {
    host,
    port: options.port ?? DEFAULT_PORT,
    user: options.user ?? 'skyql',
    secret: options.password === undefined ? undefined : scramSecret(options.password),
    tls: options.tls,
    clientCertificates,
    readOnly: options.readOnly ?? (loopback ? false : !options.allowMutations),
    maxConnections: options.maxConnections ?? 64,
    statementTimeoutMs: options.statementTimeoutMs ?? 300_000,
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    loginTimeoutMs: options.loginTimeoutMs ?? 30_000,
    version: options.version ?? '0.0.0',
    log: options.log ?? (() => {}),
  };
}
