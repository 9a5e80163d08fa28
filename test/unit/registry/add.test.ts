// `skyql registry add` / REGISTRY ADD: a small non-Azure OpenAPI 3 document, written here,
// becomes a queryable service in the user's registry, served by a local mock.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineError } from '../../../src/index.ts';
import { runCli } from '../../../src/cli/run.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

const PETS = [
  { id: 1, name: 'rex', tag: 'dog' },
  { id: 2, name: 'tom', tag: 'cat' },
];

function petstore(origin: string) {
  const pet = {
    type: 'object',
    required: ['name'],
    properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string', description: "The pet's name." }, tag: { type: 'string' } },
  };
  return {
    openapi: '3.0.3',
    info: { title: 'Petstore', version: '1.0.0' },
    servers: [{ url: origin }],
    paths: {
      '/pets': {
        get: {
          operationId: 'Pets_List',
          summary: 'List all pets',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } }],
          responses: {
            200: {
              description: 'ok',
              content: {
                'application/json': { schema: { type: 'object', properties: { value: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } } } },
              },
            },
          },
        },
        post: {
          operationId: 'Pets_Create',
          summary: 'Create a pet',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
          responses: { 201: { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
        },
      },
      '/pets/{petId}': {
        get: {
          operationId: 'Pets_Get',
          parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
        },
      },
    },
    components: { schemas: { Pet: pet } },
  };
}

let server: MockServer;
let dir: string;
let registry: string;
beforeAll(async () => {
  server = await startMockServer([
    http.get('*/pets', () => HttpResponse.json({ value: PETS })),
    http.get('*/pets/:petId', ({ params }) => HttpResponse.json(PETS.find((pet) => String(pet.id) === params.petId))),
    http.post('*/pets', async ({ request }) => HttpResponse.json({ id: 3, ...((await request.json()) as object) }, { status: 201 })),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'skyql-add-'));
  registry = join(dir, 'registry');
  writeFileSync(join(dir, 'petstore.json'), JSON.stringify(petstore(server.origin)));
});
afterAll(async () => {
  await server.close();
});

describe('skyql registry add', () => {
  it('writes the service into the user registry and lists its resources', async () => {
    const out = { stdout: '', stderr: '' };
    const io = { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env: {}, version: 'test' };
    const code = await runCli(['registry', 'add', join(dir, 'petstore.json'), '--provider', 'petstore', '--service', 'pets', '--registry-dir', registry], io);
    expect(out.stderr).toMatch(/^added petstore\.pets \(1 resource\)/);
    expect(code).toBe(0);
    expect(out.stdout).toBe('petstore.pets.pets\n');
  });

  it('makes it queryable: SHOW, SELECT with method choice, INSERT with a body, beside the bundled registry', async () => {
    const engine = createEngine({ userRegistry: registry });
    const [methods, list, one, created, services] = await engine.run(`
      SHOW METHODS IN petstore.pets.pets;
      SELECT name, tag FROM petstore.pets.pets WHERE "limit" = 10;
      SELECT name FROM petstore.pets.pets WHERE petId = 2;
      INSERT INTO petstore.pets.pets (name, tag) VALUES ('kit', 'cat') RETURNING id, name;
      SHOW SERVICES IN azure LIKE 'data%';
    `);
    await engine.close();
    expect(methods.rows.map((row) => `${row.name}:${row.accessible_by}:${row.required_params}`)).toEqual([
      'list:select:',
      'create:insert:name',
      'get:select:petId',
    ]);
    expect(list.rows).toEqual([
      { name: 'rex', tag: 'dog' },
      { name: 'tom', tag: 'cat' },
    ]);
    expect(one.rows).toEqual([{ name: 'tom' }]);
    expect(created.rows).toEqual([{ id: 3, name: 'kit' }]);
    expect(services.rows.map((row) => row.name)).toEqual(['data_factory']);
    const posted = server.requests.find((request) => request.method === 'POST');
    expect(JSON.parse(posted!.body)).toEqual({ name: 'kit', tag: 'cat' });
    expect(server.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
  });

  it('REGISTRY ADD does the same from SQL', async () => {
    const engine = createEngine({ userRegistry: join(dir, 'other') });
    const [added, shown] = await engine.run(`REGISTRY ADD '${join(dir, 'petstore.json')}' AS shop.store; SHOW RESOURCES IN shop.store;`);
    await engine.close();
    expect(added.rows.map((row) => row.resource)).toEqual(['shop.store.pets']);
    expect(shown.rows.map((row) => row.id)).toEqual(['shop.store.pets']);
  });

  it('REGISTRY ADD without a user registry is a configuration error', async () => {
    const engine = createEngine({});
    const error = await engine.run(`REGISTRY ADD '${join(dir, 'petstore.json')}' AS shop.store`).catch((caught: unknown) => caught);
    expect((error as EngineError).code).toBe('CFG_INVALID');
  });
});
