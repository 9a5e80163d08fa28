import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/cli/run.ts';
import { azureHandlers } from '../../helpers/azure-mock.ts';
import { ADF_RUN_ID } from '../../helpers/azure-responses.ts';
import { defaultFleet, FLEET_SUBSCRIPTION, fleetHandlers } from '../../helpers/azure-fleet.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';
import { needsShared, sharedPath } from '../../helpers/shared.ts';

const shared = needsShared('seed documents');

/** Seed 000: the INSERT … SELECT … RETURNING of StackQL's pipelines_runs page, as StackQL documents it (README.md has it too). */
const SEED_SQL = `INSERT INTO azure.data_factory.pipelines_runs (
subscriptionId,
resourceGroupName,
factoryName,
pipelineName,
api-version,
referencePipelineRunId,
isRecovery,
startActivityName,
startFromFailure
)
SELECT${' '}
'{{ subscriptionId }}',
'{{ resourceGroupName }}',
'{{ factoryName }}',
'{{ pipelineName }}',
'{{ api-version }}',
'{{ referencePipelineRunId }}',
'{{ isRecovery }}',
'{{ startActivityName }}',
'{{ startFromFailure }}'
RETURNING
runId
;`;
const TOKEN = 'secret-token-0123456789';
const AUTH = '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}';
const SEED_VARS = [
  '--var',
  'subscriptionId=12345678-1234-1234-1234-12345678abc',
  '--var',
  'resourceGroupName=exampleResourceGroup',
  '--var',
  'factoryName=exampleFactoryName',
  '--var',
  'pipelineName=examplePipeline',
  '--var',
  'api-version=',
  '--var',
  'referencePipelineRunId=',
  '--var',
  'isRecovery=',
  '--var',
  'startActivityName=',
  '--var',
  'startFromFailure=',
];

let server: MockServer;
let dir: string;
beforeAll(async () => {
  server = await startMockServer(azureHandlers);
  dir = mkdtempSync(join(tmpdir(), 'skyql-cli-'));
  writeFileSync(join(dir, 'run.sql'), SEED_SQL);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function cli(env: Record<string, string> = { AZURE_TOKEN: TOKEN }, stdin?: string) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env,
    version: '0.0.0-test',
    shell: stdin === undefined ? undefined : () => ({ stdin: streamOf(stdin), interactive: false }),
  };
  return { out, run: (...argv: string[]) => runCli(argv, io) };
}

function streamOf(text: string): PassThrough {
  const stream = new PassThrough();
  stream.end(text);
  return stream;
}

describe('seed 000', () => {
  shared.it("the statement the tests run is seed 000's, verbatim", () => {
    const seed = readFileSync(sharedPath('seeds/000_50fe1e5a14aece02.txt'), 'utf8');
    const start = seed.indexOf('INSERT INTO');
    expect(SEED_SQL).toBe(seed.slice(start, seed.indexOf(';', start) + 1));
  });
});

describe('skyql exec', () => {
  it('runs seed 000 verbatim from a file and prints [{"runId": …}] as JSON', async () => {
    const { out, run } = cli();
    const code = await run('exec', '-f', join(dir, 'run.sql'), ...SEED_VARS, '--output', 'json', '--auth', AUTH, '--endpoint', `azure=${server.origin}`);
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([{ runId: ADF_RUN_ID }]);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /subscriptions/12345678-1234-1234-1234-12345678abc/resourceGroups/exampleResourceGroup/providers/Microsoft.DataFactory/factories/exampleFactoryName/pipelines/examplePipeline/createRun?api-version=2018-06-01',
    ]);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('never prints the token, even with --http-log', async () => {
    const { out, run } = cli();
    await run('exec', '-f', join(dir, 'run.sql'), ...SEED_VARS, '--auth', AUTH, '--endpoint', `azure=${server.origin}`, '--http-log');
    expect(out.stderr).toMatch(/http: POST .*createRun\?api-version=2018-06-01 → 200/);
    expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });

  it('--dry-run prints each request as a JSON line, sends nothing and needs no credentials', async () => {
    const { out, run } = cli({});
    const code = await run('exec', '-f', join(dir, 'run.sql'), ...SEED_VARS, '--dry-run');
    expect(code).toBe(0);
    const line = JSON.parse(out.stdout.trim());
    expect(Object.keys(line)).toEqual(['method', 'url', 'headers', 'body']);
    expect(line.url).toBe(
      'https://management.azure.com/subscriptions/12345678-1234-1234-1234-12345678abc/resourceGroups/exampleResourceGroup/providers/Microsoft.DataFactory/factories/exampleFactoryName/pipelines/examplePipeline/createRun?api-version=2018-06-01',
    );
    expect(server.requests).toEqual([]);
  });

  it('a variable may be named like a member of Object.prototype: --var, --var-file and \\set all give it', async () => {
    const sql = "SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '{{ __proto__ }}' AND resourceGroupName = '{{ constructor }}'";
    const urlOf = (stdout: string) => JSON.parse(stdout.trim().split('\n')[0]).url as string;
    const flags = cli({});
    expect(await flags.run('exec', sql, '--var', '__proto__=from-flag', '--var', 'constructor=rg-flag', '--dry-run')).toBe(0);
    expect(urlOf(flags.out.stdout)).toContain('/subscriptions/from-flag/resourceGroups/rg-flag/');
    writeFileSync(join(dir, 'proto.json'), '{"__proto__": "from-file", "constructor": "rg-file"}');
    const file = cli({});
    expect(await file.run('exec', sql, '--var-file', join(dir, 'proto.json'), '--dry-run')).toBe(0);
    expect(urlOf(file.out.stdout)).toContain('/subscriptions/from-file/resourceGroups/rg-file/');
    const shell = cli({}, `\\set __proto__ from-shell\n\\set constructor rg-shell\n${sql};\n`);
    expect(await shell.run('shell', '--dry-run')).toBe(0);
    expect(urlOf(shell.out.stdout)).toContain('/subscriptions/from-shell/resourceGroups/rg-shell/');
  });

  it('takes variables from --var-file (YAML and JSON), with --var taking precedence', async () => {
    writeFileSync(join(dir, 'vars.yaml'), 'subscriptionId: from-yaml\nresourceGroupName: rg\nfactoryName: factory\n');
    writeFileSync(
      join(dir, 'vars.json'),
      JSON.stringify({ pipelineName: 'p', 'api-version': '', referencePipelineRunId: '', isRecovery: '', startActivityName: '', startFromFailure: '' }),
    );
    const { out, run } = cli({});
    const code = await run(
      'exec',
      '-f',
      join(dir, 'run.sql'),
      '--var-file',
      join(dir, 'vars.yaml'),
      '--var-file',
      join(dir, 'vars.json'),
      '--var',
      'subscriptionId=from-flag',
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout).url).toContain(
      '/subscriptions/from-flag/resourceGroups/rg/providers/Microsoft.DataFactory/factories/factory/pipelines/p/createRun',
    );
  });

  it('prints error[CODE], the line with a caret and a hint, and exits 1', async () => {
    const { out, run } = cli();
    const code = await run(
      'exec',
      "SHOW METHODS IN azure.data_factory.pipelines_runs;\nSELECT * FROM azure.data_factory.pipelines_runs WHERE subscriptionId = 's';",
    );
    expect(code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      [
        'error[PLAN_VERB_UNSUPPORTED]: SELECT not supported for this resource (azure.data_factory.pipelines_runs), use SHOW METHODS to view available operations for the resource',
        '  --> line 2, column 15',
        '  |',
        "2 | SELECT * FROM azure.data_factory.pipelines_runs WHERE subscriptionId = 's';",
        '  |               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  hint: SHOW METHODS IN azure.data_factory.pipelines_runs; it supports INSERT',
        '',
      ].join('\n'),
    );
  });

  it("shows Azure's error code and message with the request id", async () => {
    const { out, run } = cli();
    const code = await run(
      'exec',
      "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT 's', 'rg', 'missingFactory', 'p'",
      '--auth',
      AUTH,
      '--endpoint',
      `azure=${server.origin}`,
    );
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^error\[HTTP_STATUS\]: azure\.data_factory\.pipelines_runs\.create: HTTP 404 ResourceNotFound: The Resource/);
    expect(out.stderr).toMatch(/x-ms-request-id: request-404/);
  });

  it('formats rows as csv, jsonl and table', async () => {
    const sql = "SHOW METHODS IN azure.data_factory.pipeline_runs LIKE 'c%'";
    const csv = cli();
    await csv.run('exec', sql, '-o', 'csv');
    expect(csv.out.stdout.split('\r\n')[0]).toBe('name,accessible_by,required_params,optional_params,description');
    expect(csv.out.stdout).toContain('cancel,exec,');
    const jsonl = cli();
    await jsonl.run('exec', sql, '--output=jsonl');
    expect(JSON.parse(jsonl.out.stdout.split('\n')[0]).name).toBe('cancel');
    const table = cli();
    await table.run('exec', sql);
    expect(table.out.stdout).toMatch(/^\+-+\+/);
    expect(table.out.stdout).toContain('| cancel ');
  });

  it('exits 2 for bad options and prints help for --help', async () => {
    const bad = cli();
    expect(await bad.run('exec', '--output', 'xml', 'SHOW PROVIDERS')).toBe(2);
    expect(bad.out.stderr).toMatch(/^error\[CFG_INVALID\]/);
    const help = cli();
    expect(await help.run('--help')).toBe(0);
    expect(help.out.stdout).toContain('skyql exec -f file.sql');
  });
});

describe('streaming output', () => {
  it("prints a SELECT's rows as pages arrive: jsonl lines, csv with one header", async () => {
    const fleetServer = await startMockServer(fleetHandlers(defaultFleet({ pageSize: 1 })));
    const sql = `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a'`;
    try {
      const jsonl = cli();
      expect(await jsonl.run('exec', sql, '-o', 'jsonl', '--auth', AUTH, '--endpoint', `azure=${fleetServer.origin}`)).toBe(0);
      expect(jsonl.out.stdout).toBe('{"name":"factory-a1"}\n{"name":"factory-a2"}\n{"name":"factory-a3"}\n');
      const csv = cli();
      expect(await csv.run('exec', sql, '-o', 'csv', '--auth', AUTH, '--endpoint', `azure=${fleetServer.origin}`)).toBe(0);
      expect(csv.out.stdout).toBe('name\r\nfactory-a1\r\nfactory-a2\r\nfactory-a3\r\n');
    } finally {
      await fleetServer.close();
    }
  });
});

describe('a stdout that fails', () => {
  const closedPipe = Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE', errno: -32 });

  it('a closed pipe stops the list (no further page is fetched), prints nothing and ends with 141', async () => {
    const fleetServer = await startMockServer(fleetHandlers(defaultFleet({ pageSize: 1 })));
    const sql = `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${FLEET_SUBSCRIPTION}' AND resourceGroupName = 'rg-a'`;
    try {
      let stderr = '';
      let writes = 0;
      const io: CliIo = {
        stdout: {
          write: () => {
            if (++writes > 1) throw closedPipe;
            return true;
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        env: { AZURE_TOKEN: TOKEN },
        version: '0.0.0-test',
      };
      expect(await runCli(['exec', sql, '-o', 'jsonl', '--auth', AUTH, '--endpoint', `azure=${fleetServer.origin}`], io)).toBe(141);
      expect(stderr).toBe('');
      expect(fleetServer.requests).toHaveLength(2);
    } finally {
      await fleetServer.close();
    }
  });

  it('the shell stops at a closed pipe: later statements do not run', async () => {
    let stderr = '';
    let stdoutWrites = 0;
    const code = await runCli(['shell', '-o', 'jsonl'], {
      stdout: {
        write: () => {
          stdoutWrites++;
          throw closedPipe;
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      version: '0.0.0-test',
      shell: () => ({ stdin: streamOf('SHOW PROVIDERS;\nSHOW SERVICES IN nope;\n'), interactive: false }),
    });
    expect(code).toBe(141);
    expect(stdoutWrites).toBe(1);
    expect(stderr).toBe('');
  });
});

describe('skyql shell', () => {
  it('runs multi-line statements at ";", survives errors, and exits 1 when one failed', async () => {
    const input = 'SHOW METHODS IN\n  azure.data_factory.pipelines_runs;\nSHOW METHODS IN azure.nope.x;\nSHOW PROVIDERS;\n';
    const { out, run } = cli({}, input);
    const code = await run('shell', '-o', 'jsonl');
    expect(code).toBe(1);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((row) => row.name)).toEqual(['create', 'azure']);
    expect(out.stderr).toMatch(/error\[REG_NOT_PULLED\]/);
  });
});

describe('the skyql binary', () => {
  it('exits 1 when a statement fails and 0 when all succeed', async () => {
    const bin = new URL('../../../bin/skyql.js', import.meta.url).pathname;
    const run = promisify(execFile);
    const ok = await run(process.execPath, [bin, 'exec', 'SHOW PROVIDERS', '-o', 'json']);
    expect(JSON.parse(ok.stdout)[0].name).toBe('azure');
    const failed = await run(process.execPath, [bin, 'exec', 'SHOW SERVICES IN nope']).then(
      () => undefined,
      (error) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error\[REG_NOT_PULLED\]/);
  });

  it('a dry run on the bundled registry loads neither node:crypto, node:v8, re2js nor the YAML parser, and leaves stdin alone: each costs a start milliseconds', async () => {
    const bin = new URL('../../../bin/skyql.js', import.meta.url).pathname;
    // Preloaded: reports at exit what the start loaded, and whether it asked for process.stdin.
    const hook = String.raw`
      import { createRequire } from 'node:module';
      import { writeSync } from 'node:fs';
      const modules = createRequire(process.execPath).cache;
      const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
      let stdinRead = false;
      Object.defineProperty(process, 'stdin', { configurable: true, get() { stdinRead = true; return stdin.get.call(process); } });
      process.on('exit', () => writeSync(2, '\n' + JSON.stringify({
        crypto: process.moduleLoadList.includes('NativeModule crypto'),
        v8: process.moduleLoadList.includes('NativeModule v8'),
        packages: Object.keys(modules).filter((path) => /node_modules\/(re2js|yaml)\//.test(path)),
        stdinRead,
      })));`;
    const createRun = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
      SELECT '00000000-0000-0000-0000-000000000000', 'my-rg', 'my-factory', 'my-pipeline' RETURNING runId`;
    const preload = `data:text/javascript,${encodeURIComponent(hook)}`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', preload, bin, 'exec', '--dry-run', createRun]);
    expect(stdout).toContain('createRun?api-version=2018-06-01');
    expect(JSON.parse(stderr.trim().split('\n').at(-1)!)).toEqual({ crypto: false, v8: false, packages: [], stdinRead: false });
    // jsonl output that streams no rows (SHOW is answered whole) does not load the stream's V8 tuning either.
    const shown = await promisify(execFile)(process.execPath, ['--import', preload, bin, 'exec', '-o', 'jsonl', 'SHOW PROVIDERS']);
    expect(shown.stdout).toContain('"azure"');
    expect(JSON.parse(shown.stderr.trim().split('\n').at(-1)!)).toMatchObject({ v8: false });
  });
});

describe('skyql registry list | pull', () => {
  const registry = pathToFileURL(fileURLToPath(new URL('../../fixtures/stackql-registry/', import.meta.url))).href;

  it('pulls from --registry into --registry-dir; the pulled provider is then queryable; --dry-run only says so', async () => {
    const registryDir = mkdtempSync(join(tmpdir(), 'skyql-cli-pull-'));
    const dry = cli({});
    expect(await dry.run('registry', 'pull', 'acme', '--registry', `{"url": "${registry}"}`, '--registry-dir', registryDir, '--dry-run')).toBe(0);
    expect(JSON.parse(dry.out.stdout)).toEqual({ registry_pull: { provider: 'acme', version: null, from: registry, into: registryDir } });
    const { out, run } = cli({ XDG_CACHE_HOME: registryDir });
    expect(await run('registry', 'pull', 'acme', '--registry', registry, '--registry-dir', registryDir, '-o', 'json')).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([{ provider: 'acme', version: 'v0.1.0', services: 3, folder: join(registryDir, 'acme', 'v0.1.0') }]);
    const show = cli({ XDG_CACHE_HOME: registryDir });
    expect(await show.run('exec', 'SHOW RESOURCES IN acme.widgets', '--registry-dir', registryDir, '-o', 'json')).toBe(0);
    expect(JSON.parse(show.out.stdout).map((row: { id: string }) => row.id)).toEqual(['acme.widgets.widgets', 'acme.widgets.tags']);
  });

  it('SKYQL_REGISTRY and SKYQL_AUTO_PULL: a statement on a provider not pulled pulls it, with one line on stderr', async () => {
    const registryDir = mkdtempSync(join(tmpdir(), 'skyql-cli-pull-'));
    const { out, run } = cli({ SKYQL_REGISTRY: registry, SKYQL_AUTO_PULL: '1', SKYQL_REGISTRY_DIR: registryDir, XDG_CACHE_HOME: registryDir });
    expect(await run('exec', 'SHOW SERVICES IN acme', '-o', 'json')).toBe(0);
    expect(out.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^note: acme is not pulled: pulling it from file:/)]);
    expect(
      JSON.parse(out.stdout)
        .map((row: { name: string }) => row.name)
        .sort(),
    ).toEqual(['vaults', 'widgets']);
  });

  it('an invalid --registry is a usage error that does not quote it', async () => {
    const { out, run } = cli({});
    expect(await run('registry', 'list', '--registry', '{"url": "http://secret@host"}')).toBe(2);
    expect(out.stderr).toMatch(/error\[CFG_INVALID\]: --registry needs a url that starts with https:\/\/ or file:/);
    expect(out.stderr).not.toContain('secret');
  });
});
