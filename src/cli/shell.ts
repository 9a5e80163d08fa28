// `skyql shell`: the REPL. Statements end at a ";" token of the project's lexer (not one in a
// string or comment) and may span lines; meta-commands (\?, \q, \d, \x, \timing, \o, \i, \set…)
// change the shell's settings or run SQL for you; errors are printed and the shell goes on.
// Ctrl-C cancels the line or the running statement; Ctrl-D leaves. The terminal is line-editor.ts's:
// here are only lines, prompts and statements, so tests drive it with streams. When stdout fails
// (the reader went away, a full disk), `signal` aborts and the shell stops.

import { readFile } from 'node:fs/promises';
import type { Engine } from '../engine.ts';
import { toEngineError } from '../errors.ts';
import type { TemplateData } from '../sql/template-data.ts';
import { complete, type Catalog } from './complete.ts';
import { appendHistory, loadHistory } from './history.ts';
import { createLineEditor, type LineEditor } from './line-editor.ts';
import { applyMeta, parseMeta, type ShellSettings } from './meta.ts';
import { createPager } from './pager.ts';
import type { TerminalSize } from './run.ts';
import { runScript, type PrintOptions, type ScriptIo } from './script.ts';
import type { CliSettings } from './settings.ts';
import { readStatements, type OpenConstruct } from './statement-input.ts';

export interface ShellIo extends ScriptIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly interactive: boolean;
  /** The terminal readline edits lines on (interactive only). */
  readonly terminal?: NodeJS.WritableStream;
  /** Aborted when the shell must stop (stdout failed). */
  readonly signal?: AbortSignal;
  /** Where statements are remembered across sessions (created with mode 0600). */
  readonly historyFile?: string;
  /** The user's id: a history file of another user is not read. */
  readonly uid?: number;
}

export interface ShellOptions {
  readonly vars: TemplateData;
  readonly dryRun: boolean;
  readonly settings: Pick<CliSettings, 'output' | 'expanded' | 'pager'>;
  readonly version: string;
  readonly terminalSize?: () => TerminalSize;
  readonly color?: boolean;
  readonly stdoutIsTTY?: boolean;
}

export const PROMPT = 'skyql> ';
const CONTINUATION: Record<OpenConstruct | 'statement', string> = {
  statement: '    -> ',
  string: "    '> ",
  quoted: '    "> ',
  comment: '    *> ',
  template: '    }> ',
};

export function banner(version: string): string {
  return `skyql ${version}: SQL for Azure. Type \\? for help, \\q to quit; statements end with ";".\n`;
}

export async function runShell(engine: Engine, io: ShellIo, options: ShellOptions): Promise<number> {
  const settings: ShellSettings = {
    output: options.settings.output,
    expanded: options.settings.expanded,
    timing: false,
    pager: options.settings.pager !== undefined,
    vars: { ...options.vars },
  };
  const history = io.interactive && io.historyFile ? loadHistory(io.historyFile, io.uid) : [];
  const terminal = io.interactive ? io.terminal : undefined;
  const editor = createLineEditor({ input: io.stdin, terminal, history, completer: (before, line) => complete(before, buffer + line, engineCatalog(engine)) });
  io.signal?.addEventListener('abort', () => editor.close(), { once: true });
  let buffer = '';
  let open: OpenConstruct | undefined;
  let failures = 0;
  let running: AbortController | undefined;
  const prompt = () => editor.prompt(buffer === '' && !open ? PROMPT : CONTINUATION[open ?? 'statement']);
  const print = printOptions(options, settings, editor, io.interactive);

  const run = async (sql: string): Promise<void> => {
    running = new AbortController();
    const signal = io.signal ? AbortSignal.any([running.signal, io.signal]) : running.signal;
    const started = performance.now();
    if ((await runScript(engine, sql, settings.vars, print(), io, signal)) !== 0) failures++;
    if (settings.timing) io.stderr.write(`Time: ${(performance.now() - started).toFixed(3)} ms\n`);
    running = undefined;
  };
  const remember = (entry: string) => {
    editor.remember(entry);
    if (io.interactive && io.historyFile) appendHistory(io.historyFile, entry, io.uid);
  };

  editor.onInterrupt(() => {
    if (running) return void running.abort();
    buffer = '';
    open = undefined;
    editor.clearLine();
    io.stdout.write('^C\n');
    prompt();
  });
  /** One line typed: a meta-command, or more of a statement (running those it completes). False: leave. */
  const handle = async (line: string): Promise<boolean> => {
    const meta = parseMeta(line, buffer.trim() === '');
    if (!meta) {
      const input = readStatements(`${buffer}${line}\n`);
      [buffer, open] = [input.rest, input.open];
      // Each statement runs on its own, as in psql: one that fails does not stop the next.
      for (const statement of input.statements) {
        remember(statement);
        await run(statement);
        if (io.signal?.aborted) break;
      }
      return true;
    }
    remember(line.trim());
    const action = applyMeta(meta, settings);
    if (action.kind === 'quit') return false;
    if (action.kind === 'reset') [buffer, open] = ['', undefined];
    else if (action.kind === 'print') (action.error ? io.stderr : io.stdout).write(action.text);
    else if (action.kind === 'sql') await run(action.sql);
    else await runFile(action.file, run, io);
    return true;
  };

  if (io.interactive) io.stdout.write(banner(options.version));
  prompt();
  let line = await editor.next();
  for (; line !== undefined && !io.signal?.aborted; line = await editor.next()) {
    if (!(await handle(line)) || io.signal?.aborted) break;
    prompt();
  }
  editor.close();
  // A script piped in may end without a final ";": its last statement still runs.
  if (!io.interactive && buffer.trim() && !io.signal?.aborted) await run(buffer);
  // Ctrl-D leaves the cursor after the prompt: the shell's own prompt starts on a new line.
  if (io.interactive && line === undefined && !io.signal?.aborted) io.stdout.write('\n');
  return io.interactive || failures === 0 ? 0 : 1;
}

async function runFile(file: string, run: (sql: string) => Promise<void>, io: ShellIo): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.stderr.write(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? toEngineError(error).message}\n`);
    return;
  }
  if (text.trim()) await run(text);
}

/** Print options as the settings are now (\x, \o and \pager change them between statements). */
function printOptions(options: ShellOptions, settings: ShellSettings, editor: LineEditor, interactive: boolean): () => PrintOptions {
  const size = interactive && options.stdoutIsTTY ? options.terminalSize : undefined;
  const pager =
    size && options.settings.pager
      ? createPager({ command: options.settings.pager, rows: () => size().rows, before: editor.suspend, after: editor.resume })
      : undefined;
  return () => ({
    output: settings.output,
    dryRun: options.dryRun,
    stdoutIsTTY: options.stdoutIsTTY,
    expanded: settings.expanded,
    width: () => size?.().columns,
    color: options.color,
    pager: settings.pager ? pager : undefined,
  });
}

/** The registry as completion asks for it; what cannot be read completes nothing. */
export function engineCatalog(engine: Engine): Catalog {
  const describe = (resource: string) => {
    try {
      return engine.describe(resource);
    } catch {
      return undefined;
    }
  };
  return {
    names: (parent) => {
      try {
        return engine.names(parent);
      } catch {
        return [];
      }
    },
    columns: (resource) => {
      const description = describe(resource);
      if (!description) return [];
      const params = description.methods.filter((method) => method.verb === 'select').flatMap((method) => [...method.required, ...method.optional]);
      return [...description.columns.map((column) => column.name), ...params];
    },
    params: (method) => {
      const name = method.split('.');
      const found = describe(name.slice(0, 3).join('.'))?.methods.find((candidate) => candidate.name === name[3]);
      return found ? [...found.required, ...found.optional] : [];
    },
  };
}
