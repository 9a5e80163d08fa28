// argv → CLI options. Pure: no process access, so it is testable on its own.

import { EngineError } from '../errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/format.ts';
import { constantSet } from '../util/caches.ts';
import { setOwn } from '../util/own-property.ts';

export { HELP } from './help.ts';

export type Command = 'exec' | 'shell' | 'manifest' | 'docs' | 'registry-add' | 'serve' | 'mcp' | 'help' | 'version';

export interface CliArgs {
  readonly command: Command;
  readonly sql?: string;
  readonly file?: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly varFiles: readonly string[];
  /** -o; absent: the config file's, else table. */
  readonly output?: OutputFormat;
  /** -x, --expanded: tables with one line per column. */
  readonly expanded: boolean;
  /** --no-pager: long tables are never paged. */
  readonly pager: boolean;
  /** --subscription: subscriptionId for statements that need one and do not give it. */
  readonly subscription?: string;
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
  readonly registryAdd?: {
    readonly specFile: string;
    readonly provider: string;
    readonly service: string;
    readonly audience?: string;
    readonly replace: boolean;
  };
  /** REGISTRY ADD statements may replace existing services (--allow-registry-replace). */
  readonly allowRegistryReplace: boolean;
  /** For serve and mcp. */
  readonly server?: ServerArgs;
  /** --registry: the StackQL registry, as StackQL takes it ('{"url": "…"}') or a bare URL. */
  readonly registry?: string;
  /** --auto-pull: a provider a statement names that is not pulled is pulled first. */
  readonly autoPull: boolean;
}

/** `skyql serve` and `skyql mcp`: where to listen and what to allow. */
export interface ServerArgs {
  readonly host?: string;
  readonly port?: number;
  /** mcp: streamable HTTP instead of stdio. */
  readonly http: boolean;
  readonly user?: string;
  /** The environment variable that holds the password (default SKYQL_SERVER_PASSWORD). */
  readonly passwordEnv: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsCa?: string;
  readonly readOnly: boolean;
  readonly allowMutations: boolean;
  readonly maxConnections?: number;
  readonly statementTimeoutMs?: number;
  readonly shutdownGraceMs?: number;
  /** mcp: the audit log file. */
  readonly auditLog?: string;
}

const VALUE_FLAGS = constantSet([
  '--var',
  '--var-file',
  '--iqldata',
  '--output',
  '-o',
  '--auth',
  '--endpoint',
  '--max-pages',
  '--file',
  '-f',
  '--registry-dir',
  '--registry',
  '--provider',
  '--service',
  '--audience',
  '--connect-timeout',
  '--timeout',
  '--retries',
  '--max-response-bytes',
  '--subscription',
  '--host',
  '--port',
  '--user',
  '--password-env',
  '--tls-cert',
  '--tls-key',
  '--tls-ca',
  '--max-connections',
  '--statement-timeout',
  '--shutdown-grace',
  '--audit-log',
]);
const SWITCHES = constantSet([
  '--dry-run',
  '--http-log',
  '--no-pacing',
  '--help',
  '-h',
  '--version',
  '-v',
  '--replace',
  '--allow-registry-replace',
  '--http',
  '--read-only',
  '--allow-mutations',
  '-x',
  '--expanded',
  '--no-pager',
  '--auto-pull',
]);
const SERVER_FLAGS: Readonly<Record<'serve' | 'mcp', readonly string[]>> = {
  serve: [
    '--host',
    '--port',
    '--user',
    '--password-env',
    '--tls-cert',
    '--tls-key',
    '--tls-ca',
    '--max-connections',
    '--statement-timeout',
    '--shutdown-grace',
    '--read-only',
    '--allow-mutations',
  ],
  mcp: ['--http', '--host', '--port', '--allow-mutations', '--audit-log', '--statement-timeout'],
};

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
  for (const name of switches) if (!SWITCHES.has(name)) throw usage(`unknown option ${name}`);
  const registryStatement = positional[0] === 'registry' ? registryStatementOf(positional) : undefined;
  const command = registryStatement ? 'exec' : commandOf(positional[0], switches);
  checkServerFlags(command, [...flags.map(([flag]) => flag), ...switches]);
  const values = (...names: string[]) => flags.filter(([flag]) => names.includes(flag)).map(([, value]) => value);
  const output = values('--output', '-o').at(-1) as OutputFormat | undefined;
  if (output !== undefined && !OUTPUT_FORMATS.includes(output)) throw usage(`--output must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const subscription = values('--subscription').at(-1);
  if (subscription === '') throw usage('--subscription needs a subscription id');
  const file = values('--file', '-f').at(-1);
  const sql = registryStatement ?? (positional.slice(1).join(' ') || undefined);
  if (command === 'exec' && !file && !sql) throw usage('exec needs a statement ("SELECT …") or -f file.sql');
  if (command === 'exec' && file && sql) throw usage('give either a statement or -f file.sql, not both');
  if ((command === 'serve' || command === 'mcp') && positional.length > 1) throw usage(`${command} takes no statement: clients send them`);
  if ((command === 'manifest' || command === 'docs') && positional.length !== 2)
    throw usage(`${command} takes one resource name, e.g. azure.data_factory.pipelines_runs`);
  return {
    command,
    sql,
    file,
    output,
    subscription,
    expanded: switches.has('-x') || switches.has('--expanded'),
    pager: !switches.has('--no-pager'),
    vars: pairs(values('--var'), '--var', 'name=value'),
    varFiles: values('--var-file', '--iqldata'),
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
    server: command === 'serve' || command === 'mcp' ? serverArgs(values, switches) : undefined,
    registry: values('--registry').at(-1),
    autoPull: switches.has('--auto-pull'),
  };
}

/** Server options belong to serve or mcp; anywhere else they are a mistake worth saying. */
function checkServerFlags(command: Command, given: readonly string[]): void {
  const allowed = command === 'serve' || command === 'mcp' ? SERVER_FLAGS[command] : [];
  const all = new Set([...SERVER_FLAGS.serve, ...SERVER_FLAGS.mcp]);
  const misplaced = given.find((flag) => all.has(flag) && !allowed.includes(flag));
  if (misplaced)
    throw usage(
      `${misplaced} is an option of ${SERVER_FLAGS.serve.includes(misplaced) ? 'skyql serve' : 'skyql mcp'}${command === 'serve' || command === 'mcp' ? `, not of skyql ${command}` : ''}`,
    );
}

function serverArgs(values: (...names: string[]) => string[], switches: Set<string>): ServerArgs {
  const port = wholeNumber(values('--port').at(-1), '--port');
  if (port !== undefined && port > 65_535) throw usage('--port takes a number from 0 to 65535');
  return {
    host: values('--host').at(-1),
    port,
    http: switches.has('--http'),
    user: values('--user').at(-1),
    passwordEnv: values('--password-env').at(-1) ?? 'SKYQL_SERVER_PASSWORD',
    tlsCert: values('--tls-cert').at(-1),
    tlsKey: values('--tls-key').at(-1),
    tlsCa: values('--tls-ca').at(-1),
    readOnly: switches.has('--read-only'),
    allowMutations: switches.has('--allow-mutations'),
    maxConnections: positiveWholeNumber(values('--max-connections').at(-1), '--max-connections'),
    statementTimeoutMs: wholeNumber(values('--statement-timeout').at(-1), '--statement-timeout'),
    shutdownGraceMs: wholeNumber(values('--shutdown-grace').at(-1), '--shutdown-grace'),
    auditLog: values('--audit-log').at(-1),
  };
}

/** `skyql registry list [provider]` and `skyql registry pull provider [version]` run as the statements they are. */
function registryStatementOf(positional: readonly string[]): string | undefined {
  const [, verb, provider, version, extra] = positional;
  if (verb === 'list' && version === undefined) return provider === undefined ? 'REGISTRY LIST' : `REGISTRY LIST ${sqlWord(provider)}`;
  if (verb === 'pull' && provider !== undefined && extra === undefined)
    return `REGISTRY PULL ${sqlWord(provider)}${version === undefined ? '' : ` '${version.replaceAll("'", "''")}'`}`;
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
  if (word === 'exec' || word === 'shell' || word === 'manifest' || word === 'docs' || word === 'serve' || word === 'mcp') return word;
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
    setOwn(result, item.slice(0, eq), item.slice(eq + 1));
  }
  return result;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
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
