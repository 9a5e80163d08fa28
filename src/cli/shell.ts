// `skyql shell`: a basic REPL. A statement runs when a line ends it with ";"; errors are
// printed and the shell goes on. Ctrl-C cancels the running statement (or clears the line);
// Ctrl-D leaves. The REPL semantics stay apart from the terminal (tests give streams). When
// stdout fails (the reader went away, a full disk), `signal` aborts: the shell stops.

import { createInterface } from 'node:readline';
import type { Engine } from '../engine.ts';
import type { TemplateData } from '../sql/template-data.ts';
import { appendHistory, loadHistory } from './history.ts';
import { runScript, type PrintOptions, type ScriptIo } from './script.ts';

export interface ShellIo extends ScriptIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly interactive: boolean;
  /** The terminal readline edits lines on (interactive only). */
  readonly terminal?: NodeJS.WritableStream;
  /** Aborted when the shell must stop (stdout failed). */
  readonly signal?: AbortSignal;
  /** Where statements are remembered across sessions (created with mode 0600). */
  readonly historyFile?: string;
}

export interface ShellOptions extends PrintOptions {
  readonly vars: TemplateData;
}

const PROMPT = 'skyql> ';
const CONTINUE = '   ...> ';

export async function runShell(engine: Engine, io: ShellIo, options: ShellOptions): Promise<number> {
  const history = io.interactive && io.historyFile ? loadHistory(io.historyFile) : [];
  const rl = createInterface({ input: io.stdin, output: io.interactive ? io.terminal : undefined, terminal: io.interactive, history, historySize: 1000 });
  io.signal?.addEventListener('abort', () => rl.close(), { once: true });
  let buffer = '';
  let failures = 0;
  let running: AbortController | undefined;
  const prompt = () => io.interactive && io.stdout.write(buffer ? CONTINUE : PROMPT);
  rl.on('SIGINT', () => {
    if (running) return void running.abort();
    buffer = '';
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    io.stdout.write('\n');
    prompt();
  });
  prompt();
  for await (const line of rl) {
    if (!buffer && ['.exit', '.quit', 'exit', 'quit'].includes(line.trim())) break;
    buffer += `${line}\n`;
    if (endsStatement(buffer)) {
      const sql = buffer;
      buffer = '';
      if (io.interactive && io.historyFile) appendHistory(io.historyFile, sql.trim().replace(/\s*\n\s*/g, ' '));
      running = new AbortController();
      const signal = io.signal ? AbortSignal.any([running.signal, io.signal]) : running.signal;
      if ((await runScript(engine, sql, options.vars, options, io, signal)) !== 0) failures++;
      running = undefined;
      if (io.signal?.aborted) break;
    }
    prompt();
  }
  rl.close();
  if (buffer.trim() && !io.signal?.aborted) failures += (await runScript(engine, buffer, options.vars, options, io)) !== 0 ? 1 : 0;
  return io.interactive || failures === 0 ? 0 : 1;
}

/** True when the text ends with a ";" outside quotes and comments. */
export function endsStatement(text: string): boolean {
  let quote: string | undefined;
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '-' && text[i + 1] === '-') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    else if (!/\s/.test(ch)) last = ch;
  }
  return !quote && last === ';';
}
