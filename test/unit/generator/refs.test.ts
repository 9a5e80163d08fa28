import { describe, expect, it } from 'vitest';
import { serviceFromOpenApi } from '../../../src/generator/service.ts';

// A Swagger 2 document whose refs go into a sibling file, into a missing file, and into a
// definition the sibling does not have (fixed by a redirect).
const main = {
  swagger: '2.0',
  info: { title: 'Things', version: '2024-01-01' },
  host: 'things.example.com',
  schemes: ['https'],
  paths: {
    '/things': {
      get: {
        operationId: 'Things_List',
        parameters: [{ $ref: 'common/types.json#/parameters/ApiVersion' }],
        responses: {
          '200': { description: 'ok', schema: { $ref: '#/definitions/ThingList' } },
          default: { description: 'error', schema: { $ref: 'common/types.json#/definitions/Missing' } },
        },
      },
    },
  },
  definitions: {
    ThingList: { properties: { value: { type: 'array', items: { $ref: 'common/types.json#/definitions/Thing' } } } },
  },
};
const common = {
  parameters: { ApiVersion: { name: 'api-version', in: 'query', required: true, type: 'string' } },
  definitions: {
    Thing: {
      allOf: [{ $ref: '#/definitions/Base' }],
      properties: { extra: { $ref: '../absent/Extra.json#/definitions/Extra', description: 'Lives elsewhere.' } },
    },
    Base: { properties: { id: { type: 'string', readOnly: true } } },
    Error: { properties: { code: { type: 'string' } } },
  },
};
const documents: Record<string, unknown> = { 'specs/common/types.json': common };

function generate(redirects?: Record<string, string>) {
  return serviceFromOpenApi(main, {
    provider: 'p',
    service: 'things',
    file: 'specs/main.json',
    resolveRef: (file) => documents[file],
    overrides: redirects ? { refRedirects: redirects } : {},
  });
}

describe('$ref resolution', () => {
  it('resolves refs relative to the file that holds them, through allOf', () => {
    const list = generate().service.resources.things.methods.list;
    expect(list.params).toEqual([{ name: 'api-version', in: 'query', required: false, type: 'string', default: '2024-01-01', aliases: ['api_version'] }]);
    expect(list.response.fields).toEqual([
      { name: 'id', type: 'string' },
      { name: 'extra', type: 'object', description: 'Lives elsewhere.' },
    ]);
  });

  it('warns once per unresolved target, naming file and pointer, and continues', () => {
    const { warnings } = generate();
    expect(warnings).toEqual([
      'unresolved $ref specs/common/types.json#/definitions/Missing (no such JSON pointer in the file), ' +
        'referenced from specs/main.json#/paths/~1things/get/responses/default/schema; using an opaque object',
      'unresolved $ref specs/absent/Extra.json#/definitions/Extra (file not found), ' +
        'referenced from specs/common/types.json#/definitions/Thing/properties/extra; using an opaque object',
    ]);
  });

  it('follows redirects from the overrides', () => {
    const { warnings } = generate({ 'specs/common/types.json#/definitions/Missing': 'specs/common/types.json#/definitions/Error' });
    expect(warnings).toHaveLength(1);
  });
});
