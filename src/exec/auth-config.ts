// `--auth` / `auth` option: StackQL's JSON shape, one entry per provider.
//   {"azure":{"type":"azure_default"}}                          (the default)
//   {"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}

import { EngineError } from '../errors.ts';
import { describeJsonError } from '../util/json-error.ts';
import { defaultAzureCredential, envBearerCredential, type TokenCredential } from './auth.ts';

export interface ProviderAuth {
  readonly type: 'azure_default' | 'bearer';
  readonly credentialsenvvar?: string;
}

export type AuthConfig = Readonly<Record<string, ProviderAuth>>;

const AUTH_EXAMPLE = '{"azure":{"type":"azure_default"}} or {"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}';

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
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EngineError('CFG_INVALID', `${where} must be an object keyed by provider`, { hint: `${where} takes ${AUTH_EXAMPLE}` });
  for (const [provider, entry] of Object.entries(parsed as Record<string, ProviderAuth>)) checkEntry(provider, entry, where);
  return parsed as AuthConfig;
}

function checkEntry(provider: string, entry: ProviderAuth, where: string): void {
  if (entry?.type === 'azure_default') return;
  if (entry?.type === 'bearer' && typeof entry.credentialsenvvar === 'string' && entry.credentialsenvvar !== '') return;
  throw new EngineError('CFG_INVALID', `${where} ${provider}: type must be "azure_default" or "bearer" with "credentialsenvvar"`, { hint: `${where} takes ${AUTH_EXAMPLE}` });
}

/**
 * The credential the user configured for a provider. A provider without an entry gets none: a
 * service added by a script must not be signed with the user's `az login`.
 */
export function credentialFor(provider: string, auth: ProviderAuth | undefined, env: Readonly<Record<string, string | undefined>>): TokenCredential {
  if (auth?.type === 'bearer') return envBearerCredential(auth.credentialsenvvar!, env);
  if (auth?.type === 'azure_default') return defaultAzureCredential();
  return noCredential(provider);
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
