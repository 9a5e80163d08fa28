// The real `skyql shell` on a pseudo-terminal (util-linux `script` makes one), driven as a person
// types: Tab, Up, meta-commands, a pager, Ctrl-C on a slow list, Ctrl-D. Assertions read the screen
// text (escape sequences removed) and never time anything.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
if (!HAS_SCRIPT) console.log('test/cli/shell-pty.test.ts: skipped (no util-linux `script` to make a pseudo-terminal)');
const BIN = fileURLToPath(new URL('../../bin/skyql.js', import.meta.url));
const TOKEN = 'pty-test-token-0123456789';
const SUB = '00000000-0000-0000-0000-000000000001';

let server: MockServer;
let releaseSlow: (() => void) | undefined;
beforeAll(async () => {
  server = await startMockServer([
    // A list that answers only when the test lets it: Ctrl-C must stop the statement first.
    http.get(
      '*/subscriptions/:sub/resourcegroups',
      () =>
        new Promise<Response>((resolve) => {
          releaseSlow = () => resolve(HttpResponse.json({ value: [] }));
        }),
    ),
    http.get('*/subscriptions', () => HttpResponse.json({ value: [{ subscriptionId: SUB, displayName: 'Dev', tags: { team: 'data' } }] })),
  ]);
});
afterAll(async () => {
  releaseSlow?.();
  await server?.close();
});

/** ANSI escape sequences out, carriage returns as line ends: what a person reads. */
function screenText(raw: string): string {
  return raw
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\x1b[()][A-Z0-9]/g, '')
    .replace(/\r\n?/g, '\n');
}

interface Pty {
  readonly child: ChildProcess;
  type(text: string): void;
  screen(): string;
  /** Waits until the screen text after `from` matches; returns the screen's length where it matched. */
  waitFor(pattern: RegExp | string, from?: number): Promise<number>;
  exit: Promise<number | null>;
}

function startShell(home: string, extraArgs: string[] = [], env: Record<string, string> = {}, rows = 40): Pty {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const args = ['shell', '--auth', '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}', '--endpoint', `azure=${server.origin}`, ...extraArgs];
  const command = `stty cols 100 rows ${rows} 2>/dev/null; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      TERM: 'xterm',
      AZURE_TOKEN: TOKEN,
      NO_COLOR: '1',
      SKYQL_HISTORY: join(home, 'history'),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout!.on('data', (chunk) => {
    raw += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    raw += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    type: (text) => {
      child.stdin!.write(text);
    },
    screen: () => screenText(raw),
    async waitFor(pattern, from = 0) {
      for (;;) {
        const text = screenText(raw).slice(from);
        const at = typeof pattern === 'string' ? text.indexOf(pattern) : text.search(pattern);
        if (at !== -1) return from + at + 1;
        if (child.exitCode !== null) throw new Error(`the shell exited (${child.exitCode}) before showing ${pattern}:\n${screenText(raw)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    exit,
  };
}

describe.skipIf(!HAS_SCRIPT)('skyql shell on a terminal', () => {
  it('banner, Tab completion, a multi-line statement recalled whole with Up, \\x, \\timing, \\o json, \\d; Ctrl-D exits 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skyql-pty-'));
    const pty = startShell(home);
    let at = await pty.waitFor(/skyql \d+\.\d+\.\d+[^\n]*: SQL for Azure\. Type \\\? for help, \\q to quit/);
    at = await pty.waitFor('skyql> ', at);

    pty.type('SHOW RESOURCES IN azure.data_f\t');
    at = await pty.waitFor('SHOW RESOURCES IN azure.data_factory.', at);
    pty.type('\x15'); // Ctrl-U: the line is given up

    pty.type('SHOW SERVICES\r');
    at = await pty.waitFor('    -> ', at);
    pty.type("IN azure LIKE 'sub%';\r");
    at = await pty.waitFor('1 row', at);
    pty.type('\x1b[A');
    at = await pty.waitFor(/SHOW SERVICES\n\| IN azure LIKE 'sub%';|SHOW SERVICES\nIN azure LIKE 'sub%';/, at);
    pty.type('\r');
    at = await pty.waitFor('1 row', at);

    pty.type('\\x\r');
    at = await pty.waitFor('Expanded display is on.', at);
    pty.type('SELECT subscriptionId, tags FROM azure.subscriptions.subscriptions;\r');
    at = await pty.waitFor(`-[ RECORD 1 ]`, at);
    at = await pty.waitFor(`subscriptionId | ${SUB}`, at);
    pty.type('\\x\r');
    at = await pty.waitFor('Expanded display is off.', at);

    pty.type('\\timing\r');
    at = await pty.waitFor('Timing is on.', at);
    pty.type('\\o json\r');
    at = await pty.waitFor('Output format is json.', at);
    pty.type('SELECT displayName, tags FROM azure.subscriptions.subscriptions;\r');
    at = await pty.waitFor('"tags": {\n      "team": "data"\n    }', at);
    at = await pty.waitFor(/Time: \d+\.\d{3} ms/, at);
    pty.type('\\o table\r');
    pty.type('\\timing off\r');
    at = await pty.waitFor('Timing is off.', at);

    pty.type('\\d azure.data_factory.factories\r');
    at = await pty.waitFor(/\| name +\| type +\| description/, at);
    at = await pty.waitFor('| location ', at);

    pty.type('\x04');
    expect(await pty.exit).toBe(0);
    const history = readFileSync(join(home, 'history'), 'utf8');
    expect(history).toContain('"SHOW SERVICES\\nIN azure LIKE \'sub%\';"\n');
    expect(statSync(join(home, 'history')).mode & 0o777).toBe(0o600);
  });

  it('Ctrl-C cancels a statement waiting on a slow list, and the shell goes on', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skyql-pty-'));
    const pty = startShell(home);
    let at = await pty.waitFor('skyql> ');
    const before = server.requests.length;
    pty.type(`SELECT name FROM azure.resources.resource_groups WHERE subscriptionId = '${SUB}';\r`);
    while (server.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    pty.type('\x03');
    at = await pty.waitFor(/error\[HTTP_ABORTED\]|cancelled/, at);
    at = await pty.waitFor('skyql> ', at);
    pty.type('SHOW PROVIDERS;\r');
    at = await pty.waitFor('| azure ', at);
    pty.type('\\q\r');
    expect(await pty.exit).toBe(0);
  });

  it('a table taller than the terminal goes through the pager; one wider than it is cut to fit', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skyql-pty-'));
    const pty = startShell(home, [], { SKYQL_PAGER: "sed 's/^/PAGED /'" }, 24);
    let at = await pty.waitFor('skyql> ');
    pty.type('SHOW RESOURCES IN azure.data_factory;\r');
    at = await pty.waitFor('PAGED | name', at);
    pty.type('DESCRIBE azure.subscriptions.subscriptions;\r');
    at = await pty.waitFor('9 rows', at);
    const table = pty
      .screen()
      .split('\n')
      .filter((line) => line.startsWith('|') || line.startsWith('+'));
    expect(table.length).toBeGreaterThan(0);
    expect(Math.max(...table.map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(table.some((line) => line.includes('…'))).toBe(true);
    pty.type('\x04');
    expect(await pty.exit).toBe(0);
  });
});
