import { describe, expect, it } from 'vitest';
import { HELP, parseArgs } from '../../../src/cli/args.ts';
import { errorOf } from '../../helpers/errors.ts';

describe('bounds options', () => {
  it('--timeout ms bounds the headers, each pause in the body and the whole response', () => {
    expect(parseArgs(['exec', 'SHOW PROVIDERS', '--timeout', '2000']).timeouts).toEqual({ headersMs: 2000, bodyMs: 2000, totalMs: 2000 });
    expect(parseArgs(['exec', 'SHOW PROVIDERS', '--connect-timeout', '500']).timeouts).toEqual({ connectMs: 500 });
    expect(parseArgs(['exec', 'SHOW PROVIDERS']).timeouts).toBeUndefined();
  });

  it('--max-response-bytes n takes a whole number above 0', () => {
    expect(parseArgs(['exec', 'SHOW PROVIDERS', '--max-response-bytes', '1048576']).maxResponseBytes).toBe(1_048_576);
    expect(parseArgs(['exec', 'SHOW PROVIDERS', '--max-response-bytes=10']).maxResponseBytes).toBe(10);
    expect(parseArgs(['exec', 'SHOW PROVIDERS']).maxResponseBytes).toBeUndefined();
    for (const value of ['0', '-1', '1.5', '32MiB', '']) {
      expect(errorOf(() => parseArgs(['exec', 'SHOW PROVIDERS', '--max-response-bytes', value])).code, value).toBe('CFG_INVALID');
    }
  });

  it('--help describes both', () => {
    expect(HELP).toMatch(/--timeout ms +give up when a response, headers and body, has not fully arrived after ms/);
    expect(HELP).toMatch(/--max-response-bytes n/);
  });
});

describe('serve and mcp', () => {
  it('read their options; global options still apply', () => {
    const args = parseArgs([
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '6000',
      '--allow-mutations',
      '--max-connections',
      '5',
      '--statement-timeout',
      '1000',
      '--endpoint',
      'azure=http://127.0.0.1:9',
      '--no-pacing',
    ]);
    expect(args.command).toBe('serve');
    expect(args.server).toMatchObject({
      host: '0.0.0.0',
      port: 6000,
      allowMutations: true,
      readOnly: false,
      maxConnections: 5,
      statementTimeoutMs: 1000,
      passwordEnv: 'SKYQL_SERVER_PASSWORD',
    });
    expect(args.endpoints).toEqual({ azure: 'http://127.0.0.1:9' });
    expect(args.pacing).toBe(false);
    expect(parseArgs(['mcp', '--http', '--port', '7000', '--audit-log', '/tmp/a.jsonl']).server).toMatchObject({
      http: true,
      port: 7000,
      auditLog: '/tmp/a.jsonl',
    });
  });

  it('refuse options of the other command, of no command, and statements', () => {
    expect(() => parseArgs(['exec', 'SHOW PROVIDERS', '--port', '5'])).toThrow(/--port is an option of skyql serve/);
    expect(() => parseArgs(['mcp', '--max-connections', '5'])).toThrow(/not of skyql mcp/);
    expect(() => parseArgs(['serve', '--http'])).toThrow(/--http is an option of skyql mcp, not of skyql serve/);
    expect(() => parseArgs(['serve', 'SELECT 1'])).toThrow(/takes no statement/);
    expect(() => parseArgs(['serve', '--port', '70000'])).toThrow(/0 to 65535/);
  });
});

describe('skyql registry list | pull', () => {
  it('run as the REGISTRY statements they are', () => {
    expect(parseArgs(['registry', 'list'])).toMatchObject({ command: 'exec', sql: 'REGISTRY LIST' });
    expect(parseArgs(['registry', 'list', 'azure'])).toMatchObject({ command: 'exec', sql: 'REGISTRY LIST azure' });
    expect(parseArgs(['registry', 'pull', 'azure', '--dry-run'])).toMatchObject({ command: 'exec', sql: 'REGISTRY PULL azure', dryRun: true });
    expect(parseArgs(['registry', 'pull', 'azure', "v0.1'2"])).toMatchObject({ sql: "REGISTRY PULL azure 'v0.1''2'" });
    expect(parseArgs(['registry', 'pull', 'a b'])).toMatchObject({ sql: 'REGISTRY PULL "a b"' });
    expect(errorOf(() => parseArgs(['registry', 'pull'])).code).toBe('CFG_INVALID');
    expect(parseArgs(['registry', 'add', 'spec.json', '--provider', 'p', '--service', 's']).command).toBe('registry-add');
  });

  it('--registry and --auto-pull', () => {
    expect(parseArgs(['exec', 'SHOW PROVIDERS', '--registry', '{"url": "file:///r"}', '--auto-pull'])).toMatchObject({
      registry: '{"url": "file:///r"}',
      autoPull: true,
    });
    expect(parseArgs(['exec', 'SHOW PROVIDERS']).autoPull).toBe(false);
  });
});
