// The process entry point: the only module that touches `process`.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run.ts';

function shellHistoryFile(): string | undefined {
  if (process.env.SKYQL_HISTORY === '') return undefined;
  return process.env.SKYQL_HISTORY ?? join(process.env.HOME ?? homedir(), '.skyql', 'history');
}

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const controller = new AbortController();
const isShell = process.argv[2] === 'shell';
if (!isShell) process.once('SIGINT', () => controller.abort());
// A server stops cleanly on SIGTERM: no new connections, running statements finish or are cancelled.
if (process.argv[2] === 'serve' || process.argv[2] === 'mcp') process.once('SIGTERM', () => controller.abort());
// A failed write to stderr has nowhere left to be reported; unhandled, it would end in a stack trace.
process.stderr.on('error', () => {});

const code = await runCli(process.argv.slice(2), {
  // Its 'error' events (EPIPE from `| head -1`, ENOSPC…) reach runCli, which stops the work and ends with 141 or OUTPUT_WRITE_FAILED.
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  version: packageJson.version,
  signal: controller.signal,
  stdin: () => process.stdin,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  shell: () => ({ stdin: process.stdin, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY), historyFile: shellHistoryFile() }),
  terminalSize: () => ({ columns: process.stdout.columns, rows: process.stdout.rows }),
  uid: process.getuid?.(),
});
process.exitCode = code;
