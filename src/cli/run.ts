// The CLI's behaviour, with its I/O passed in (tests give in-memory streams).

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type QueryResult } from '../engine.ts';
import type { EngineOptions } from '../config.ts';
import { EngineError, toEngineError } from '../errors.ts';
import { parseAuthConfig } from '../exec/auth-config.ts';
import { redactUrl } from '../exec/redact.ts';
import type { ExchangeRecord } from '../exec/execute.ts';
import { plannedRequests, renderRequestLine } from '../output/dry-run.ts';
import { BUNDLED_REGISTRY, Registry } from '../registry/load.ts';
import { resolveResource } from '../registry/resolve.ts';
import { parseQualifiedName } from '../sql/parse.ts';
import { formatResult } from '../output/format.ts';
import type { TemplateVars } from '../sql/templates.ts';
import { HELP, parseArgs, type CliArgs } from './args.ts';
import { renderError } from './render-error.ts';
import { runShell, type ShellIo } from './shell.ts';

export interface CliIo {
  readonly stdout: { write(text: string): unknown; once?(event: 'drain', listener: () => void): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** For `skyql shell`. */
  readonly shell?: Omit<ShellIo, 'stdout' | 'stderr'>;
  /** Whether stderr is a terminal (progress lines). */
  readonly stderrIsTTY?: boolean;
  /** Aborts in-flight requests (the CLI wires Ctrl-C to it). */
  readonly signal?: AbortSignal;
  /** Engine options the caller adds (tests inject a credential or transport). */
  readonly engineOptions?: EngineOptions;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return 2;
  }
  if (args.command === 'help') return io.stdout.write(HELP), 0;
  if (args.command === 'version') return io.stdout.write(`skyql ${io.version}\n`), 0;
  const userRegistry = args.registryDir ?? io.env.SKYQL_REGISTRY_DIR ?? join(io.env.HOME ?? homedir(), '.skyql', 'providers');
  if (args.command === 'manifest' || args.command === 'docs') return describeResource(args.command, args.resource!, io, userRegistry);
  if (args.command === 'registry-add') return registryAdd(args.registryAdd!, io, userRegistry);
  let engine: Engine | undefined;
  try {
    const vars = await loadVars(args);
    engine = createEngine(await engineOptions(args, io, userRegistry));
    if (args.command === 'shell') return await runShell(engine, { ...io.shell!, stdout: io.stdout, stderr: io.stderr }, { vars, output: args.output, dryRun: args.dryRun });
    const sql = args.file ? await readText(args.file) : args.sql!;
    return await runScript(engine, sql, vars, args, io, io.signal);
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return error instanceof EngineError && error.code.startsWith('CFG_') ? 2 : 1;
  } finally {
    await engine?.close();
  }
}

async function describeResource(command: 'manifest' | 'docs', name: string, io: CliIo, userRegistry: string): Promise<number> {
  try {
    const registry = new Registry(io.engineOptions?.registryRoots ?? [BUNDLED_REGISTRY, userRegistry], {
      cacheDir: io.engineOptions?.cacheDir,
      env: io.env,
      onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    });
    const { resource } = resolveResource(registry, parseQualifiedName(name), name);
    const render = command === 'docs' ? (await import('../output/docs.ts')).renderDocs : (await import('../output/manifest.ts')).renderManifest;
    io.stdout.write(render(resource));
    return 0;
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error), name));
    return 1;
  }
}

async function registryAdd(request: NonNullable<CliArgs['registryAdd']>, io: CliIo, root: string): Promise<number> {
  try {
    const { addServiceFromSpec } = await import('../registry/add.ts');
    const added = addServiceFromSpec({ ...request, root });
    for (const warning of added.warnings) io.stderr.write(`warning: ${warning}\n`);
    io.stderr.write(`added ${request.provider}.${request.service} (${added.resources.length} resource${added.resources.length === 1 ? '' : 's'}) to ${added.file}\n`);
    for (const resource of added.resources) io.stdout.write(`${request.provider}.${request.service}.${resource}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error)));
    return 1;
  }
}

export async function runScript(engine: Engine, sql: string, vars: TemplateVars, args: Pick<CliArgs, 'output' | 'dryRun'>, io: Pick<CliIo, 'stdout' | 'stderr'>, signal?: AbortSignal): Promise<number> {
  try {
    if (args.dryRun) return printPlan(engine, sql, vars, args, io);
    const sink = streamingSink(args.output, io);
    for await (const result of engine.stream(sql, { vars, signal, onRows: sink?.onRows })) {
      if (result.streamed) sink?.end(result);
      else printResult(result, args, io);
      for (const pending of result.pending ?? []) {
        io.stderr.write(`note: ${pending.operation} was accepted and continues in Azure; follow it at ${pending.statusUrl} (add /*+ AWAIT */ to wait)\n`);
      }
    }
    return 0;
  } catch (error) {
    io.stderr.write(renderError(toEngineError(error), sql));
    return 1;
  }
}

function printPlan(engine: Engine, sql: string, vars: TemplateVars, args: Pick<CliArgs, 'output'>, io: Pick<CliIo, 'stdout'>): number {
  for (const planned of engine.plan(sql, { vars })) {
    for (const request of plannedRequests(planned.plan)) io.stdout.write(`${renderRequestLine(request)}\n`);
    if (planned.plan.kind === 'local') io.stdout.write(formatResult(planned.plan, args.output));
  }
  return 0;
}

/** jsonl and csv print a SELECT's rows as they arrive; table and json need them all first. */
function streamingSink(output: CliArgs['output'], io: Pick<CliIo, 'stdout' | 'stderr'>) {
  if (output !== 'jsonl' && output !== 'csv') return undefined;
  let headerDone = false;
  return {
    async onRows(columns: readonly string[], rows: QueryResult['rows']) {
      const text = formatResult({ columns, rows }, output);
      const flushed = io.stdout.write(output === 'csv' && headerDone ? text.slice(text.indexOf('\r\n') + 2) : text);
      headerDone = true;
      // Backpressure: while stdout is full, no further page is fetched, so memory stays flat.
      if (flushed === false && io.stdout.once) await new Promise<void>((resolve) => io.stdout.once!('drain', () => resolve()));
    },
    end(result: QueryResult) {
      if (!headerDone && output === 'csv') io.stdout.write(formatResult(result, output));
      headerDone = false;
    },
  };
}

function printResult(result: QueryResult, args: Pick<CliArgs, 'output'>, io: Pick<CliIo, 'stdout' | 'stderr'>): void {
  if (result.returnsRows) {
    io.stdout.write(formatResult(result, args.output));
    if (args.output === 'table') io.stderr.write(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}\n`);
  } else {
    io.stderr.write(`OK: ${result.kind.toUpperCase()} sent ${result.requests} request${result.requests === 1 ? '' : 's'}\n`);
  }
}

async function engineOptions(args: CliArgs, io: CliIo, userRegistry: string): Promise<EngineOptions> {
  return {
    userRegistry,
    ...io.engineOptions,
    env: io.env,
    auth: args.auth ? parseAuthConfig(args.auth) : io.engineOptions?.auth,
    endpoints: { ...io.engineOptions?.endpoints, ...args.endpoints },
    maxPages: args.maxPages,
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    onExchange: args.httpLog ? (record) => io.stderr.write(httpLogLine(record)) : io.engineOptions?.onExchange,
    onProgress: io.stderrIsTTY ? progressLine(io) : undefined,
    timeouts: args.timeouts,
    pacing: args.pacing && io.engineOptions?.pacing !== false,
    retry: args.retries === undefined ? undefined : { maxAttempts: args.retries + 1 },
  };
}

function httpLogLine(record: ExchangeRecord): string {
  const outcome = record.status ? String(record.status) : `failed (${record.error})`;
  const attempt = record.attempt > 1 ? ` attempt ${record.attempt}` : '';
  const id = record.requestId ? ` x-ms-request-id ${record.requestId}` : '';
  return `http: ${record.method} ${redactUrl(record.url)} → ${outcome} in ${Math.round(record.durationMs)} ms${attempt}${id}\n`;
}

/** On a terminal, one status line that rewrites itself while a long operation runs. */
function progressLine(io: Pick<CliIo, 'stderr'>): (message: string) => void {
  return (message) => io.stderr.write(`\r\x1b[K… ${message}`);
}

async function loadVars(args: CliArgs): Promise<Record<string, string | number | boolean | null>> {
  const vars: Record<string, string | number | boolean | null> = {};
  for (const file of args.varFiles) Object.assign(vars, await parseVarFile(file, await readText(file)));
  return { ...vars, ...args.vars };
}

async function parseVarFile(file: string, text: string): Promise<Record<string, string | number | boolean | null>> {
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    throw new EngineError('CFG_FILE', `${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EngineError('CFG_FILE', `${file}: expected an object of name: value`);
  const vars: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(parsed)) vars[name] = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
  return vars;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new EngineError('CFG_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
