// One pure function turns the command line, the environment and the config file into the CLI's
// settings: flags win over the environment, which wins over the file, which wins over defaults.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAuthConfig, type AuthConfig } from '../exec/auth-config.ts';
import type { OutputFormat } from '../output/format.ts';
import type { CliArgs } from './args.ts';
import type { AzureCliSubscription, ConfigFile } from './config-file.ts';
import { pagerCommand } from './pager.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** A default subscription and where it came from (said once on stderr when a statement uses it). */
export interface DefaultSubscription {
  readonly id: string;
  readonly from: string;
}

export interface CliSettings {
  readonly output: OutputFormat;
  readonly expanded: boolean | 'auto';
  /** The pager command; undefined: none. */
  readonly pager?: string;
  readonly auth?: AuthConfig;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly registryDir: string;
  readonly subscription?: DefaultSubscription;
}

export function resolveCliSettings(args: CliArgs, env: Env, file: ConfigFile | undefined, azure: AzureCliSubscription | undefined): CliSettings {
  return {
    output: args.output ?? file?.output ?? 'table',
    expanded: args.expanded ? true : (file?.expanded ?? false),
    pager: args.pager ? pagerCommand(env, file?.pager) : undefined,
    auth: args.auth ? parseAuthConfig(args.auth) : file?.auth,
    endpoints: { ...file?.endpoints, ...args.endpoints },
    registryDir:
      args.registryDir ??
      env.SKYQL_REGISTRY_DIR ??
      (file?.registryDir && expandHome(file.registryDir, env)) ??
      join(env.HOME ?? homedir(), '.skyql', 'providers'),
    subscription: defaultSubscription(args, env, file, azure),
  };
}

function defaultSubscription(args: CliArgs, env: Env, file: ConfigFile | undefined, azure: AzureCliSubscription | undefined): DefaultSubscription | undefined {
  if (args.subscription) return { id: args.subscription, from: '--subscription' };
  if (env.AZURE_SUBSCRIPTION_ID) return { id: env.AZURE_SUBSCRIPTION_ID, from: 'AZURE_SUBSCRIPTION_ID' };
  if (file?.subscription) return { id: file.subscription, from: file.path };
  if (azure) return { id: azure.id, from: `the Azure CLI's default subscription${azure.name ? ` "${azure.name}"` : ''}` };
  return undefined;
}

function expandHome(path: string, env: Env): string {
  return path === '~' || path.startsWith('~/') ? join(env.HOME ?? homedir(), path.slice(1)) : path;
}
