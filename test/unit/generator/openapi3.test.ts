import { describe, expect, it } from 'vitest';
import { lintService } from '../../../src/generator/lint.ts';
import { serviceFromOpenApi } from '../../../src/generator/service.ts';

const petStore = {
  openapi: '3.0.3',
  info: { title: 'Pet store', version: '1.2.0' },
  servers: [{ url: 'https://{region}.pets.example.com/v1', variables: { region: { default: 'eu', enum: ['eu', 'us'] } } }],
  paths: {
    '/stores/{storeId}/pets': {
      parameters: [{ name: 'storeId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]+$' } }],
      get: {
        operationId: 'Pets_List',
        parameters: [{ name: 'limit', in: 'query', description: 'Page size.', schema: { type: 'integer', maximum: 100 } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/PetList' } } } } },
      },
      post: {
        operationId: 'Pets_Create',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
        responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
      },
    },
    '/stores/{storeId}/pets/{petId}/labels': {
      put: {
        operationId: 'Pets_SetLabels',
        parameters: [
          { name: 'storeId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'petId', in: 'path', required: true, schema: { type: 'integer' } },
        ],
        requestBody: { content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'string' } } } } },
        responses: { '204': { description: 'done' } },
      },
    },
  },
  components: {
    schemas: {
      Pet: {
        type: 'object',
        required: ['name'],
        properties: {
          id: { type: 'string', readOnly: true },
          name: { type: 'string', description: 'The pet name.' },
          tags: { type: 'array', items: { type: 'string' } },
          born: { type: 'string', format: 'date' },
        },
      },
      NewPet: { allOf: [{ $ref: '#/components/schemas/Pet' }], properties: { ownerId: { type: 'string' } }, required: ['ownerId'] },
      PetList: { type: 'object', properties: { value: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } } },
    },
  },
};

describe('serviceFromOpenApi with OpenAPI 3', () => {
  const { service, warnings } = serviceFromOpenApi(petStore, {
    provider: 'acme',
    service: 'pets',
    file: 'pets.json',
    overrides: { audience: 'api://pets/.default' },
  });
  const pets = service.resources.pets.methods;

  it('takes the server from servers[0], variables as optional host params', () => {
    expect(service).toMatchObject({ id: 'acme.pets', title: 'Pet store', server: { url: 'https://{region}.pets.example.com/v1' } });
    expect(pets.list.params[0]).toEqual({ name: 'region', in: 'host', required: false, type: 'string', enum: ['eu', 'us'], default: 'eu' });
  });

  it('reads param types from parameter schemas and lists from components refs', () => {
    expect(pets.list.sqlVerb).toBe('select');
    expect(pets.list.params.slice(1)).toEqual([
      { name: 'storeId', in: 'path', required: true, type: 'string', pattern: '^[a-z]+$', aliases: ['store_id'] },
      { name: 'limit', in: 'query', required: false, type: 'integer', description: 'Page size.', maximum: 100 },
    ]);
    expect(pets.list.response).toEqual({
      statusCodes: [200],
      itemsPath: 'value',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'name', type: 'string', description: 'The pet name.' },
        { name: 'tags', type: 'array' },
        { name: 'born', type: 'string', format: 'date' },
      ],
    });
  });

  it('turns a requestBody with properties into body params (allOf merged, readOnly dropped)', () => {
    expect(pets.create.sqlVerb).toBe('insert');
    const body = pets.create.params.filter((param) => param.in === 'body');
    expect(body.map((param) => [param.name, param.required, param.type])).toEqual([
      ['name', true, 'string'],
      ['tags', false, 'array'],
      ['born', false, 'string'],
      ['ownerId', true, 'string'],
    ]);
  });

  it('turns a map-like requestBody into one payload param, and PUT into insert + replace', () => {
    const labels = service.resources.pets_labels.methods;
    expect(Object.keys(labels)).toEqual(['set', 'replace_set']);
    expect(labels.set.params.at(-1)).toEqual({ name: 'body', in: 'payload', required: false, type: 'object' });
    expect(labels.replace_set.sqlVerb).toBe('replace');
    expect(labels.set.response).toEqual({ statusCodes: [204], fields: [] });
  });

  it('passes the lint without warnings', () => {
    expect(lintService(service)).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
