// Long tables on a terminal go through a pager ($SKYQL_PAGER, $PAGER, else `less -FRX`: quit at
// once when it fits, keep colours, leave the text on the screen), as psql does. Only when stdout
// is a terminal and the text is taller than it; never for piped output.

export interface PagerOptions {
  /** The command, run by /bin/sh; '' or undefined: no pager. */
  readonly command?: string;
  /** The terminal's rows now (it may have been resized). */
  readonly rows: () => number | undefined;
  /** Around the pager's run: the shell gives the terminal to it and takes it back. */
  readonly before?: () => void;
  readonly after?: () => void;
}

/** Shows text in the pager and resolves true, or resolves false when the text should be written as it is. */
export type Pager = (text: string) => Promise<boolean>;

export const DEFAULT_PAGER = 'less -FRX';

export function pagerCommand(env: Readonly<Record<string, string | undefined>>, fromFile?: string): string | undefined {
  const chosen = env.SKYQL_PAGER ?? env.PAGER ?? fromFile ?? DEFAULT_PAGER;
  return chosen.trim() === '' ? undefined : chosen;
}

export function linesOf(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

export function createPager(options: PagerOptions): Pager {
  return async (text) => {
    const rows = options.rows();
    if (!options.command || rows === undefined || linesOf(text) < rows - 1) return false;
    options.before?.();
    try {
      return await runPager(options.command, text);
    } finally {
      options.after?.();
    }
  };
}

/** False when the pager could not be started (the text is then written as it is). */
async function runPager(command: string, text: string): Promise<boolean> {
  // Loaded when a table is first paged: a CLI start does not pay for child_process.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
    let started = true;
    child.on('error', () => {
      started = false;
      resolve(false);
    });
    // The reader quitting early (q in less) closes the pipe: not an error.
    child.stdin.on('error', () => {});
    child.on('close', (code) => resolve(started && code !== 127));
    child.stdin.end(text);
  });
}
