// Registry documents, specs and cache files are untrusted input. Each test plays an attacker:
// another local user planting a cache entry, a spec that points skyql at /dev/zero or outside its
// folder, a pattern written to freeze a backtracking engine. None may redirect a token, exhaust
// memory, hang the process or leak a file's content.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, EngineError, Registry, type EngineOptions } from '../../src/index.ts';
import { BUNDLED_REGISTRY } from '../../src/registry/load.ts';
import { knownHashName } from '../../src/registry/known-hashes.ts';
import { azureHandlers } from '../helpers/azure-mock.ts';
import { fakeCredential, tokenFor } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

// A copy of the bundled azure provider in a registry folder of the user's: the bundled registry
// itself is read from the build's JSON (src/registry/bundled.ts), every other document through the cache.
let USER_REGISTRY: string;
let SERVICE_FILE: string;
const GET_RUN =
  "SELECT runId FROM azure.data_factory.pipeline_runs WHERE subscriptionId = 's' AND resourceGroupName = 'rg' AND factoryName = 'factory' AND runId = 'r'";
const ARM_TOKEN = `Bearer ${tokenFor('https://management.azure.com/.default')}`;
/** The entry format an attacker would write: its name and hash are computable from public bytes. */
const ENTRY_FORMAT = 'skyql-registry-cache/3';

let server: MockServer;
let scratch: string;
const planted: string[] = [];

beforeAll(async () => {
  server = await startMockServer(azureHandlers);
  scratch = mkdtempSync(join(tmpdir(), 'skyql-security-'));
  USER_REGISTRY = join(scratch, 'user-registry');
  cpSync(join(BUNDLED_REGISTRY, 'azure'), join(USER_REGISTRY, 'azure'), { recursive: true });
  SERVICE_FILE = join(USER_REGISTRY, 'azure', 'data_factory.yaml');
});
afterAll(async () => {
  await server.close();
  for (const file of planted) rmSync(file, { force: true });
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => server.reset());

/** The bundled data_factory document, rewritten to send requests and tokens elsewhere. */
function forgedDocument(): Record<string, any> {
  const document = parseYaml(readFileSync(SERVICE_FILE, 'utf8'));
  document.server = { url: 'http://127.0.0.2:8443' };
  document.audience = 'http://127.0.0.2/.default';
  for (const resource of Object.values<any>(document.resources)) {
    for (const method of Object.values<any>(resource.methods)) method.path = `/planted${method.path}`;
  }
  return document;
}

function entryName(source: Buffer): string {
  return `${createHash('sha256').update(`${ENTRY_FORMAT}\0`).update(source).digest('hex')}.json`;
}

/** A private cache folder as skyql creates it: `<root>/registry`, both 0700. */
function privateCacheDir(name: string): { root: string; registry: string } {
  const root = join(scratch, name, 'skyql');
  const registry = join(root, 'registry');
  mkdirSync(registry, { recursive: true, mode: 0o700 });
  chmodSync(join(scratch, name), 0o700);
  return { root, registry };
}

async function runGetRun(options: EngineOptions): Promise<{ warnings: string[] }> {
  const warnings: string[] = [];
  const engine = createEngine({
    credential: fakeCredential(),
    endpoints: { azure: server.origin },
    onWarning: (message) => warnings.push(message),
    registryRoots: [USER_REGISTRY],
    ...options,
  });
  try {
    await engine.run(GET_RUN);
  } finally {
    await engine.close();
  }
  return { warnings };
}

function expectTheRealRequest(): void {
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0].path).toMatch(/^\/subscriptions\/s\/resourceGroups\/rg\/providers\/Microsoft\.DataFactory\/factories\/factory\/pipelineruns\/r\?/);
  expect(server.requests[0].headers.authorization).toBe(ARM_TOKEN);
}

describe('planted registry cache entries', () => {
  it('an entry planted at the old shared temp path is not used', async () => {
    // Where skyql used to look: <tmp>/skyql-registry-cache/<sha1 of format, path, size, mtime>.json.
    const stat = statSync(SERVICE_FILE);
    const key = createHash('sha1').update(`1\0${SERVICE_FILE}\0${stat.size}\0${stat.mtimeMs}`).digest('hex');
    const oldFolder = join(tmpdir(), 'skyql-registry-cache');
    mkdirSync(oldFolder, { recursive: true });
    const file = join(oldFolder, `${key}.json`);
    planted.push(file);
    writeFileSync(file, JSON.stringify(forgedDocument()));

    await runGetRun({ env: { XDG_CACHE_HOME: join(scratch, 'xdg-a') } });
    expectTheRealRequest();
  });

  it.each([
    [
      'a forged document recorded under another source hash',
      () => ({ format: ENTRY_FORMAT, sourceSha256: createHash('sha256').update('other').digest('hex'), document: forgedDocument() }),
    ],
    ['a forged document in another format', () => forgedDocument()],
  ])('an entry under the right name in the cache folder is ignored and rewritten: %s', async (_, entry) => {
    const { root, registry } = privateCacheDir(`plant-${Math.random().toString(36).slice(2)}`);
    const source = readFileSync(SERVICE_FILE);
    const file = join(registry, entryName(source));
    writeFileSync(file, JSON.stringify(entry()), { mode: 0o600 });

    await runGetRun({ cacheDir: root });
    expectTheRealRequest();
    const rewritten = JSON.parse(readFileSync(file, 'utf8'));
    expect(rewritten.format).toBe(ENTRY_FORMAT);
    expect(rewritten.sourceSha256).toBe(entryName(source).replace('.json', ''));
    expect(rewritten.document.audience).toBe('https://management.azure.com/.default');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a remembered hash that does not describe the file as it is now is not used (known-hashes.ts)', async () => {
    const { root, registry } = privateCacheDir(`known-${Math.random().toString(36).slice(2)}`);
    // A consistent forged entry, and a remembered hash for the service file that points at it,
    // recorded for the file as it was before a change (another size, other times).
    const forgedHash = createHash('sha256').update('forged').digest('hex');
    writeFileSync(join(registry, `${forgedHash}.json`), JSON.stringify({ format: ENTRY_FORMAT, sourceSha256: forgedHash, document: forgedDocument() }), {
      mode: 0o600,
    });
    const stat = statSync(SERVICE_FILE, { bigint: true });
    const before = `${stat.dev}:${stat.ino}:${stat.size - 1n}:${stat.mtimeNs - 1n}:${stat.ctimeNs - 1n}`;
    const known = { format: 'skyql-known-hash/1', source: SERVICE_FILE, identity: before, document: forgedHash };
    writeFileSync(join(registry, knownHashName(SERVICE_FILE)), JSON.stringify(known), { mode: 0o600 });

    await runGetRun({ cacheDir: root });
    expectTheRealRequest();
  });

  it('a cache folder others can write to is not used at all, and that is reported once', async () => {
    const { root, registry } = privateCacheDir('open');
    const source = readFileSync(SERVICE_FILE);
    // An entry that is consistent in every way: only the folder's permissions give it away.
    const entry = { format: ENTRY_FORMAT, sourceSha256: entryName(source).replace('.json', ''), document: forgedDocument() };
    writeFileSync(join(registry, entryName(source)), JSON.stringify(entry), { mode: 0o666 });
    chmodSync(registry, 0o777);

    const { warnings } = await runGetRun({ cacheDir: root });
    expectTheRealRequest();
    expect(warnings.filter((warning) => warning.includes('registry cache'))).toHaveLength(1);
    expect(warnings[0]).toMatch(/open to other users \(mode 777\)/);
  });

  it('a cache folder owned by someone else is not used', () => {
    const { root, registry: folder } = privateCacheDir('foreign');
    const source = readFileSync(SERVICE_FILE);
    const entry = { format: ENTRY_FORMAT, sourceSha256: entryName(source).replace('.json', ''), document: forgedDocument() };
    writeFileSync(join(folder, entryName(source)), JSON.stringify(entry), { mode: 0o600 });
    const warnings: string[] = [];
    // As if the folder, owned by this process's user, had been created by another one.
    const someoneElse = (statSync(folder).uid + 1) % 65_536;
    const registry = new Registry([USER_REGISTRY], { cacheDir: root, uid: someoneElse, onWarning: (message) => warnings.push(message) });
    const service = registry.service('azure', 'data_factory');
    expect(service?.audience).toBe('https://management.azure.com/.default');
    expect(service?.server.url).toBe('https://management.azure.com');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/belongs to another user/);
  });
});

describe('hostile specs for REGISTRY ADD', () => {
  let folder: string;
  beforeAll(() => {
    folder = join(scratch, 'specs', 'api');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(scratch, 'specs', 'outside.json'),
      JSON.stringify({ definitions: { Pet: { type: 'object', properties: { stolen: { type: 'string' } } } } }),
    );
  });

  /** An OpenAPI 3 document whose Pet schema is the given one (a $ref, say). */
  function spec(pet: object, petIdSchema: object = { type: 'string' }): object {
    const json = (schema: object) => ({ description: 'ok', content: { 'application/json': { schema } } });
    return {
      openapi: '3.0.3',
      info: { title: 'Shop', version: '1' },
      servers: [{ url: server.origin }],
      paths: {
        '/pets/{petId}': {
          get: {
            operationId: 'Pets_Get',
            parameters: [{ name: 'petId', in: 'path', required: true, schema: petIdSchema }],
            responses: { 200: json({ $ref: '#/components/schemas/Pet' }) },
          },
        },
      },
      components: { schemas: { Pet: pet } },
    };
  }

  function writeSpec(name: string, document: object): string {
    const file = join(folder, name);
    writeFileSync(file, JSON.stringify(document));
    return file;
  }

  async function registryAdd(file: string, then = ''): Promise<unknown> {
    // A fresh user registry each time: REGISTRY ADD never replaces a service that exists.
    const engine = createEngine({ userRegistry: mkdtempSync(join(scratch, 'user-registry-')), cacheDir: false, credential: fakeCredential() });
    try {
      return await engine.run(`REGISTRY ADD '${file}' AS shop.pets; ${then}`);
    } catch (error) {
      return error;
    } finally {
      await engine.close();
    }
  }

  const codeOf = (result: unknown) => (result instanceof EngineError ? result.code : 'no error');

  it("REGISTRY ADD '/dev/zero' ends with REG_SPEC_LIMIT", async () => {
    expect(codeOf(await registryAdd('/dev/zero'))).toBe('REG_SPEC_LIMIT');
  });

  it.each([
    ['/dev/zero', { $ref: '/dev/zero' }],
    ['a file outside the spec folder', { $ref: '../outside.json#/definitions/Pet' }],
    ['a file further outside', { $ref: '../../specs/outside.json#/definitions/Pet' }],
    ['a URL', { $ref: 'http://127.0.0.2/pet.json#/Pet' }],
  ])('a $ref to %s ends with REG_SPEC_LIMIT', async (_, pet) => {
    expect(codeOf(await registryAdd(writeSpec('ref.json', spec(pet))))).toBe('REG_SPEC_LIMIT');
  });

  it('a $ref through a symlink that leaves the folder ends with REG_SPEC_LIMIT', async () => {
    symlinkSync(join(scratch, 'specs', 'outside.json'), join(folder, 'link.json'));
    expect(codeOf(await registryAdd(writeSpec('symlinked.json', spec({ $ref: './link.json#/definitions/Pet' }))))).toBe('REG_SPEC_LIMIT');
  });

  it.skipIf(process.platform === 'win32')('a $ref to a FIFO or a folder is refused, not waited on', async () => {
    execFileSync('mkfifo', [join(folder, 'fifo.json')]);
    mkdirSync(join(folder, 'folder.json'));
    expect(codeOf(await registryAdd(writeSpec('fifo-ref.json', spec({ $ref: './fifo.json#/Pet' }))))).toBe('REG_SPEC_LIMIT');
    expect(codeOf(await registryAdd(writeSpec('folder-ref.json', spec({ $ref: './folder.json#/Pet' }))))).toBe('REG_SPEC_LIMIT');
  });

  it('a spec over 16 MiB ends with REG_SPEC_LIMIT', async () => {
    const file = join(folder, 'huge.json');
    writeFileSync(file, JSON.stringify(spec({ type: 'object' })) + ' '.repeat(16 * 1024 * 1024));
    expect(codeOf(await registryAdd(file))).toBe('REG_SPEC_LIMIT');
  });

  it('a spec whose $refs span more than 64 files ends with REG_SPEC_LIMIT', async () => {
    const properties: Record<string, object> = {};
    for (let i = 0; i < 70; i++) {
      writeFileSync(join(folder, `part${i}.json`), JSON.stringify({ type: 'string' }));
      properties[`p${i}`] = { $ref: `./part${i}.json` };
    }
    expect(codeOf(await registryAdd(writeSpec('many.json', spec({ type: 'object', properties }))))).toBe('REG_SPEC_LIMIT');
  });

  it('allOf nested 50,000 deep ends with REG_SPEC_LIMIT, not a stack overflow', async () => {
    const schemas: Record<string, object> = {};
    for (let i = 0; i < 50_000; i++) schemas[`S${i}`] = { allOf: [{ $ref: `#/components/schemas/S${i + 1}` }] };
    const document = spec({ $ref: '#/components/schemas/S0' }) as { components: { schemas: Record<string, object> } };
    Object.assign(document.components.schemas, schemas);
    expect(codeOf(await registryAdd(writeSpec('deep.json', document)))).toBe('REG_SPEC_LIMIT');
  });

  it('a schema whose allOf includes itself is read once, not until the stack overflows', async () => {
    const document = spec({ allOf: [{ $ref: '#/components/schemas/Pet' }], properties: { name: { type: 'string' } } });
    const result = await registryAdd(writeSpec('self.json', document));
    expect(result).not.toBeInstanceOf(Error);
  });

  it("a file that is not JSON is reported by position, without quoting the file's content", async () => {
    const file = join(folder, 'secret.json');
    writeFileSync(file, '{"apiKey": SECRET-API-KEY-0123456789}');
    const error = await registryAdd(file);
    expect(codeOf(error)).toBe('CFG_FILE');
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('a catastrophic pattern answers promptly, and rejects the value before anything is sent', async () => {
    const pet = { type: 'object', properties: { name: { type: 'string' } } };
    const file = writeSpec('redos.json', spec(pet, { type: 'string', pattern: '^(a+)+$' }));
    const error = await registryAdd(file, `SELECT * FROM shop.pets.pets WHERE petId = '${'a'.repeat(64)}!'`);
    expect(codeOf(error)).toBe('PLAN_INVALID_VALUE');
    expect(server.requests).toEqual([]);
  });
});

describe('documents pulled from a StackQL registry are untrusted input too', () => {
  /** A user registry holding one pulled provider, whose one service document is `service`. */
  function pulledRegistry(provider: string, authType: string, service: object): string {
    const root = mkdtempSync(join(scratch, 'pulled-'));
    const folder = join(root, provider, 'v1.0.0');
    mkdirSync(join(folder, 'services'), { recursive: true });
    writeFileSync(
      join(folder, 'provider.yaml'),
      JSON.stringify({
        name: provider,
        config: { auth: { type: authType } },
        providerServices: { things: { service: { $ref: `${provider}/v1.0.0/services/things.yaml` } } },
      }),
    );
    writeFileSync(join(folder, 'services', 'things.yaml'), JSON.stringify(service));
    return root;
  }

  const thingsDocument = (serverUrl: string) => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    servers: [{ url: serverUrl }],
    components: {
      'x-stackQL-resources': {
        things: {
          methods: { list: { operation: { $ref: '#/paths/~1things/get' }, response: { openAPIDocKey: '200' } } },
          sqlVerbs: { select: [{ $ref: '#/components/x-stackQL-resources/things/methods/list' }] },
        },
      },
    },
    paths: {
      '/things': {
        get: {
          operationId: 'Things_List',
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } } },
        },
      },
    },
  });

  it('an Azure document whose server is not an Azure host gets no token: the request carries none', () => {
    const userRegistry = pulledRegistry('azure', 'azure_default', thingsDocument('https://evil.example.net'));
    const engine = createEngine({ userRegistry, cacheDir: false, credential: fakeCredential() });
    const [planned] = engine.plan('SELECT name FROM azure.things.things');
    expect(planned.plan.kind === 'select' && planned.plan.sources[0].requests[0].request.audience).toBe('');
  });

  it('an Azure document cannot claim another auth type to let the Azure token follow its servers', () => {
    const userRegistry = pulledRegistry('azure', 'bearer', thingsDocument('https://evil.example.net'));
    const engine = createEngine({ userRegistry, cacheDir: false, credential: fakeCredential() });
    expect(() => engine.plan('SELECT name FROM azure.things.things')).toThrow(expect.objectContaining({ code: 'AUTH_UNTRUSTED_HOST' }));
    const defaultAuth = createEngine({ userRegistry, cacheDir: false });
    expect(() => defaultAuth.plan('SELECT name FROM azure.things.things')).toThrow(expect.objectContaining({ code: 'AUTH_UNTRUSTED_HOST' }));
  });

  it("a skyql service document cannot name origins for a credential: only a pulled document's servers can", () => {
    const root = mkdtempSync(join(scratch, 'skyql-'));
    mkdirSync(join(root, 'hub'));
    writeFileSync(join(root, 'hub', 'provider.yaml'), 'name: hub\nservices:\n  things:\n    file: things.yaml\n');
    writeFileSync(
      join(root, 'hub', 'things.yaml'),
      [
        'server: { url: "https://evil.example.net" }',
        'audience: https://evil.example.net',
        'credentialOrigins: ["https://evil.example.net"]',
        'resources:',
        '  things:',
        '    methods:',
        '      list:',
        '        { operationId: L, sqlVerb: select, httpMethod: GET, path: /things, params: [], response: { statusCodes: [200], fields: [{ name: name, type: string }] } }',
      ].join('\n'),
    );
    expect(new Registry([root], { cacheDir: false }).service('hub', 'things')!.credentialOrigins).toBeUndefined();
    const engine = createEngine({ userRegistry: root, cacheDir: false, auth: { hub: { type: 'bearer', credentialsenvvar: 'T' } } });
    expect(() => engine.plan('SELECT name FROM hub.things.things')).toThrow(expect.objectContaining({ code: 'AUTH_UNTRUSTED_HOST' }));
  });

  it('a provider.yaml whose service $ref leaves the version folder is not followed', () => {
    const userRegistry = pulledRegistry('azure', 'azure_default', thingsDocument('https://management.azure.com'));
    writeFileSync(
      join(userRegistry, 'azure', 'v1.0.0', 'provider.yaml'),
      JSON.stringify({ name: 'azure', providerServices: { things: { service: { $ref: '../../../../../etc/passwd' } } } }),
    );
    expect(new Registry([userRegistry], { cacheDir: false }).provider('azure')!.services).toEqual({});
  });
});
