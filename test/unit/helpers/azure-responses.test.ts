// The mock's handwritten Azure responses (test/helpers/azure-responses.ts) are realistic: their
// status and fields are the registry's, always; and, when ../shared is there, they have the
// status, headers and field names and types of the examples in Azure's specs.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../../src/index.ts';
import type { MethodSpec, ValueType } from '../../../src/registry/types.ts';
import { adfResponses, synapseResponses, type CannedResponse } from '../../helpers/azure-responses.ts';
import { needsShared, sharedPath } from '../../helpers/shared.ts';

const shared = needsShared('spec examples');

const ADF_EXAMPLES = 'specs/azure/datafactory/resource-manager/Microsoft.DataFactory/stable/2018-06-01/examples';
const SYNAPSE_EXAMPLES = 'specs/azure/synapse/data-plane/Microsoft.Synapse/stable/2020-12-01/examples';

interface Case {
  readonly name: string;
  readonly response: CannedResponse;
  /** service.resource.method in the bundled registry. */
  readonly method: string;
  /** The spec example of the same operation. */
  readonly example: string;
}

const CASES: readonly Case[] = [
  {
    name: 'ADF createRun',
    response: adfResponses.createRun(),
    method: 'data_factory.pipelines_runs.create',
    example: `${ADF_EXAMPLES}/Pipelines_CreateRun.json`,
  },
  { name: 'ADF cancel', response: adfResponses.cancel(), method: 'data_factory.pipeline_runs.cancel', example: `${ADF_EXAMPLES}/PipelineRuns_Cancel.json` },
  { name: 'ADF get run', response: adfResponses.getRun('r1'), method: 'data_factory.pipeline_runs.get', example: `${ADF_EXAMPLES}/PipelineRuns_Get.json` },
  {
    name: 'Synapse createRun',
    response: synapseResponses.createRun(),
    method: 'synapse_artifacts.pipelines_runs.create',
    example: `${SYNAPSE_EXAMPLES}/Pipelines_CreateRun.json`,
  },
  {
    name: 'Synapse cancel',
    response: synapseResponses.cancel(),
    method: 'synapse_artifacts.pipeline_runs.cancel',
    example: `${SYNAPSE_EXAMPLES}/PipelineRuns_Cancel.json`,
  },
  {
    name: 'Synapse get run',
    response: synapseResponses.getRun('r1'),
    method: 'synapse_artifacts.pipeline_runs.get',
    example: `${SYNAPSE_EXAMPLES}/PipelineRuns_Get.json`,
  },
];

/** Object properties whose keys are data (a run's parameters), not schema: only their value types count. */
const DICTIONARIES = new Set(['parameters']);

function registryMethod(name: string): MethodSpec {
  const [service, resource, method] = name.split('.');
  return new Registry().service('azure', service)!.resources[resource].methods[method];
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Field names and JSON types, nested objects included. */
function shape(value: unknown, path = ''): unknown {
  if (jsonType(value) !== 'object') return jsonType(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (DICTIONARIES.has(path)) return { '(any key)': [...new Set(entries.map(([, item]) => jsonType(item)))] };
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([key, item]) => [key, shape(item, path ? `${path}.${key}` : key)]));
}

const REGISTRY_TYPES: Record<ValueType, string[]> = {
  string: ['string'],
  integer: ['integer'],
  number: ['integer', 'number'],
  boolean: ['boolean'],
  object: ['object'],
  array: ['array'],
};

describe('handwritten Azure responses match the registry', () => {
  for (const { name, response, method: methodName } of CASES) {
    it(name, () => {
      const method = registryMethod(methodName);
      expect(method.response.statusCodes).toContain(response.status);
      expect(response.body === undefined, 'a body exactly when the method returns fields').toBe(method.response.fields.length === 0);
      const body = (response.body ?? {}) as Record<string, unknown>;
      for (const field of method.response.fields) {
        if (field.name in body) expect(REGISTRY_TYPES[field.type], `${field.name}`).toContain(jsonType(body[field.name]));
      }
    });
  }
});

shared.describe('handwritten Azure responses have the shape of the spec examples', () => {
  for (const { name, response, example: file } of CASES) {
    it(name, () => {
      const example = JSON.parse(readFileSync(sharedPath(file), 'utf8')) as { responses: Record<string, { headers?: Record<string, string>; body?: unknown }> };
      const [status, expected] = Object.entries(example.responses)[0];
      expect(response.status).toBe(Number(status));
      const headers = new Set(Object.keys(response.headers).map((header) => header.toLowerCase()));
      expect(
        Object.keys(expected.headers ?? {})
          .map((header) => header.toLowerCase())
          .filter((header) => !headers.has(header)),
        'headers missing',
      ).toEqual([]);
      expect(shape(response.body)).toEqual(shape(expected.body));
    });
  }
});
