// Installing skyql as users do, from the packed tarball: into a fresh project (`npx skyql`) and
// globally into a temporary prefix; run on the pinned Node 24, and on the system's Node when it is
// older (the message says what to install; --version and --help still work). Slow (two installs):
// it runs in `npm run test:all` (SKYQL_TEST_LONG=1). npm installs from its cache (--prefer-offline;
// the `npm ci` that set up this clone filled it) and asks the npm registry only for what the cache
// lacks: a fresh project takes the newest versions the ranges allow.

import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LONG_RUN } from '../helpers/rounds.ts';

if (!LONG_RUN) console.log('test/install/install.test.ts: skipped (npm pack and installs run in npm run test:all)');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PINNED_NODE = join(ROOT, 'node_modules', '.bin', 'node');
const SUB = '00000000-0000-0000-0000-000000000000';
const DRY_RUN = ['exec', '--dry-run', `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** PATH without npm's node_modules/.bin entries: what a user's shell has. */
function userPath(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes(`node_modules${'/'}.bin`) && !entry.includes('node-gyp-bin'))
    .join(delimiter);
}

/** The `node` a user's shell finds first. */
function systemNode(): string | undefined {
  for (const folder of userPath().split(delimiter)) {
    const candidate = join(folder, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

describe.skipIf(!LONG_RUN)('installing the packed tarball', () => {
  let tarball: string;
  const work = mkdtempSync(join(tmpdir(), 'skyql-install-'));
  const withNode = (node: string) => ({ ...process.env, PATH: [dirname(node), userPath()].join(delimiter) });

  beforeAll(async () => {
    // dist/ is built already (npm test builds first): --ignore-scripts keeps prepack from rebuilding
    // it under the tests that run bin/skyql.js meanwhile.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT });
    expect(packed.code, packed.stderr).toBe(0);
    tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz'))!);
  }, 300_000);

  it('into a fresh project: npx skyql runs on Node 24, with no install-script warning', async () => {
    const project = join(work, 'project');
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), '{"name":"uses-skyql","version":"1.0.0","private":true}\n');
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project, env: withNode(PINNED_NODE) });
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/install-scripts|EBADENGINE/);

    const version = await run('npx', ['skyql', '--version'], { cwd: project, env: withNode(PINNED_NODE) });
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^skyql \d+\.\d+\.\d+\n$/), stderr: '' });
    const planned = await run('npx', ['skyql', ...DRY_RUN], { cwd: project, env: withNode(PINNED_NODE) });
    expect(planned.code, planned.stderr).toBe(0);
    expect(JSON.parse(planned.stdout).url).toBe(
      `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.DataFactory/factories?api-version=2018-06-01`,
    );
    expect(planned.stderr).toBe('');
  }, 300_000);

  it('globally into a prefix: skyql runs on Node 24; on an older Node it says what to install, and --version/--help still work', async () => {
    const prefix = join(work, 'prefix');
    const installed = await run('npm', ['install', '--global', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      env: { ...withNode(PINNED_NODE), npm_config_prefix: prefix },
    });
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/install-scripts/);
    const skyql = join(prefix, 'bin', 'skyql');

    const planned = await run(skyql, DRY_RUN, { env: withNode(PINNED_NODE) });
    expect(planned.code, planned.stderr).toBe(0);
    expect(JSON.parse(planned.stdout).method).toBe('GET');

    const older = systemNode();
    const olderVersion = older && (await run(older, ['-p', 'process.versions.node'])).stdout.trim();
    const [major, minor] = (olderVersion ?? '99.0').split('.').map(Number);
    if (!older || major > 22 || (major === 22 && minor >= 19)) {
      console.log(`install test: the system Node (${olderVersion ?? 'none'}) is new enough; the older-Node message is not checked here`);
      return;
    }
    const refused = await run(skyql, DRY_RUN, { env: withNode(older) });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`skyql needs Node.js 22.19 or newer (22 LTS or 24 LTS); this is Node.js ${olderVersion}`);
    expect(refused.stderr).toMatch(/nvm install 24/);
    expect(refused.stderr).not.toMatch(/npx skyql[^-]/);
    expect(await run(skyql, ['--version'], { env: withNode(older) })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^skyql \d/) });
    const help = await run(skyql, ['--help'], { env: withNode(older) });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('skyql exec -f file.sql');
  }, 300_000);

  it('npx skyql in this repository prints no npm warnings', async () => {
    const version = await run('npx', ['skyql', '--version'], { cwd: ROOT, env: { ...process.env, PATH: [dirname(PINNED_NODE), userPath()].join(delimiter) } });
    expect(version.code).toBe(0);
    expect(version.stderr).not.toMatch(/EBADENGINE|npm warn/);
  }, 300_000);
});
