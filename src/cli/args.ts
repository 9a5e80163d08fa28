// argv → CLI options. Pure: no process access, so it is testable on its own.

import { EngineError } from '../errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/format.ts';
import { constantSet } from '../util/caches.ts';

export type Command = 'exec' | 'shell' | 'manifest' | 'docs' | 'registry-add' | 'help' | 'version';

export interface CliArgs {
  readonly command: Command;
  readonly sql?: string;
  readonly file?: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly varFiles: readonly string[];
  readonly output: OutputFormat;
  readonly dryRun: boolean;
  readonly auth?: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly maxPages?: number;
  readonly httpLog: boolean;
  /** --no-pacing turns off client-side rate limiting (emulators, load tests). */
  readonly pacing: boolean;
  /** For manifest and docs: provider.service.resource. */
  readonly resource?: string;
  readonly timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number; totalMs?: number };
  /** --max-response-bytes: the largest response body read. */
  readonly maxResponseBytes?: number;
  readonly retries?: number;
  /** The user's registry folder (--registry-dir). */
  readonly registryDir?: string;
  /** For registry add. */
  readonly registryAdd?: { readonly specFile: string; readonly provider: string; readonly service: string; readonly audience?: string; readonly replace: boolean };
  /** REGISTRY ADD statements may replace existing services (--allow-registry-replace). */
  readonly allowRegistryReplace: boolean;
  /** --registry: the StackQL registry, as StackQL takes it ('{"url": "…"}') or a bare URL. */
  readonly registry?: string;
  /** --auto-pull: a provider a statement names that is not pulled is pulled first. */
  readonly autoPull: boolean;
}

const VALUE_FLAGS = constantSet(['--var', '--var-file', '--output', '-o', '--auth', '--endpoint', '--max-pages', '--file', '-f', '--registry-dir', '--registry', '--provider', '--service', '--audience', '--connect-timeout', '--timeout', '--retries', '--max-response-bytes']);

export function parseArgs(argv: readonly string[]): CliArgs {
  const positional: string[] = [];
  const flags: [string, string][] = [];
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitInline(argv[i]);
    if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw usage(`${flag} needs a value`);
      flags.push([flag, value]);
    } else if (flag.startsWith('-') && flag !== '-') switches.add(flag);
    else positional.push(argv[i]);
  }
  return buildArgs(positional, flags, switches);
}

function splitInline(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function buildArgs(positional: string[], flags: [string, string][], switches: Set<string>): CliArgs {
  for (const name of switches) {
    if (!['--dry-run', '--http-log', '--no-pacing', '--help', '-h', '--version', '-v', '--replace', '--allow-registry-replace', '--auto-pull'].includes(name)) throw usage(`unknown option ${name}`);
  }
  const registryStatement = positional[0] === 'registry' ? registryStatementOf(positional) : undefined;
  const command = registryStatement ? 'exec' : commandOf(positional[0], switches);
  const values = (...names: string[]) => flags.filter(([flag]) => names.includes(flag)).map(([, value]) => value);
  const output = (values('--output', '-o').at(-1) ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output)) throw usage(`--output must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const file = values('--file', '-f').at(-1);
  const sql = registryStatement ?? (positional.slice(1).join(' ') || undefined);
  if (command === 'exec' && !file && !sql) throw usage('exec needs a statement ("SELECT …") or -f file.sql');
  if (command === 'exec' && file && sql) throw usage('give either a statement or -f file.sql, not both');
  if ((command === 'manifest' || command === 'docs') && positional.length !== 2) throw usage(`${command} takes one resource name, e.g. azure.data_factory.pipelines_runs`);
  return {
    command, sql, file, output,
    vars: pairs(values('--var'), '--var', 'name=value'),
    varFiles: values('--var-file'),
    dryRun: switches.has('--dry-run'),
    auth: values('--auth').at(-1),
    endpoints: pairs(values('--endpoint'), '--endpoint', 'provider=url'),
    maxPages: wholeNumber(values('--max-pages').at(-1), '--max-pages'),
    timeouts: timeouts(values('--connect-timeout').at(-1), values('--timeout').at(-1)),
    retries: wholeNumber(values('--retries').at(-1), '--retries'),
    maxResponseBytes: positiveWholeNumber(values('--max-response-bytes').at(-1), '--max-response-bytes'),
    httpLog: switches.has('--http-log'),
    pacing: !switches.has('--no-pacing'),
    resource: command === 'manifest' || command === 'docs' ? positional[1] : undefined,
    registryDir: values('--registry-dir').at(-1),
    registryAdd: command === 'registry-add' ? registryAddArgs(positional, values, switches.has('--replace')) : undefined,
    allowRegistryReplace: switches.has('--allow-registry-replace'),
    registry: values('--registry').at(-1),
    autoPull: switches.has('--auto-pull'),
  };
}

/** `skyql registry list [provider]` and `skyql registry pull provider [version]` run as the statements they are. */
function registryStatementOf(positional: readonly string[]): string | undefined {
  const [, verb, provider, version, extra] = positional;
  if (verb === 'list' && version === undefined) return provider === undefined ? 'REGISTRY LIST' : `REGISTRY LIST ${sqlWord(provider)}`;
  if (verb === 'pull' && provider !== undefined && extra === undefined) return `REGISTRY PULL ${sqlWord(provider)}${version === undefined ? '' : ` '${version.replaceAll("'", "''")}'`}`;
  if (verb === 'list' || verb === 'pull') throw usage('usage: skyql registry list [provider] | skyql registry pull <provider> [version]');
  return undefined;
}

/** A provider name as typed; anything else is quoted, so the statement's parser rejects it with its own message. */
function sqlWord(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function commandOf(word: string | undefined, switches: Set<string>): Command {
  if (switches.has('--help') || switches.has('-h') || word === 'help') return 'help';
  if (switches.has('--version') || switches.has('-v')) return 'version';
  if (word === 'exec' || word === 'shell' || word === 'manifest' || word === 'docs') return word;
  if (word === 'registry') return 'registry-add';
  if (word === undefined) return 'help';
  throw usage(`unknown command "${word}"`);
}

function registryAddArgs(positional: readonly string[], values: (...names: string[]) => string[], replace: boolean): CliArgs['registryAdd'] {
  const [provider, service] = [values('--provider').at(-1), values('--service').at(-1)];
  if (positional[1] !== 'add' || positional.length !== 3 || !provider || !service) {
    throw usage('usage: skyql registry add <spec.json|yaml> --provider P --service S [--audience scope] [--replace]');
  }
  return { specFile: positional[2], provider, service, audience: values('--audience').at(-1), replace };
}

/** A malformed item is not quoted back: a --var may hold a secret. */
function pairs(items: readonly string[], flag: string, shape: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [index, item] of items.entries()) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(`${flag} takes ${shape}; the ${ordinal(index + 1)} ${flag} has no name before "="`);
    result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usage(`${flag} takes a whole number`);
  return Number(value);
}

function positiveWholeNumber(value: string | undefined, flag: string): number | undefined {
  const number = wholeNumber(value, flag);
  if (number === 0) throw usage(`${flag} takes a whole number above 0`);
  return number;
}

/** --connect-timeout ms; --timeout ms bounds a whole response: its headers, each pause in its body, and all of it. */
function timeouts(connect: string | undefined, request: string | undefined): CliArgs['timeouts'] {
  const connectMs = wholeNumber(connect, '--connect-timeout');
  const requestMs = wholeNumber(request, '--timeout');
  if (connectMs === undefined && requestMs === undefined) return undefined;
  return { ...(connectMs !== undefined && { connectMs }), ...(requestMs !== undefined && { headersMs: requestMs, bodyMs: requestMs, totalMs: requestMs }) };
}

function usage(message: string): EngineError {
  return new EngineError('CFG_INVALID', message);
}

export const HELP = `skyql — SQL for cloud resources

Usage:
  skyql exec "<statement>[; …]" [options]
  skyql exec -f file.sql [options]
  skyql shell [options]
  skyql manifest provider.service.resource    the YAML manifest of the resource's INSERT params
  skyql docs provider.service.resource        a Markdown page: fields, methods, params, examples
  skyql registry add spec.json --provider P --service S [--audience scope] [--replace]
                                              make an OpenAPI document queryable as P.S.*
                                              (--replace: replace a service that exists)
  skyql registry list [provider]              the providers (and versions) of the StackQL registry
  skyql registry pull <provider> [version]    install a StackQL provider into your registry
                                              (the same as REGISTRY LIST / REGISTRY PULL statements)

Options:
  --var name=value         value for a {{ name }} placeholder (repeatable; "name=" is an empty value)
  --var-file file          variables from a YAML or JSON object
  -o, --output format      table (default), json, jsonl or csv
  --dry-run                print each planned request as a JSON line; send nothing, need no credentials
  --auth json              e.g. '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}'
                           (default: {"azure":{"type":"azure_default"}}: az login, env, managed identity)
  --endpoint p=url         base URL override: azure=https://… or azure.synapse_artifacts=https://…
  --max-pages n            stop lists after n pages and say so on stderr (default: all pages)
  --connect-timeout ms     give up connecting after ms (default 10000)
  --timeout ms             give up when a response, headers and body, has not fully arrived after ms
                           (default: 60000 for the headers, 300000 in all)
  --max-response-bytes n   refuse a response body larger than n bytes (default 33554432, 32 MiB)
  --retries n              retries of a failed request that is safe to retry (default 4)
  --no-pacing              no client-side pacing to ARM's rate limits (local emulators)
  --http-log               print each request (method, URL, status, duration, request id) on stderr
  --registry-dir dir       your own registry (default $SKYQL_REGISTRY_DIR or ~/.skyql/providers)
  --allow-registry-replace let REGISTRY ADD statements replace existing services (off: scripts only add)
  --registry json|url      the StackQL registry to list and pull from, as StackQL takes it:
                           '{"url": "https://…"}' or a file:// folder (default $SKYQL_REGISTRY, else
                           StackQL's public registry, https://registry.stackql.app/providers)
  --auto-pull              pull a provider a statement names that is not in your registry yet
                           (default: say how to pull it); also SKYQL_AUTO_PULL=1
  -h, --help               this help
  -v, --version            the version

Exit status: 0 when every statement succeeded, 1 when one failed, 2 for bad options,
141 when stdout's reader went away (a closed pipe: | head).
`;
