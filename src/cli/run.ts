// The CLI's behaviour, with its I/O passed in (tests give in-memory streams).

import { createEngine, type Engine } from '../engine.ts';
import type { EngineOptions } from '../config.ts';
import { EngineError, toEngineError } from '../errors.ts';
import { parseRegistrySource } from '../registry-protocol.ts';
import { describeJsonError } from '../util/json-error.ts';
import { redactUrl } from '../exec/redact.ts';
import type { ExchangeRecord } from '../exec/execute.ts';
import { escapeControls } from '../output/escape.ts';
import { CredentialHosts } from '../registry/credential-hosts.ts';
import { BUNDLED_REGISTRY, Registry } from '../registry/load.ts';
import { resolveResource } from '../registry/resolve.ts';
import { parseQualifiedName } from '../sql/parse.ts';
import type { TemplateData, TemplateValue } from '../sql/template-data.ts';
import { HELP, parseArgs, type CliArgs } from './args.ts';
import { renderError } from './render-error.ts';
import type { ShellIo } from './shell.ts';
import { CLOSED_PIPE_STATUS, guardStdout, isClosedPipe, type GuardedStdout, type TextOutput } from './stdout.ts';
import { forStdout, runScript, type PrintOptions } from './script.ts';
import { azureCliDefaultSubscription, readConfigFile } from './config-file.ts';
import { resolveCliSettings, type CliSettings } from './settings.ts';
import { statusLine, type StatusLine } from './status-line.ts';
import { createPager } from './pager.ts';

/** The terminal's size now (it can change while the shell runs); undefined parts when not a terminal. */
export interface TerminalSize {
  readonly columns?: number;
  readonly rows?: number;
}

export interface CliIo {
  /** A write may throw, or the stream emit 'error' (EPIPE, ENOSPC…): the CLI stops and says so once. */
  readonly stdout: TextOutput;
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** For `skyql shell`; asked for only then (reading process.stdin sets up a stream, milliseconds of a start). */
  readonly shell?: () => Omit<ShellIo, 'stdout' | 'stderr' | 'terminal' | 'signal'>;
  /** Whether stderr is a terminal (progress lines). */
  readonly stderrIsTTY?: boolean;
  /** Whether stdout is a terminal: json, jsonl, csv and --dry-run lines are then escaped like tables. */
  readonly stdoutIsTTY?: boolean;
  /** Aborts in-flight requests (the CLI wires Ctrl-C to it). */
  readonly signal?: AbortSignal;
  /** For `skyql mcp` over stdio: the requests arrive here, the answers go to stdout. Asked for only then. */
  readonly stdin?: () => NodeJS.ReadableStream;
  /** Engine options the caller adds (tests inject a credential or transport). */
  readonly engineOptions?: EngineOptions;
  /** stdout's terminal size, when it is one: tables fit its width, a pager starts past its height. */
  readonly terminalSize?: () => TerminalSize;
  /** The user's id: the config and history files must be theirs. */
  readonly uid?: number;
}

/** The I/O the commands use: stdout guarded, stderr escaped, the signal also aborted when stdout fails. */
interface Output extends Omit<CliIo, 'stdout'> {
  readonly stdout: GuardedStdout;
  /** stdout and stderr as given: readline edits its line on one, the progress line rewrites itself on the other. */
  readonly given: Pick<CliIo, 'stdout' | 'stderr'>;
  /** The progress line on stderr: erased before anything else is written. */
  readonly status: StatusLine;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const status = statusLine(io.stderr);
  const stdout = guardStdout(io.stdout, status.end);
  const stderr = {
    write: (text: string) => {
      status.end();
      return io.stderr.write(escapeControls(text));
    },
  };
  const signal = io.signal ? AbortSignal.any([io.signal, stdout.signal]) : stdout.signal;
  const code = await runCommand(argv, { ...io, stdout, stderr, signal, given: io, status });
  status.end();
  await stdout.settled();
  return stdout.failure ? reportOutputFailure(stdout.failure, stderr) : code;
}

/** A closed pipe (`| head -1`) ends quietly with 141, as Unix tools do; any other failed write is an error. */
function reportOutputFailure(failure: EngineError, stderr: CliIo['stderr']): number {
  if (isClosedPipe(failure)) return CLOSED_PIPE_STATUS;
  stderr.write(renderError(failure));
  return 1;
}

async function runCommand(argv: readonly string[], io: Output): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return 2;
  }
  if (args.command === 'help' || args.command === 'version') {
    io.stdout.write(args.command === 'help' ? HELP : `skyql ${io.version}\n`);
    return 0;
  }
  let settings: CliSettings;
  try {
    settings = await cliSettings(args, io);
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return 2;
  }
  const userRegistry = settings.registryDir;
  if (args.command === 'manifest' || args.command === 'docs') return describeResource(args.command, args.resource!, io, userRegistry);
  if (args.command === 'registry-add') return registryAdd(args.registryAdd!, { ...args, endpoints: settings.endpoints }, io, userRegistry);
  let engine: Engine | undefined;
  try {
    const vars = await loadVars(args, (message) => io.stderr.write(`warning: ${message}\n`));
    engine = createEngine(await engineOptions(args, settings, io));
    if (args.command === 'serve') return await (await import('./serve.ts')).runServe(engine, args.server!, io);
    if (args.command === 'mcp') return await (await import('./mcp.ts')).runMcp(engine, args.server!, mcpIo(io));
    if (args.command === 'shell') {
      // The shell's modules (readline, completion, history) load only for the shell.
      const { runShell } = await import('./shell.ts');
      return await runShell(engine, shellIo(io), {
        vars,
        dryRun: args.dryRun,
        settings,
        version: io.version,
        terminalSize: io.terminalSize,
        color: colorOn(io),
        stdoutIsTTY: io.stdoutIsTTY,
      });
    }
    const sql = args.file ? await readText(args.file) : args.sql!;
    return await runScript(engine, sql, vars, printOptions(args, settings, io), io, io.signal);
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return error instanceof EngineError && error.code.startsWith('CFG_') ? 2 : 1;
  } finally {
    await engine?.close();
  }
}

async function cliSettings(args: CliArgs, io: Output): Promise<CliSettings> {
  const file = await readConfigFile(io.env, io.uid, (message) => io.stderr.write(`warning: ${message}\n`));
  const needsAzure = !args.subscription && !io.env.AZURE_SUBSCRIPTION_ID && !file?.subscription;
  return resolveCliSettings(args, io.env, file, needsAzure ? azureCliDefaultSubscription(io.env) : undefined);
}

/** Colours only on a terminal, and never when NO_COLOR is set (no-color.org). */
function colorOn(io: Output): boolean {
  return Boolean(io.stdoutIsTTY) && !io.env.NO_COLOR;
}

function printOptions(args: CliArgs, settings: CliSettings, io: Output): PrintOptions {
  const size = io.stdoutIsTTY ? io.terminalSize : undefined;
  return {
    output: settings.output,
    dryRun: args.dryRun,
    stdoutIsTTY: io.stdoutIsTTY,
    expanded: settings.expanded,
    width: () => size?.().columns,
    color: colorOn(io),
    pager: size && settings.pager ? createPager({ command: settings.pager, rows: () => size().rows }) : undefined,
  };
}

function mcpIo(io: Output) {
  return { ...io, stdin: io.stdin?.(), stdout: io.given.stdout as NodeJS.WritableStream };
}

function shellIo(io: Output): ShellIo {
  const shell = io.shell!();
  const terminal = shell.interactive ? (io.given.stdout as NodeJS.WritableStream) : undefined;
  return { ...shell, stdout: io.stdout, stderr: io.stderr, terminal, signal: io.signal, uid: io.uid };
}

async function describeResource(command: 'manifest' | 'docs', name: string, io: Output, userRegistry: string): Promise<number> {
  try {
    const registry = new Registry(io.engineOptions?.registryRoots ?? [BUNDLED_REGISTRY, userRegistry], {
      cacheDir: io.engineOptions?.cacheDir,
      env: io.env,
      onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    });
    const { resource } = resolveResource(registry, parseQualifiedName(name), name);
    const render = command === 'docs' ? (await import('../output/docs.ts')).renderDocs : (await import('../output/manifest.ts')).renderManifest;
    io.stdout.write(forStdout(render(resource), 'text', io.stdoutIsTTY));
    return 0;
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error), name));
    return 1;
  }
}

async function registryAdd(request: NonNullable<CliArgs['registryAdd']>, args: CliArgs, io: Output, root: string): Promise<number> {
  try {
    const registry = new Registry(io.engineOptions?.registryRoots ?? [BUNDLED_REGISTRY, root]);
    if (registry.provider(request.provider)?.services[request.service] !== undefined && !request.replace) {
      throw new EngineError('REG_CONFLICT', `${request.provider}.${request.service} exists already`, {
        hint: 'pass --replace to replace it, or choose another --service name',
      });
    }
    const { addServiceFromSpec } = await import('../registry/add.ts');
    const hosts = new CredentialHosts({ ...io.engineOptions?.endpoints, ...args.endpoints });
    const added = addServiceFromSpec({ ...request, root, hosts });
    for (const warning of added.warnings) io.stderr.write(`warning: ${warning}\n`);
    io.stderr.write(
      `added ${request.provider}.${request.service} (${added.resources.length} resource${added.resources.length === 1 ? '' : 's'}) to ${added.file}\n`,
    );
    for (const resource of added.resources) io.stdout.write(forStdout(`${request.provider}.${request.service}.${resource}\n`, 'text', io.stdoutIsTTY));
    return 0;
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return 1;
  }
}

async function engineOptions(args: CliArgs, settings: CliSettings, io: Output): Promise<EngineOptions> {
  const subscription = settings.subscription;
  return {
    userRegistry: settings.registryDir,
    allowRegistryReplace: args.allowRegistryReplace,
    ...registryOptions(args, io.env),
    ...io.engineOptions,
    env: io.env,
    auth: settings.auth ?? io.engineOptions?.auth,
    endpoints: { ...io.engineOptions?.endpoints, ...settings.endpoints },
    paramDefaults: subscription ? { subscriptionId: { value: subscription.id, from: subscription.from } } : io.engineOptions?.paramDefaults,
    maxPages: args.maxPages,
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    onNotice: (message) => io.stderr.write(`note: ${message}\n`),
    onExchange: args.httpLog ? (record) => io.stderr.write(httpLogLine(record)) : io.engineOptions?.onExchange,
    onProgress: io.stderrIsTTY ? io.status.show : undefined,
    timeouts: args.timeouts,
    maxResponseBytes: args.maxResponseBytes ?? io.engineOptions?.maxResponseBytes,
    pacing: args.pacing && io.engineOptions?.pacing !== false,
    retry: args.retries === undefined ? undefined : { maxAttempts: args.retries + 1 },
  };
}

/** The StackQL registry: --registry, else SKYQL_REGISTRY, else the default; auto-pull from --auto-pull or SKYQL_AUTO_PULL=1. */
function registryOptions(args: CliArgs, env: CliIo['env']): Pick<EngineOptions, 'registry' | 'autoPull'> {
  const text = args.registry ?? env.SKYQL_REGISTRY;
  const registry = text === undefined || text === '' ? undefined : parseRegistrySource(text, args.registry !== undefined ? '--registry' : 'SKYQL_REGISTRY');
  return { ...(registry && { registry }), autoPull: args.autoPull || env.SKYQL_AUTO_PULL === '1' };
}

function httpLogLine(record: ExchangeRecord): string {
  const outcome = record.status ? String(record.status) : `failed (${record.error})`;
  const attempt = record.attempt > 1 ? ` attempt ${record.attempt}` : '';
  const id = record.requestId ? ` x-ms-request-id ${record.requestId}` : '';
  return `http: ${record.method} ${redactUrl(record.url)} → ${outcome} in ${Math.round(record.durationMs)} ms${attempt}${id}\n`;
}

type Warn = (message: string) => void;

async function loadVars(args: CliArgs, warn: Warn): Promise<TemplateData> {
  // Spread, not Object.assign: a file's "__proto__" is a variable like any other.
  let vars: Record<string, TemplateValue> = {};
  for (const file of args.varFiles) vars = { ...vars, ...(await parseVarFile(file, await readText(file), warn)) };
  return { ...vars, ...args.vars };
}

// A var file holds values such as passwords: its errors and warnings give a position, never content.
async function parseVarFile(file: string, text: string, warn: Warn): Promise<TemplateData> {
  const parsed = file.endsWith('.json') ? parseJsonFile(file, text) : await parseYamlFile(file, text, warn);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EngineError('CFG_FILE', `${file}: expected an object of name: value`);
  return parsed as TemplateData;
}

function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new EngineError('CFG_FILE', `${file} is not valid JSON (${describeJsonError(text)})`);
  }
}

async function parseYamlFile(file: string, text: string, warn: Warn): Promise<unknown> {
  // logLevel 'error': yaml would otherwise print its warnings itself (process.emitWarning), quoting the lines.
  const document = (await import('yaml')).parseDocument(text, { logLevel: 'error' });
  const [error] = document.errors;
  if (error) throw new EngineError('CFG_FILE', `${file} is not valid YAML (${error.code}${yamlPosition(error)})`);
  for (const warning of document.warnings) warn(`${file}: YAML ${warning.code}${yamlPosition(warning)}; the value is taken as written`);
  try {
    return document.toJS();
  } catch {
    // yaml throws here for an alias it cannot resolve, naming it: often a password that starts with "*".
    throw new EngineError('CFG_FILE', `${file}: an alias (*name) cannot be resolved`, { hint: 'quote a value that starts with "*"' });
  }
}

function yamlPosition(problem: { linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const start = problem.linePos?.[0];
  return start ? ` at line ${start.line}, column ${start.col}` : '';
}

async function readText(file: string): Promise<string> {
  try {
    // Loaded here: most runs read no file, and a start that loads less prints its first line sooner.
    const { readFile } = await import('node:fs/promises');
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new EngineError('CFG_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
