// Flags > environment > config file > defaults, in one pure function; the config file must be
// the user's own; the Azure CLI's default subscription is read from its profile file.

import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args.ts';
import { azureCliDefaultSubscription, defaultSubscriptionOf, parseConfig, readConfigFile } from '../../../src/cli/config-file.ts';
import { runCli } from '../../../src/cli/run.ts';
import { resolveCliSettings } from '../../../src/cli/settings.ts';

const FILE = parseConfig(
  {
    subscription: 'from-file',
    output: 'json',
    pager: '',
    endpoints: { azure: 'https://file.example' },
    registryDir: '~/reg',
    auth: { azure: { type: 'bearer', credentialsenvvar: 'T' } },
  },
  '/home/u/.skyql/config.yaml',
  () => {},
);
const AZ = { id: 'from-az', name: 'My Sub' };

describe('resolveCliSettings', () => {
  it('flags win over the environment, which wins over the file, which wins over the Azure CLI and defaults', () => {
    const flags = parseArgs(['exec', 'x', '--subscription', 'from-flag', '-o', 'csv', '--endpoint', 'azure=https://flag.example', '--registry-dir', '/r']);
    expect(resolveCliSettings(flags, { AZURE_SUBSCRIPTION_ID: 'from-env' }, FILE, AZ)).toMatchObject({
      subscription: { id: 'from-flag', from: '--subscription' },
      output: 'csv',
      endpoints: { azure: 'https://flag.example' },
      registryDir: '/r',
    });
    const plain = parseArgs(['exec', 'x']);
    expect(resolveCliSettings(plain, { AZURE_SUBSCRIPTION_ID: 'from-env', HOME: '/home/u' }, FILE, AZ)).toMatchObject({
      subscription: { id: 'from-env', from: 'AZURE_SUBSCRIPTION_ID' },
      output: 'json',
      pager: undefined,
      endpoints: { azure: 'https://file.example' },
      registryDir: '/home/u/reg',
      auth: { azure: { type: 'bearer', credentialsenvvar: 'T' } },
    });
    expect(resolveCliSettings(plain, {}, FILE, AZ).subscription).toEqual({ id: 'from-file', from: '/home/u/.skyql/config.yaml' });
    expect(resolveCliSettings(plain, {}, undefined, AZ).subscription).toEqual({ id: 'from-az', from: 'the Azure CLI\'s default subscription "My Sub"' });
    expect(resolveCliSettings(plain, { HOME: '/h' }, undefined, undefined)).toMatchObject({
      output: 'table',
      pager: 'less -FRX',
      registryDir: '/h/.skyql/providers',
      subscription: undefined,
    });
  });

  it('the pager: $SKYQL_PAGER, then $PAGER, then the file; empty or --no-pager for none', () => {
    const plain = parseArgs(['shell']);
    expect(resolveCliSettings(plain, { PAGER: 'more', SKYQL_PAGER: 'less -S' }, undefined, undefined).pager).toBe('less -S');
    expect(resolveCliSettings(plain, { PAGER: 'more' }, undefined, undefined).pager).toBe('more');
    expect(resolveCliSettings(plain, { PAGER: '' }, undefined, undefined).pager).toBeUndefined();
    expect(resolveCliSettings(parseArgs(['shell', '--no-pager']), {}, undefined, undefined).pager).toBeUndefined();
  });
});

describe('the config file', () => {
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyql-home-'));
    mkdirSync(join(dir, '.skyql'));
    return dir;
  };

  it('is optional at its default place, but a file named by $SKYQL_CONFIG must exist', async () => {
    const dir = home();
    expect(await readConfigFile({ HOME: dir }, undefined, () => {})).toBeUndefined();
    await expect(readConfigFile({ SKYQL_CONFIG: join(dir, 'nope.yaml') }, undefined, () => {})).rejects.toMatchObject({ code: 'CFG_FILE' });
  });

  it('is refused when others can write it, or another user owns it; unknown keys are warned about', async () => {
    const dir = home();
    const file = join(dir, '.skyql', 'config.yaml');
    writeFileSync(file, 'subscription: s1\ncolour: blue\n');
    chmodSync(file, 0o666);
    await expect(readConfigFile({ HOME: dir }, undefined, () => {})).rejects.toMatchObject({
      code: 'CFG_FILE',
      message: expect.stringContaining('can be written by others'),
    });
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    expect(await readConfigFile({ HOME: dir }, undefined, (message) => warnings.push(message))).toMatchObject({ subscription: 's1' });
    expect(warnings).toEqual([expect.stringContaining('unknown setting "colour"')]);
    await expect(readConfigFile({ HOME: dir }, 4242, () => {})).rejects.toMatchObject({ message: expect.stringContaining('belongs to another user') });
  });

  it('checks each setting and never quotes a value', () => {
    expect(() => parseConfig({ output: 'xml' }, 'f', () => {})).toThrow(/output must be one of/);
    expect(() => parseConfig({ endpoints: ['secret-ish'] }, 'f', () => {})).toThrow(/endpoints must be a mapping/);
    expect(() => parseConfig({ auth: { azure: { type: 'password', secret: 'p4ss' } } }, 'f', () => {})).toThrow(/^(?!.*p4ss)/);
  });

  it('the CLI uses it: default output and subscription (said once on stderr)', async () => {
    const dir = home();
    writeFileSync(join(dir, '.skyql', 'config.yaml'), 'output: jsonl\nsubscription: 11111111-2222-3333-4444-555555555555\n');
    let stdout = '';
    let stderr = '';
    const code = await runCli(['exec', '--dry-run', 'SELECT name FROM azure.resources.resource_groups'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { HOME: dir },
      version: 't',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).url).toBe(
      'https://management.azure.com/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups?api-version=2022-09-01',
    );
    expect(stderr).toBe(
      `note: subscriptionId not given: using 11111111-2222-3333-4444-555555555555 (from ${join(dir, '.skyql', 'config.yaml')}); give subscriptionId in the statement for another\n`,
    );
  });
});

describe("the Azure CLI's default subscription", () => {
  it('is the isDefault entry of azureProfile.json (written with a byte order mark), read without running az', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyql-az-'));
    mkdirSync(join(dir, '.azure'));
    writeFileSync(
      join(dir, '.azure', 'azureProfile.json'),
      `\ufeff${JSON.stringify({
        installationId: 'x',
        subscriptions: [
          { id: 'other', name: 'Other', isDefault: false },
          { id: 'chosen', name: 'Chosen', isDefault: true },
        ],
      })}`,
    );
    expect(azureCliDefaultSubscription({ HOME: dir })).toEqual({ id: 'chosen', name: 'Chosen' });
    expect(azureCliDefaultSubscription({ HOME: dir, AZURE_CONFIG_DIR: join(dir, 'none') })).toBeUndefined();
    expect(defaultSubscriptionOf('{"subscriptions":[]}')).toBeUndefined();
  });
});
