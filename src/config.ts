// EngineOptions and every default in one place.

import type { AuthConfig } from './exec/auth-config.ts';
import type { ParamDefault } from './plan/types.ts';

export type { ParamDefault };
import type { TokenCredential } from './exec/auth.ts';
import type { ExchangeRecord } from './exec/execute.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, type HttpClient, type HttpTimeouts } from './exec/http.ts';
import { BUNDLED_REGISTRY } from './registry/load.ts';
import { systemClock, type Clock } from './exec/rate-limit.ts';
import { DEFAULT_RETRY, type RetryOptions } from './exec/retry.ts';
import { DEFAULT_REGISTRY_URL, type RegistrySource } from './registry-protocol.ts';

export interface EngineOptions {
  /** Signs every request; overrides `auth`. Any object with getToken(scopes) works. */
  readonly credential?: TokenCredential;
  /** StackQL-style auth per provider, e.g. {"azure":{"type":"azure_default"}}. */
  readonly auth?: AuthConfig;
  /** Base URL overrides: `{ azure: 'http://127.0.0.1:8080' }` or per service `{ 'azure.synapse_artifacts': … }`. */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Registry folders, merged service by service (later wins). Default: the bundled registry, then userRegistry. */
  readonly registryRoots?: readonly string[];
  /** The user's own registry folder: REGISTRY ADD writes here, and it is read after the bundled one. */
  readonly userRegistry?: string;
  /** Lets REGISTRY ADD replace a service that exists (off: a script can only add new services). */
  readonly allowRegistryReplace?: boolean;
  /**
   * Values for params a statement does not give when the method it calls needs them, by param
   * name: `{ subscriptionId: { value: '…', from: 'AZURE_SUBSCRIPTION_ID' } }`. onNotice says once
   * which value was used and why.
   */
  readonly paramDefaults?: Readonly<Record<string, ParamDefault>>;
  /**
   * The StackQL registry REGISTRY LIST and PULL read, in StackQL's shape: `{ url: 'https://…' }` or
   * a `file://` folder. Default: StackQL's public registry.
   */
  readonly registry?: RegistrySource;
  /** A statement that names a provider or service that is not pulled pulls it first (one note through onNotice). */
  readonly autoPull?: boolean;
  /**
   * skyql's cache folder, private to the user (parsed registry documents go in its `registry`
   * subfolder). Default: `$XDG_CACHE_HOME/skyql` (from `env`), else `~/.cache/skyql`; false: none.
   */
  readonly cacheDir?: string | false;
  /**
   * Environment for bearer-token variables, HTTPS_PROXY/HTTP_PROXY/NO_PROXY and XDG_CACHE_HOME.
   * The library's createEngine (and the CLI) pass process.env; the engine itself reads none: default {}.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Transport; default: undici with a keep-alive pool per origin. */
  readonly http?: HttpClient;
  /** connectMs, headersMs, bodyMs (idle time within a body) and totalMs (a whole response, per attempt). */
  readonly timeouts?: Partial<HttpTimeouts>;
  /** Largest response body read, in bytes (default 32 MiB); a larger one fails with HTTP_RESPONSE_TOO_LARGE. */
  readonly maxResponseBytes?: number;
  /** Pages to read per list request; 0 = all. A cut list is reported through onWarning. */
  readonly maxPages?: number;
  /** Requests in flight at once for IN fan-out and dependent joins. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly retry?: Partial<RetryOptions>;
  /** Requests in flight at once across the engine. */
  readonly maxInFlight?: number;
  /** Client-side pacing with ARM's token-bucket limits (default true); off for emulators and benchmarks. */
  readonly pacing?: boolean;
  /** Poll interval of long-running operations when Azure sends no Retry-After. */
  readonly lroPollMs?: number;
  /** Sleep and time source (tests pass a fake one). */
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly onWarning?: (message: string) => void;
  /** Facts worth knowing that are not problems, e.g. that a default time window applied (once per operation). */
  readonly onNotice?: (message: string) => void;
  readonly onExchange?: (record: ExchangeRecord) => void;
  /** Progress of long waits: long-running operations, and lists from their second page on (pages, rows, seconds); e.g. for a TTY status line. */
  readonly onProgress?: (message: string) => void;
}

export interface ResolvedOptions {
  readonly credential?: TokenCredential;
  readonly auth: AuthConfig;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly registryRoots: readonly string[];
  readonly userRegistry?: string;
  readonly allowRegistryReplace: boolean;
  readonly paramDefaults: Readonly<Record<string, ParamDefault>>;
  readonly registry: RegistrySource;
  readonly autoPull: boolean;
  readonly cacheDir?: string | false;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly http?: HttpClient;
  readonly timeouts: HttpTimeouts;
  readonly maxResponseBytes: number;
  readonly maxPages: number;
  readonly concurrency: number;
  readonly now: () => Date;
  readonly retry: RetryOptions;
  readonly maxInFlight: number;
  readonly pacing: boolean;
  readonly lroPollMs: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly onWarning: (message: string) => void;
  readonly onNotice: (message: string) => void;
  readonly onExchange?: (record: ExchangeRecord) => void;
  readonly onProgress?: (message: string) => void;
}

export const DEFAULTS = {
  auth: { azure: { type: 'azure_default' } } as AuthConfig,
  maxPages: 0,
  concurrency: 8,
  maxInFlight: 32,
  lroPollMs: 2_000,
  retry: DEFAULT_RETRY,
  timeouts: DEFAULT_TIMEOUTS,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
};

export function resolveOptions(options: EngineOptions = {}): ResolvedOptions {
  return {
    credential: options.credential,
    auth: { ...DEFAULTS.auth, ...options.auth },
    endpoints: options.endpoints ?? {},
    registryRoots: options.registryRoots ?? [BUNDLED_REGISTRY, ...(options.userRegistry ? [options.userRegistry] : [])],
    userRegistry: options.userRegistry,
    allowRegistryReplace: options.allowRegistryReplace ?? false,
    paramDefaults: options.paramDefaults ?? {},
    registry: options.registry ?? { url: DEFAULT_REGISTRY_URL },
    autoPull: options.autoPull ?? false,
    cacheDir: options.cacheDir,
    env: options.env ?? {},
    http: options.http,
    timeouts: { ...DEFAULTS.timeouts, ...options.timeouts },
    maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    maxPages: options.maxPages ?? DEFAULTS.maxPages,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    now: options.now ?? (() => new Date()),
    retry: { ...DEFAULTS.retry, ...options.retry },
    maxInFlight: options.maxInFlight ?? DEFAULTS.maxInFlight,
    pacing: options.pacing ?? true,
    lroPollMs: options.lroPollMs ?? DEFAULTS.lroPollMs,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    onWarning: options.onWarning ?? (() => {}),
    onNotice: options.onNotice ?? (() => {}),
    onExchange: options.onExchange,
    onProgress: options.onProgress,
  };
}
