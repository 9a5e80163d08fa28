import { describe, expect, it } from 'vitest';
import { admitsEmpty } from '../../../src/generator/params.ts';
import { serviceFromOpenApi } from '../../../src/generator/service.ts';

const spec = {
  swagger: '2.0',
  info: { title: 'Sessions', version: '2020-01-01' },
  host: 'management.example.com',
  schemes: ['https'],
  paths: {
    '/sessions/{name}/create': {
      post: {
        operationId: 'Sessions_Create',
        parameters: [
          { name: 'name', in: 'path', required: true, type: 'string', pattern: '^.*$' },
          { name: 'mode', in: 'query', type: 'string', pattern: '^[a-z]*$' },
          { name: 'request', in: 'body', required: true, schema: { $ref: '#/definitions/SessionRequest' } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/sessions/{name}/run': {
      post: {
        operationId: 'Sessions_Run',
        parameters: [
          { name: 'name', in: 'path', required: true, type: 'string' },
          { name: 'parameters', in: 'body', schema: { type: 'object', additionalProperties: { type: 'string' } } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/sessions/{name}/stop': {
      post: {
        operationId: 'Sessions_Stop',
        parameters: [{ name: 'name', in: 'path', required: true, type: 'string' }],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  definitions: {
    SessionRequest: {
      type: 'object',
      properties: {
        scope: { type: 'string', enum: ['', 'all'] },
        label: { type: 'string', pattern: '^[a-z]*$', minLength: 1 },
        note: { type: 'string' },
      },
    },
  },
};

describe('requestBody and emptyIsValue from the spec', () => {
  const { service } = serviceFromOpenApi(spec, {
    provider: 'acme',
    service: 'sessions',
    file: 'sessions.json',
    overrides: { operations: { Sessions_Create: { params: { note: { emptyIsValue: true } } } } },
  });
  const methods = Object.fromEntries(
    Object.values(service.resources)
      .flatMap((resource) => Object.values(resource.methods))
      .map((method) => [method.operationId, method]),
  );
  const param = (operationId: string, name: string) => methods[operationId].params.find((candidate) => candidate.name === name)!;

  it('a required body param is requestBody: required, even when none of its properties is required', () => {
    expect(methods.Sessions_Create.requestBody).toBe('required');
    expect(methods.Sessions_Create.params.filter((candidate) => candidate.in === 'body').every((candidate) => !candidate.required)).toBe(true);
  });

  it('an optional body is requestBody: optional; no body param, no requestBody', () => {
    expect(methods.Sessions_Run.requestBody).toBe('optional');
    expect(methods.Sessions_Stop.requestBody).toBeUndefined();
  });

  it("emptyIsValue where the schema admits '' (an enum listing it, a pattern matching it), never for path params", () => {
    expect(param('Sessions_Create', 'scope').emptyIsValue).toBe(true);
    expect(param('Sessions_Create', 'mode').emptyIsValue).toBe(true);
    expect(param('Sessions_Create', 'label').emptyIsValue).toBeUndefined();
    expect(param('Sessions_Create', 'name').emptyIsValue).toBeUndefined();
  });

  it('an override sets emptyIsValue where the spec says it only in words', () => {
    expect(param('Sessions_Create', 'note').emptyIsValue).toBe(true);
  });
});

describe('admitsEmpty', () => {
  it("is true for an enum listing '' or a pattern matching '' without a minLength", () => {
    expect(admitsEmpty({ type: 'string', readOnly: false, enum: ['', 'x'] })).toBe(true);
    expect(admitsEmpty({ type: 'string', readOnly: false, pattern: '^[a-z]*$' })).toBe(true);
    expect(admitsEmpty({ type: 'string', readOnly: false, pattern: '^[a-z]*$', minLength: 1 })).toBe(false);
    expect(admitsEmpty({ type: 'string', readOnly: false, pattern: '^[a-z]+$' })).toBe(false);
    expect(admitsEmpty({ type: 'string', readOnly: false })).toBe(false);
    expect(admitsEmpty({ type: 'string', readOnly: false, pattern: '(' })).toBe(false);
  });
});
