// The shell's terminal side: node:readline with Tab completion, whole-statement history (one
// entry per statement, a multi-line one kept with its newlines) and Ctrl-R reverse search. The
// REPL's semantics (shell.ts) see only lines, prompts and history entries, so tests drive it
// with plain streams; on a pipe nothing here draws anything.

import { createInterface, type Interface, type Key } from 'node:readline';
import { HISTORY_SIZE } from './history.ts';
import type { Completion } from './complete.ts';

export interface LineEditor {
  /** The next line typed (a recalled multi-line statement comes as one line with its newlines); undefined at the end. */
  next(): Promise<string | undefined>;
  /** Shows the prompt, with what is typed so far; not while lines typed ahead wait (they were echoed already). */
  prompt(text: string): void;
  /** Adds a whole statement to the history (Up recalls it as one entry). */
  remember(entry: string): void;
  /** Ctrl-C: readline does not end the shell; the handler decides. */
  onInterrupt(handler: () => void): void;
  /** Empties the line being edited. */
  clearLine(): void;
  /** Hands the terminal to another program (a pager) and takes it back. */
  suspend(): void;
  resume(): void;
  close(): void;
}

export interface LineEditorOptions {
  readonly input: NodeJS.ReadableStream;
  /** The terminal, when interactive: prompts and editing are drawn there. */
  readonly terminal?: NodeJS.WritableStream;
  readonly history: readonly string[];
  /** Completions for the text before the cursor and the whole line. */
  readonly completer?: (before: string, line: string) => Completion;
}

/** readline's own members that the editor drives (the same ones Node's REPL uses). */
interface EditableInterface extends Interface {
  line: string;
  cursor: number;
  history: string[];
  _ttyWrite(text: string | undefined, key: Key | undefined): void;
}

export function createLineEditor(options: LineEditorOptions): LineEditor {
  const interactive = options.terminal !== undefined;
  const rl = createInterface({
    input: options.input,
    output: options.terminal,
    terminal: interactive,
    history: [...options.history],
    historySize: HISTORY_SIZE,
    completer: interactive && options.completer ? (before: string) => options.completer!(before, rl.line) : undefined,
  }) as EditableInterface;
  if (interactive) {
    // readline keeps every line typed; the shell keeps whole statements instead (remember).
    rl.on('line', (line) => {
      if (rl.history[0] === line) rl.history.shift();
    });
  }
  // Between a line's Enter and the next prompt the shell is busy (a statement runs): Ctrl-R
  // searches then, but draws nothing over the statement's output until the prompt comes back.
  let busy = false;
  rl.on('line', () => {
    busy = true;
  });
  const search = interactive ? installReverseSearch(rl, () => busy) : undefined;
  const queue = lineQueue(rl);
  return {
    next: queue.next,
    prompt(text) {
      if (queue.closed()) return;
      busy = false;
      // Ctrl-R pressed while a statement ran: the search stays on screen, and ends at this prompt.
      if (search?.active()) return search.promptAfter(text);
      rl.setPrompt(text);
      if (interactive && !queue.waiting()) rl.prompt(true);
    },
    remember(entry) {
      if (!interactive || entry.trim() === '') return;
      const at = rl.history.indexOf(entry);
      if (at !== -1) rl.history.splice(at, 1);
      rl.history.unshift(entry);
      if (rl.history.length > HISTORY_SIZE) rl.history.length = HISTORY_SIZE;
    },
    onInterrupt(handler) {
      rl.on('SIGINT', handler);
    },
    clearLine() {
      rl.line = '';
      rl.cursor = 0;
    },
    suspend() {
      rl.pause();
      setRawMode(options.input, false);
    },
    resume() {
      setRawMode(options.input, true);
      rl.resume();
    },
    close: () => rl.close(),
  };
}

/** Lines as they come, kept until asked for. Node 24's readline hands a recalled multi-line entry over with "\r" between its lines. */
function lineQueue(rl: Interface) {
  const lines: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  rl.on('line', (line) => {
    lines.push(line.replace(/\r\n?/g, '\n'));
    wake?.();
  });
  rl.on('close', () => {
    closed = true;
    wake?.();
  });
  return {
    waiting: () => lines.length > 0,
    closed: () => closed,
    async next(): Promise<string | undefined> {
      while (lines.length === 0 && !closed)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      wake = undefined;
      return lines.shift();
    },
  };
}

function setRawMode(input: NodeJS.ReadableStream, on: boolean): void {
  const tty = input as NodeJS.ReadStream;
  if (tty.isTTY && typeof tty.setRawMode === 'function') tty.setRawMode(on);
}

interface Search {
  query: string;
  /** Index in history of the entry shown; -1: none yet. */
  at: number;
  failing: boolean;
  readonly prompt: string;
  readonly line: string;
  readonly cursor: number;
}

/**
 * Ctrl-R: as in bash and psql. Typing narrows the search, Ctrl-R again finds an older entry,
 * Backspace widens it, Enter runs the entry found, Esc/Ctrl-G/Ctrl-C give back the line as it
 * was, and any other key (arrows, Ctrl-A/E) keeps the entry found to edit it.
 */
function installReverseSearch(rl: EditableInterface, busy: () => boolean): { active(): boolean; promptAfter(prompt: string): void } {
  const write = rl._ttyWrite.bind(rl);
  let search: Search | undefined;
  const show = (line: string, cursor: number, prompt: string) => {
    rl.setPrompt(prompt);
    rl.line = line;
    rl.cursor = cursor;
    if (!busy()) rl.prompt(true);
  };
  const render = (state: Search) => {
    const entry = state.at === -1 ? '' : rl.history[state.at];
    show(entry, Math.max(0, entry.indexOf(state.query)), `(${state.failing ? 'failing ' : ''}reverse-i-search)'${state.query}': `);
  };
  const find = (state: Search, from: number) => {
    const at = state.query === '' ? -1 : rl.history.findIndex((entry, index) => index >= from && entry.includes(state.query));
    state.failing = state.query !== '' && at === -1;
    if (at !== -1 || state.query === '') state.at = at;
  };
  const leave = (state: Search, keep: boolean) => {
    search = undefined;
    const entry = keep && state.at !== -1 ? rl.history[state.at] : state.line;
    show(entry, keep ? entry.length : state.cursor, state.prompt);
  };
  rl._ttyWrite = (text, key = {}) => {
    if (!search) {
      if (key.ctrl && key.name === 'r') {
        search = { query: '', at: -1, failing: false, prompt: rl.getPrompt(), line: rl.line, cursor: rl.cursor };
        return render(search);
      }
      return write(text, key);
    }
    const state = search;
    if (key.ctrl && key.name === 'r') find(state, state.at + 1);
    else if (key.name === 'backspace') {
      state.query = state.query.slice(0, -1);
      find(state, 0);
    } else if ((key.ctrl && (key.name === 'g' || key.name === 'c')) || key.name === 'escape') return leave(state, false);
    else if (text && text.length === 1 && !key.ctrl && !key.meta && text >= ' ' && key.name !== 'return' && key.name !== 'enter') {
      state.query += text;
      find(state, Math.max(0, state.at));
    } else {
      leave(state, true);
      return write(text, key);
    }
    render(state);
  };
  return {
    active: () => search !== undefined,
    promptAfter(prompt) {
      if (!search) return;
      search = { ...search, prompt };
      find(search, 0);
      render(search);
    },
  };
}
