// `--auth` / `auth` option: StackQL's JSON shape, one entry per provider.
//   {"azure":{"type":"azure_default"}}                                   (the default)
//   {"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}
//   {"okta":{"type":"api_key","credentialsenvvar":"OKTA_KEY","valuePrefix":"SSWS "}}
//   {"github":{"type":"basic","username_var":"GH_USER","password_var":"GH_TOKEN"}}
// As StackQL sends them (stackql/any-sdk, pkg/auth_util): Authorization: <valuePrefix><credential>,
// the prefix defaulting to "Bearer " for bearer, "api_key " for api_key and "Basic " for basic
// (base64 of user:password from the two variables, or the base64 text in credentialsenvvar). An
// api_key may name another header instead (`"location":"header","name":"X-API-Key"`, StackQL's
// custom type); credentials go in headers only, never in a URL where logs would keep them.

import { EngineError } from '../errors.ts';
import { describeJsonError } from '../util/json-error.ts';
import { defaultAzureCredential, envBearerCredential, type CredentialHeader, type TokenCredential } from './auth.ts';

export interface ProviderAuth {
  readonly type: 'azure_default' | 'bearer' | 'api_key' | 'basic' | 'custom';
  readonly credentialsenvvar?: string;
  /** Written before the credential in the header (StackQL's valuePrefix). */
  readonly valuePrefix?: string;
  /** basic: the variables holding the user name and the password. */
  readonly username_var?: string;
  readonly password_var?: string;
  /** api_key / custom: the credential goes in this header instead of Authorization. */
  readonly location?: 'header';
  readonly name?: string;
}

export type AuthConfig = Readonly<Record<string, ProviderAuth>>;

const AUTH_EXAMPLE =
  '{"azure":{"type":"azure_default"}}, {"p":{"type":"bearer"|"api_key","credentialsenvvar":"VAR"}} or {"p":{"type":"basic","username_var":"U","password_var":"P"}}';

/** Errors say where and what shape is expected, never what was given: the text may hold a secret. */
export function parseAuthConfig(text: string): AuthConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EngineError('CFG_INVALID', `--auth is not valid JSON (${describeJsonError(text)})`, { hint: `--auth takes ${AUTH_EXAMPLE}` });
  }
  return checkAuthConfig(parsed, '--auth');
}

/** `where` names the source in errors: --auth, or the config file's auth. */
export function checkAuthConfig(parsed: unknown, where: string): AuthConfig {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new EngineError('CFG_INVALID', `${where} must be an object keyed by provider`, { hint: `${where} takes ${AUTH_EXAMPLE}` });
  for (const [provider, entry] of Object.entries(parsed as Record<string, ProviderAuth>)) checkEntry(provider, entry, where);
  return parsed as AuthConfig;
}

const isName = (value: unknown): value is string => typeof value === 'string' && value !== '';

function checkEntry(provider: string, entry: ProviderAuth, where: string): void {
  const problem = entryProblem(entry);
  if (problem) throw new EngineError('CFG_INVALID', `${where} ${provider}: ${problem}`, { hint: `${where} takes ${AUTH_EXAMPLE}` });
}

function entryProblem(entry: ProviderAuth): string | undefined {
  switch (entry?.type) {
    case 'azure_default':
      return undefined;
    case 'bearer':
      return isName(entry.credentialsenvvar) ? undefined : 'type "bearer" needs "credentialsenvvar"';
    case 'api_key':
    case 'custom':
      if (!isName(entry.credentialsenvvar)) return `type "${entry.type}" needs "credentialsenvvar"`;
      if (entry.location !== undefined && entry.location !== 'header') return 'skyql sends credentials in a header only ("location": "header")';
      return entry.name === undefined || isName(entry.name) ? undefined : '"name" must be a header name';
    case 'basic':
      if (isName(entry.username_var) && isName(entry.password_var)) return undefined;
      return isName(entry.credentialsenvvar) ? undefined : 'type "basic" needs "username_var" and "password_var", or "credentialsenvvar"';
    default:
      return 'type must be "azure_default", "bearer" with "credentialsenvvar", "api_key", or "basic"';
  }
}

/**
 * The credential the user configured for a provider. A provider without an entry gets none: a
 * service added by a script must not be signed with the user's `az login`.
 */
export function credentialFor(provider: string, auth: ProviderAuth | undefined, env: Readonly<Record<string, string | undefined>>): TokenCredential {
  switch (auth?.type) {
    case 'bearer':
    case 'api_key':
    case 'custom':
      return envBearerCredential(auth.credentialsenvvar!, env);
    case 'basic':
      return auth.username_var ? basicCredential(auth.username_var, auth.password_var!, env) : envBearerCredential(auth.credentialsenvvar!, env);
    case 'azure_default':
      return defaultAzureCredential();
    default:
      return noCredential(provider);
  }
}

/** The header a provider's credential travels in: `Authorization: Bearer …` unless its entry says otherwise. */
export function credentialHeader(auth: ProviderAuth | undefined): CredentialHeader {
  const prefix = (fallback: string) => auth?.valuePrefix ?? fallback;
  switch (auth?.type) {
    case 'api_key':
    case 'custom':
      return auth.name ? { name: auth.name.toLowerCase(), prefix: prefix('') } : { name: 'authorization', prefix: prefix('api_key ') };
    case 'basic':
      return { name: 'authorization', prefix: prefix('Basic ') };
    default:
      return { name: 'authorization', prefix: prefix('Bearer ') };
  }
}

/** `basic` from two variables: base64 of user:password, read when a request needs it. */
function basicCredential(userVariable: string, passwordVariable: string, env: Readonly<Record<string, string | undefined>>): TokenCredential {
  return {
    async getToken() {
      const user = env[userVariable];
      const password = env[passwordVariable];
      if (!user || password === undefined) {
        throw Object.assign(new Error(`environment variables ${userVariable} and ${passwordVariable} are not both set`), {
          name: 'CredentialUnavailableError',
        });
      }
      return { token: Buffer.from(`${user}:${password}`).toString('base64'), expiresOnTimestamp: Number.MAX_SAFE_INTEGER };
    },
  };
}

function noCredential(provider: string): TokenCredential {
  return {
    async getToken() {
      throw new EngineError('AUTH_NO_CREDENTIAL', `no credentials are configured for provider "${provider}"`, {
        hint: `pass --auth '{"${provider}":{"type":"bearer","credentialsenvvar":"…"}}' (library: auth) if its requests should carry a token`,
        details: { provider },
      });
    },
  };
}
