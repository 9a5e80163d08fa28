// The user's config file (~/.skyql/config.yaml, or $SKYQL_CONFIG) and the Azure CLI's default
// subscription (~/.azure/azureProfile.json, or $AZURE_CONFIG_DIR). The config file is trusted
// like the command line: it may name endpoints, which widen where tokens go. So it must be the
// user's own and closed to writes by others, or skyql refuses it.

import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../errors.ts';
import { checkAuthConfig, type AuthConfig } from '../exec/auth-config.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/format.ts';

export interface ConfigFile {
  readonly path: string;
  readonly subscription?: string;
  readonly output?: OutputFormat;
  readonly expanded?: boolean | 'auto';
  readonly pager?: string;
  readonly auth?: AuthConfig;
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly registryDir?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const KEYS = ['subscription', 'output', 'expanded', 'pager', 'auth', 'endpoints', 'registryDir'];

export function configFilePath(env: Env): { path: string; chosen: boolean } {
  if (env.SKYQL_CONFIG) return { path: env.SKYQL_CONFIG, chosen: true };
  return { path: join(env.HOME ?? homedir(), '.skyql', 'config.yaml'), chosen: false };
}

/** The config file, or undefined when there is none (at the default path; a file named by $SKYQL_CONFIG must exist). */
export async function readConfigFile(env: Env, uid: number | undefined, warn: (message: string) => void): Promise<ConfigFile | undefined> {
  const { path, chosen } = configFilePath(env);
  let text: string;
  try {
    checkOwnership(path, uid);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !chosen) return undefined;
    if (error instanceof EngineError) throw error;
    throw new EngineError('CFG_FILE', `cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const document = (await import('yaml')).parseDocument(text, { logLevel: 'error' });
  const [problem] = document.errors;
  if (problem) throw new EngineError('CFG_FILE', `the config file ${path} is not valid YAML (${problem.code} at line ${problem.linePos?.[0].line ?? '?'})`);
  return parseConfig(document.toJS() ?? {}, path, warn);
}

function checkOwnership(path: string, uid: number | undefined): void {
  const stat = statSync(path);
  if (!stat.isFile()) throw new EngineError('CFG_FILE', `the config file ${path} is not a regular file`);
  if (uid !== undefined && stat.uid !== uid) {
    throw new EngineError('CFG_FILE', `the config file ${path} belongs to another user; skyql does not read it`, {
      hint: 'it may name endpoints that receive your tokens: use a file of your own',
    });
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new EngineError('CFG_FILE', `the config file ${path} can be written by others (mode ${(stat.mode & 0o777).toString(8)}); skyql does not read it`, {
      hint: `chmod go-w ${path}`,
    });
  }
}

/** Checks each key's type; a value is never quoted back (the file may hold what should stay private). */
export function parseConfig(raw: unknown, path: string, warn: (message: string) => void): ConfigFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fileError(path, 'expected a mapping of settings');
  const data = raw as Record<string, unknown>;
  for (const key of Object.keys(data)) if (!KEYS.includes(key)) warn(`${path}: unknown setting "${key}" is ignored (settings: ${KEYS.join(', ')})`);
  const text = (key: string) =>
    optional(data[key], (value) => (typeof value === 'string' && value !== '') || (key === 'pager' && typeof value === 'string'), path, key, 'a string');
  const output = text('output') as OutputFormat | undefined;
  if (output !== undefined && !OUTPUT_FORMATS.includes(output)) throw fileError(path, `output must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const endpoints = optional(
    data.endpoints,
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((url) => typeof url === 'string'),
    path,
    'endpoints',
    'a mapping of provider: url',
  ) as Record<string, string> | undefined;
  return {
    path,
    subscription: text('subscription') as string | undefined,
    output,
    expanded: optional(data.expanded, (value) => typeof value === 'boolean' || value === 'auto', path, 'expanded', 'true, false or auto') as
      | boolean
      | 'auto'
      | undefined,
    pager: text('pager') as string | undefined,
    auth: data.auth === undefined ? undefined : checkAuthConfig(data.auth, `${path}: auth`),
    endpoints,
    registryDir: text('registryDir') as string | undefined,
  };
}

function optional(value: unknown, valid: (value: unknown) => boolean, path: string, key: string, expected: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (!valid(value)) throw fileError(path, `${key} must be ${expected}`);
  return value;
}

function fileError(path: string, message: string): EngineError {
  return new EngineError('CFG_FILE', `the config file ${path}: ${message}`);
}

export interface AzureCliSubscription {
  readonly id: string;
  readonly name?: string;
}

/** The subscription `az account set` chose (isDefault), read from the Azure CLI's profile; az is not run. */
export function azureCliDefaultSubscription(env: Env): AzureCliSubscription | undefined {
  const folder = env.AZURE_CONFIG_DIR ?? join(env.HOME ?? homedir(), '.azure');
  try {
    return defaultSubscriptionOf(readFileSync(join(folder, 'azureProfile.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** az writes the file with a byte order mark. */
export function defaultSubscriptionOf(text: string): AzureCliSubscription | undefined {
  const profile = JSON.parse(text.replace(/^\ufeff/, '')) as { subscriptions?: { id?: unknown; name?: unknown; isDefault?: unknown }[] };
  const chosen = profile.subscriptions?.find((subscription) => subscription.isDefault === true && typeof subscription.id === 'string');
  return chosen ? { id: chosen.id as string, ...(typeof chosen.name === 'string' && { name: chosen.name }) } : undefined;
}
