// The shell's semantics, driven through streams: statements split by the lexer, meta-commands,
// whole-statement history, Ctrl-R, Tab, Ctrl-C. test/cli/shell-pty.test.ts drives the real binary
// through a pseudo-terminal.

import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell, type ShellOptions } from '../../../src/cli/shell.ts';
import { guardStdout } from '../../../src/cli/stdout.ts';
import { createEngine } from '../../../src/engine.ts';

const engine = createEngine({ cacheDir: false });
afterAll(() => engine.close());
const dir = mkdtempSync(join(tmpdir(), 'skyql-shell-'));

function shell(interactive: boolean, options: Partial<ShellOptions> = {}, historyFile?: string) {
  const stdin = new PassThrough();
  const terminal = new PassThrough();
  const out = { stdout: '', stderr: '', screen: '' };
  terminal.on('data', (chunk) => {
    out.stdout += chunk;
  });
  const stdout = guardStdout(terminal);
  const stderr = { write: (text: string) => (out.stderr += text) };
  const done = runShell(
    engine,
    { stdin, stdout, stderr, interactive, terminal: interactive ? terminal : undefined, historyFile },
    {
      vars: {},
      dryRun: false,
      settings: { output: 'jsonl', expanded: false },
      version: '9.9.9',
      ...options,
    },
  );
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check()).toBe(true);
  };
  return { stdin, out, done, until };
}

describe('the shell on a pipe', () => {
  it('runs statements at their ";" (not one in a string or comment), a final statement without one, and exits 1 when one failed', async () => {
    const { stdin, out, done } = shell(false);
    stdin.end("SELECT 'a;b' AS x /* ; */\n;\nSHOW PROVIDERS; SHOW SERVICES IN nope;\nSELECT 2 AS y\n");
    expect(await done).toBe(1);
    expect(out.stdout).toBe('{"x":"a;b"}\n{"name":"azure","title":"Microsoft Azure"}\n{"y":2}\n');
    expect(out.stderr).toMatch(/error\[REG_NOT_PULLED\]/);
  });

  it('meta-commands: \\o, \\x, \\set for {{ vars }}, \\d, \\i, help, \\q', async () => {
    const file = join(dir, 'two.sql');
    writeFileSync(file, "SELECT '{{ who }}' AS who;\n");
    const { stdin, out, done } = shell(false);
    stdin.end(
      `\\set who me\n\\i ${file}\n\\o table\n\\x\nSELECT 1 AS n, NULL AS gone;\n\\o csv\n\\d azure.subscriptions.subscriptions\nhelp\n\\q\nSELECT 'not run';\n`,
    );
    expect(await done).toBe(0);
    expect(out.stdout).toContain('{"who":"me"}\n');
    expect(out.stdout).toContain('Expanded display is on.\n-[ RECORD 1 ]\nn    | 1\ngone | NULL\n');
    expect(out.stdout).toContain('name,type,description\r\nid,string,');
    expect(out.stdout).toContain('Tab completes names');
    expect(out.stdout).not.toContain('not run');
  });

  it("\\timing reports each statement's time on stderr", async () => {
    const { stdin, out, done } = shell(false);
    stdin.end('\\timing\nSHOW PROVIDERS;\n');
    await done;
    expect(out.stdout).toContain('Timing is on.');
    expect(out.stderr).toMatch(/^Time: \d+\.\d{3} ms$/m);
  });
});

describe('the shell on a terminal', () => {
  it('shows a banner with the version and how to get help, and prompts that follow the statement', async () => {
    const { stdin, out, done, until } = shell(true);
    await until(() => out.stdout.includes('skyql> '));
    expect(out.stdout).toMatch(/^skyql 9\.9\.9: SQL for Azure\. Type \\\? for help, \\q to quit/);
    stdin.write('\r');
    stdin.write('SELECT\r');
    await until(() => out.stdout.includes('    -> '));
    stdin.write("'a\r");
    await until(() => out.stdout.includes("    '> "));
    stdin.write("' AS x;\r");
    await until(() => out.stdout.includes('{"x":"a\\n"}'));
    stdin.end();
    expect(await done).toBe(0);
  });

  it('keeps a multi-line statement as one history entry (Up brings all of it back), in a 0600 file', async () => {
    const file = join(dir, 'history');
    const first = shell(true, {}, file);
    first.stdin.write('SELECT 1 AS a,\r2 AS b;\r');
    await first.until(() => first.out.stdout.includes('{"a":1,"b":2}'));
    first.stdin.end();
    await first.done;
    expect(readFileSync(file, 'utf8')).toBe('"SELECT 1 AS a,\\n2 AS b;"\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = shell(true, {}, file);
    second.stdin.write('\x1b[A\r');
    await second.until(() => second.out.stdout.includes('{"a":1,"b":2}'));
    second.stdin.end();
    await second.done;
  });

  it('Ctrl-R finds an earlier statement; Enter runs it', async () => {
    const { stdin, out, done, until } = shell(true);
    stdin.write('SHOW PROVIDERS;\r');
    await until(() => out.stdout.includes('"azure"'));
    stdin.write("SELECT 'other' AS o;\r");
    await until(() => out.stdout.includes('"other"'));
    out.stdout = '';
    stdin.write('\x12PROV');
    await until(() => out.stdout.includes("(reverse-i-search)'PROV': SHOW PROVIDERS;"));
    stdin.write('\r');
    await until(() => out.stdout.includes('"azure"'));
    stdin.end();
    await done;
  });

  it('Tab completes a resource name from the registry', async () => {
    const { stdin, out, done, until } = shell(true);
    stdin.write('SHOW RESOURCES IN azure.subscr\t');
    await until(() => out.stdout.includes('azure.subscriptions.'));
    stdin.end();
    await done;
  });

  it('Ctrl-C drops the statement being typed and the shell goes on; Ctrl-D leaves with 0', async () => {
    const { stdin, out, done, until } = shell(true);
    stdin.write('SELECT nope\r');
    await until(() => out.stdout.includes('    -> '));
    stdin.write('\x03');
    await until(() => out.stdout.includes('^C\n'));
    stdin.write('SELECT 3 AS c;\r');
    await until(() => out.stdout.includes('{"c":3}'));
    stdin.write('\x04');
    expect(await done).toBe(0);
    expect(out.stderr).toBe('');
  });
});
