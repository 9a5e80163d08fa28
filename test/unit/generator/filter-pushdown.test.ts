import { describe, expect, it } from 'vitest';
import { parseOverrides } from '../../../src/generator/overrides.ts';
import type { FilterPushdown } from '../../../src/generator/overrides.ts';
import { serviceFromOpenApi } from '../../../src/generator/service.ts';

// A query* operation shaped like ADF's: POST body with a `filters` array, rows under `value`.
const doc = {
  swagger: '2.0',
  info: { title: 'Runs', version: '2024-01-01' },
  host: 'runs.example.com',
  schemes: ['https'],
  paths: {
    '/queryRuns': {
      post: {
        operationId: 'Runs_Query',
        parameters: [
          {
            name: 'filter',
            in: 'body',
            required: true,
            schema: { properties: { filters: { type: 'array', items: { type: 'object' } } } },
          },
        ],
        responses: {
          '200': {
            description: 'ok',
            schema: { properties: { value: { type: 'array', items: { properties: { status: { type: 'string' } } } } } },
          },
        },
      },
    },
  },
};

function generate(filterPushdown: FilterPushdown) {
  return serviceFromOpenApi(doc, {
    provider: 'p',
    service: 'runs',
    overrides: { operations: { Runs_Query: { filterPushdown } } },
  });
}

function overridesWith(filterPushdown: string): string {
  return `provider: { name: p }\nservices:\n  runs:\n    operations:\n      Runs_Query:\n        filterPushdown: ${filterPushdown}\n`;
}

describe('filterPushdown overrides', () => {
  it('is copied into the method', () => {
    const { service, warnings } = generate({ bodyField: 'filters', columns: { status: 'Status' } });
    expect(service.resources.runs.methods.query.filterPushdown).toEqual({ bodyField: 'filters', columns: { status: 'Status' } });
    expect(warnings).toEqual([]);
  });

  it('warns about columns that are not row fields and a bodyField that is not a body param', () => {
    const { warnings } = generate({ bodyField: 'filter', columns: { status: 'Status', runId: 'RunId' } });
    expect(warnings).toEqual([
      "overrides: Runs_Query filterPushdown.bodyField 'filter' is not a body param of the method",
      "overrides: Runs_Query filterPushdown column 'runId' is not a field of the method's response rows",
    ]);
  });

  it('accepts the documented shape', () => {
    const parsed = parseOverrides(overridesWith('{ bodyField: filters, columns: { status: Status } }'), 'o.yaml');
    expect(parsed.services.runs.operations?.Runs_Query.filterPushdown).toEqual({ bodyField: 'filters', columns: { status: 'Status' } });
  });

  it.each([
    ['null', /filterPushdown must be a mapping/],
    ['{ columns: { status: Status } }', /filterPushdown needs bodyField/],
    ['{ bodyField: filters }', /filterPushdown needs columns/],
    ['{ bodyField: filters, columns: {} }', /filterPushdown needs columns/],
    ['{ bodyField: filters, columns: { status: [Status] } }', /column status must map to an operand string/],
    ['{ bodyField: filters, columns: { status: Status }, operator: In }', /unknown key .*filterPushdown\.operator/],
  ])('rejects %s, naming the operation', (value, message) => {
    expect(() => parseOverrides(overridesWith(value), 'o.yaml')).toThrow(message);
    expect(() => parseOverrides(overridesWith(value), 'o.yaml')).toThrow(/Runs_Query/);
  });
});
