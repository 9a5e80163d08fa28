// Hostile output: what Azure (or whoever names a resource) returns must not drive the user's
// terminal, config errors must not echo secrets, and a closed or full stdout must end cleanly.
// A mock Azure on 127.0.0.1; the CLI runs in-process (runCli), or spawned for real pipes and files.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const NODE = join(ROOT, 'node_modules/.bin/node');
const TOKEN = 'secret-token-0123456789';
const AUTH = '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}';
const SUB = '00000000-0000-0000-0000-000000000001';
const listSql = (rg: string) => `SELECT name, tags FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = '${rg}'`;

/** What a terminal would act on: C0 but \n, DEL, C1, bidi overrides and isolates. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE_NAMES = [
  '\x1b]8;;http://evil\x07click\x1b]8;;\x07',
  'clear\x1b[2J\x1b[Hscreen',
  'csi\x9b31mred',
  'title\x1b]0;pwned\x07',
  'fdp.exe\u202egnp',
  'iso\u2066late\u2069d',
  'del\x7fcr\rtab\tbell\x07',
];
const HOSTILE_TAGS = { owner: 'rlo\u202etxt.exe', note: 'c1\x85nel\x9dosc' };
const CLOUD_MESSAGE = 'The factory \x1b[2J\x1b]8;;http://evil\x07was\x1b]8;;\x07 not found\x9b1m \u202ereversed';
const MANY_PAGES = 40;
const PAGE_ROWS = 1000;

let server: MockServer;
let registryDir: string;
beforeAll(async () => {
  server = await startMockServer([
    http.get('*/resourceGroups/hostile/providers/Microsoft.DataFactory/factories', () =>
      HttpResponse.json({
        value: HOSTILE_NAMES.map((name) => ({ name, id: `/factories/${name}`, tags: HOSTILE_TAGS })),
      }),
    ),
    http.get('*/resourceGroups/broken/providers/Microsoft.DataFactory/factories', () =>
      HttpResponse.json(
        { error: { code: 'Resource\x1b[8mNotFound', message: CLOUD_MESSAGE, details: [{ code: 'Inner\x9b2J', message: 'detail \u202e\x1b]0;t\x07' }] } },
        // A header cannot hold C0 controls, but may hold bytes 0x80–0xff: read as latin1, 0x9b is the 8-bit CSI.
        { status: 403, headers: { 'x-ms-request-id': 'req-\x9b2J-id' } },
      ),
    ),
    // A list whose group does not exist is no rows, with Azure's words on the warning line.
    http.get('*/resourceGroups/gone/providers/Microsoft.DataFactory/factories', () =>
      HttpResponse.json({ error: { code: 'ResourceGroup\x1b[8mNotFound', message: CLOUD_MESSAGE } }, { status: 404 }),
    ),
    http.get('*/resourceGroups/many/providers/Microsoft.DataFactory/factories', ({ request }) => manyPage(new URL(request.url))),
  ]);
  registryDir = mkdtempSync(join(tmpdir(), 'skyql-security-'));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

/** MANY_PAGES pages of PAGE_ROWS factories, linked by nextLink. */
function manyPage(url: URL): Response {
  const page = Number(url.searchParams.get('$skiptoken') ?? '0');
  const value = Array.from({ length: PAGE_ROWS }, (_, i) => ({ name: `factory-${page}-${i}`, tags: { n: String(i) } }));
  const nextLink = page + 1 < MANY_PAGES ? `${url.origin}${url.pathname}?api-version=2018-06-01&$skiptoken=${page + 1}` : undefined;
  return HttpResponse.json(nextLink ? { value, nextLink } : { value });
}

function cli(options: { stdoutIsTTY?: boolean } = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env: { AZURE_TOKEN: TOKEN, SKYQL_REGISTRY_DIR: registryDir },
    version: '0.0.0-test',
    stdoutIsTTY: options.stdoutIsTTY,
  };
  const run = (...argv: string[]) => runCli([...argv, '--auth', AUTH, '--endpoint', `azure=${server.origin}`], io);
  return { out, io, run };
}

describe('escape sequences from Azure never reach a terminal raw', () => {
  it('a table (always for people) shows hostile names and tags escaped, and aligned', async () => {
    const { out, run } = cli();
    expect(await run('exec', listSql('hostile'))).toBe(0);
    expect(out.stdout).not.toMatch(RAW_CONTROL);
    expect(out.stderr).not.toMatch(RAW_CONTROL);
    expect(out.stdout).toContain('\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07');
    expect(out.stdout).toContain('csi\\x9b31mred');
    expect(out.stdout).toContain('fdp.exe\\u202egnp');
    expect(out.stdout).toContain('iso\\u2066late\\u2069d');
    const lines = out.stdout.trimEnd().split('\n');
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('json and csv on a terminal are escaped (json still parses to the same values); piped jsonl keeps every byte', async () => {
    const json = cli({ stdoutIsTTY: true });
    expect(await json.run('exec', listSql('hostile'), '-o', 'json')).toBe(0);
    expect(json.out.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.out.stdout).map((row: { name: string }) => row.name)).toEqual(HOSTILE_NAMES);

    const csv = cli({ stdoutIsTTY: true });
    expect(await csv.run('exec', listSql('hostile'), '-o', 'csv')).toBe(0);
    expect(csv.out.stdout.replace(/\r\n/g, '\n')).not.toMatch(RAW_CONTROL);

    const piped = cli();
    expect(await piped.run('exec', listSql('hostile'), '-o', 'jsonl')).toBe(0);
    const rows = piped.out.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => row.name)).toEqual(HOSTILE_NAMES);
    // tags is an object column: jsonl writes it as a JSON value, not as a string of JSON.
    expect(rows.map((row) => row.tags)).toEqual(HOSTILE_NAMES.map(() => HOSTILE_TAGS));
    expect(piped.out.stdout).toContain('\u202e');
  });

  it("Azure's error code, message, details and request id reach stderr escaped", async () => {
    const { out, run } = cli();
    expect(await run('exec', listSql('broken'))).toBe(1);
    expect(out.stderr).not.toMatch(RAW_CONTROL);
    expect(out.stderr).toMatch(/^error\[HTTP_STATUS\]: .*HTTP 403 Resource\\x1b\[8mNotFound: The factory \\x1b\[2J/);
    expect(out.stderr).toContain('\\x9b1m \\u202ereversed');
    expect(out.stderr).toContain('x-ms-request-id: req-\\x9b2J-id');
  });

  it("a 404 read as no rows warns in Azure's words, escaped", async () => {
    const { out, run } = cli();
    expect(await run('exec', listSql('gone'))).toBe(0);
    expect(out.stderr).not.toMatch(RAW_CONTROL);
    expect(out.stderr).toMatch(/HTTP 404 ResourceGroup\\x1b\[8mNotFound: The factory \\x1b\[2J.*read as no rows/);
  });
});

describe('config errors never echo a secret', () => {
  it('invalid --auth JSON says where, not what', async () => {
    const secret = 'sk-live-SECRET-4242';
    const { out, io } = cli();
    expect(await runCli(['exec', 'SHOW PROVIDERS', '--auth', `{"azure":{"type":"bearer","token":${secret}}}`], io)).toBe(2);
    // V8's message would quote ten characters from the error on: "sk-live-SE".
    expect(out.stderr).not.toMatch(/sk-live|SECRET/);
    expect(out.stderr).toMatch(/^error\[CFG_INVALID\]: --auth is not valid JSON \(at line 1, column 35\)/);
  });

  it('var files: a JSON or YAML error gives the file and a position, never a value, and yaml prints nothing itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyql-vars-'));
    const cases = {
      'bad.json': '{"password": hunter2-SECRET}',
      'alias.yaml': 'password: *hunter2-SECRET\n',
      'tag.yaml': 'password: !vault hunter2-SECRET\nfactoryName: f\n',
    };
    // yaml reports warnings through process.emitWarning, which Node prints on stderr.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const shown: Record<string, string> = {};
    try {
      for (const [name, text] of Object.entries(cases)) {
        writeFileSync(join(dir, name), text);
        const { out, run } = cli();
        warnings.length = 0;
        await run('exec', '--dry-run', 'SHOW PROVIDERS', '--var-file', join(dir, name));
        await new Promise((resolve) => setImmediate(resolve));
        shown[name] = [out.stderr, ...warnings].join('\n');
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(Object.keys(shown).filter((name) => /hunter2|SECRET/.test(shown[name]))).toEqual([]);
    expect(shown['bad.json']).toMatch(/^error\[CFG_FILE\]: .*bad\.json is not valid JSON \(at line 1, column 14\)/);
    expect(shown['alias.yaml']).toMatch(/^error\[CFG_FILE\]: .*alias\.yaml: an alias/);
    expect(shown['tag.yaml']).toMatch(/^warning: .*tag\.yaml: YAML TAG_RESOLVE_FAILED at line 1, column 11/);
  });

  it('a --var without a name is not quoted back', async () => {
    const { out, run } = cli();
    expect(await run('exec', 'SHOW PROVIDERS', '--var', 'x=1', '--var', 'hunter2-SECRET')).toBe(2);
    expect(out.stderr).not.toMatch(/hunter2|SECRET/);
    expect(out.stderr).toMatch(/^error\[CFG_INVALID\]: --var takes name=value; the 2nd --var has no name/);
  });
});

describe('a closed or full stdout ends cleanly (the real CLI)', () => {
  const run = promisify(execFile);
  const many = () => [listSql('many'), '-o', 'jsonl', '--auth', AUTH, '--endpoint', `azure=${server.origin}`];
  const env = () => ({ PATH: process.env.PATH ?? '', AZURE_TOKEN: TOKEN, SKYQL_REGISTRY_DIR: registryDir, SKYQL_HISTORY: '' });
  /** Runs a bash script with "$0" the project's Node and "$@" the CLI's arguments; resolves whatever the status. */
  const bash = (script: string, args: readonly string[]) =>
    run('bash', ['--norc', '--noprofile', '-c', script, NODE, ...args], { cwd: ROOT, env: env(), maxBuffer: 64 << 20 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error) => ({ code: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string }),
    );
  const noStackTrace = (stderr: string) => {
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/\bError:|node:internal|Unhandled/);
  };

  it('`exec … | head -1`: one row, nothing on stderr, status 141, the rest of the list not fetched', async () => {
    const result = await bash('"$0" bin/skyql.js exec "$@" | head -1; exit "${PIPESTATUS[0]}"', many());
    expect(JSON.parse(result.stdout)).toEqual({ name: 'factory-0-0', tags: { n: '0' } });
    noStackTrace(result.stderr);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(141);
    expect(server.requests.length).toBeLessThan(MANY_PAGES);
  });

  it('`shell … | head -1`: the shell stops too, status 141', async () => {
    const script = 'printf "%s;\\n%s;\\n" "$1" "$1" | "$0" bin/skyql.js shell "${@:2}" | head -1; exit "${PIPESTATUS[1]}"';
    const [sql, ...flags] = many();
    const result = await bash(script, [sql, ...flags]);
    expect(JSON.parse(result.stdout).name).toBe('factory-0-0');
    noStackTrace(result.stderr);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(141);
    expect(server.requests.length).toBeLessThan(MANY_PAGES);
  });

  it.skipIf(!existsSync('/dev/full'))('`exec … > /dev/full`: error[OUTPUT_WRITE_FAILED] naming ENOSPC, status 1', async () => {
    const result = await bash('"$0" bin/skyql.js exec "$@" > /dev/full', many());
    noStackTrace(result.stderr);
    expect(result.stderr).toMatch(/^error\[OUTPUT_WRITE_FAILED\]: writing to stdout failed: ENOSPC \(no space left on device\)\n {2}hint: [^\n]+\n$/);
    expect(result.code).toBe(1);
    expect(server.requests.length).toBeLessThan(MANY_PAGES);
  });

  it.skipIf(!existsSync('/dev/full'))('`shell … > /dev/full`: the same coded error, status 1', async () => {
    const [sql, ...flags] = many();
    const result = await bash('printf "%s;\\n%s;\\n" "$1" "$1" | "$0" bin/skyql.js shell "${@:2}" > /dev/full', [sql, ...flags]);
    noStackTrace(result.stderr);
    expect(result.stderr).toMatch(/^error\[OUTPUT_WRITE_FAILED\]: writing to stdout failed: ENOSPC/);
    expect(result.stderr.match(/error\[/g)).toHaveLength(1);
    expect(result.code).toBe(1);
  });
});
