// Clients as a user runs them: Debian's psql as a subprocess (plain, with a password, with client
// certificates), and node-postgres over TLS with a client certificate. Each part skips with one
// line when psql or openssl is not installed.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET_SUBSCRIPTION as SUB } from '../helpers/azure-fleet.ts';
import { startHarness, type Harness } from './helpers.ts';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const PSQL = has('psql');
const OPENSSL = has('openssl');
if (!PSQL) console.log('test/server/clients.test.ts: psql is not installed (apt-get install postgresql-client): its tests skip');
if (!OPENSSL) console.log('test/server/clients.test.ts: openssl is not installed: the TLS tests skip');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface PsqlRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function psql(port: number, args: readonly string[], env: Record<string, string> = {}): Promise<PsqlRun> {
  return new Promise((resolve) => {
    // Asynchronous: the server answering it runs in this process.
    const child = spawn('psql', ['-X', '-h', '127.0.0.1', '-p', String(port), '-U', 'skyql', '-d', 'skyql', ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PGCONNECT_TIMEOUT: '10', HOME: tmpdir(), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (status: number | null) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!PSQL)('psql', () => {
  it("prints rows of a SELECT, SHOW and DESCRIBE; errors carry skyql's code and hint", async () => {
    harness = await startHarness();
    const port = harness.server.port;
    const rows = await psql(port, [
      '-A',
      '-t',
      '-F',
      '|',
      '-c',
      `SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' ORDER BY name`,
    ]);
    expect(rows.stderr).toBe('');
    expect(rows.stdout.trim().split('\n')).toEqual([
      'factory-a1|East US',
      'factory-a2|East US',
      'factory-a3|East US',
      'factory-b1|West Europe',
      'factory-b2|West Europe',
      'factory-c1|East US 2',
      'factory-c2|East US 2',
      'factory-c3|East US 2',
    ]);
    const show = await psql(port, ['-c', 'SHOW RESOURCES IN azure.data_factory']);
    expect(show.stdout).toMatch(/pipeline_runs/);
    const error = await psql(port, ['-c', 'SELECT FROM WHERE']);
    expect(error.status).not.toBe(0);
    expect(error.stderr).toMatch(/ERROR: {2}skyql\[SQL_SYNTAX\]: /);
    expect(error.stderr).toMatch(/HINT: {2}check the statement/);
    const catalog = await psql(port, ['-c', '\\d']);
    expect(catalog.stderr).toMatch(/Did not find any relations/);
  });

  it('logs in with SCRAM-SHA-256 (PGPASSWORD); a wrong password is refused', async () => {
    harness = await startHarness({ server: { password: 's3cret pass' } });
    const port = harness.server.port;
    const ok = await psql(port, ['-A', '-t', '-c', 'SELECT 1'], { PGPASSWORD: 's3cret pass' });
    expect(ok).toMatchObject({ status: 0, stdout: '1\n' });
    const wrong = await psql(port, ['-c', 'SELECT 1'], { PGPASSWORD: 'nope' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/password authentication failed for user "skyql"/);
  });
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate for the user skyql. */
function certificates(): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey' | 'otherCert' | 'otherKey', string> {
  const dir = mkdtempSync(join(tmpdir(), 'skyql-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=skyql-test-ca', '-days', '2');
  const signed = (name: string, subject: string, extension?: string) => {
    openssl('req', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    if (extension) writeFileSync(file(`${name}.ext`), extension);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      ...(extension ? ['-extfile', `${name}.ext`] : []),
    );
    chmodSync(file(`${name}.key`), 0o600);
  };
  signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  signed('client', '/CN=skyql');
  signed('other', '/CN=mallory');
  return {
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCert: file('other.crt'),
    otherKey: file('other.key'),
  };
}

describe.skipIf(!OPENSSL)('TLS client certificates', () => {
  it('node-postgres logs in with a certificate whose CN is the user; without one, or for another user, it is refused', async () => {
    const files = certificates();
    harness = await startHarness({ server: { tls: { cert: readFileSync(files.serverCert), key: readFileSync(files.serverKey), ca: readFileSync(files.ca) } } });
    const ssl = (cert: string, key: string) => ({ ca: readFileSync(files.ca, 'utf8'), cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') });
    const c = await harness.client({ ssl: ssl(files.clientCert, files.clientKey) });
    expect((await c.query('SHOW PROVIDERS')).rows.map((row) => row.name)).toEqual(['azure']);
    await expect(harness.client({})).rejects.toMatchObject({ code: '28000' });
    await expect(harness.client({ ssl: ssl(files.otherCert, files.otherKey) })).rejects.toMatchObject({ code: '28000' });
  });

  it.skipIf(!PSQL)('psql with sslmode=verify-full and a client certificate', async () => {
    const files = certificates();
    harness = await startHarness({ server: { tls: { cert: readFileSync(files.serverCert), key: readFileSync(files.serverKey), ca: readFileSync(files.ca) } } });
    const run = await psql(harness.server.port, ['-A', '-t', '-c', 'SHOW PROVIDERS'], {
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: files.ca,
      PGSSLCERT: files.clientCert,
      PGSSLKEY: files.clientKey,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^azure\|/);
  });
});
