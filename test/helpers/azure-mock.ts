// msw handlers for the Azure operations under test, answering with the spec's own examples.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';

export const SPECS = fileURLToPath(new URL('../../../shared/specs/azure/', import.meta.url));
const ADF_EXAMPLES = `${SPECS}datafactory/resource-manager/Microsoft.DataFactory/stable/2018-06-01/examples/`;
const SYNAPSE_EXAMPLES = `${SPECS}synapse/data-plane/Microsoft.Synapse/stable/2020-12-01/examples/`;

interface Example {
  readonly parameters: Record<string, unknown>;
  readonly responses: Record<string, { headers?: Record<string, string>; body?: unknown }>;
}

export function example(file: string): Example {
  return JSON.parse(readFileSync(file, 'utf8')) as Example;
}

export const adfExample = (name: string) => example(`${ADF_EXAMPLES}${name}.json`);
export const synapseExample = (name: string) => example(`${SYNAPSE_EXAMPLES}${name}.json`);

/** The example's first response as an msw response. */
export function exampleResponse(source: Example): HttpResponse<any> {
  const [status, response] = Object.entries(source.responses)[0];
  const headers = { ...response.headers };
  if (response.body === undefined) return new HttpResponse(null, { status: Number(status), headers });
  return HttpResponse.json(response.body as any, { status: Number(status), headers });
}

const ADF = '*/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.DataFactory/factories/:factoryName';

/** A CloudError the way ARM sends one. */
export function cloudError(status: number, code: string, message: string): HttpResponse<any> {
  return HttpResponse.json({ error: { code, message } }, { status, headers: { 'x-ms-request-id': `request-${status}` } });
}

export const azureHandlers = [
  http.post(`${ADF}/pipelines/:pipelineName/createRun`, ({ params }) => params.factoryName === 'missingFactory'
    ? cloudError(404, 'ResourceNotFound', "The Resource 'Microsoft.DataFactory/factories/missingFactory' under resource group 'exampleResourceGroup' was not found.")
    : exampleResponse(adfExample('Pipelines_CreateRun'))),
  http.post(`${ADF}/pipelineruns/:runId/cancel`, () => exampleResponse(adfExample('PipelineRuns_Cancel'))),
  http.get(`${ADF}/pipelineruns/:runId`, () => exampleResponse(adfExample('PipelineRuns_Get'))),
  http.post('*/pipelines/:pipelineName/createRun', () => exampleResponse(synapseExample('Pipelines_CreateRun'))),
  http.post('*/pipelineruns/:runId/cancel', () => exampleResponse(synapseExample('PipelineRuns_Cancel'))),
  http.get('*/pipelineruns/:runId', () => exampleResponse(synapseExample('PipelineRuns_Get'))),
];
