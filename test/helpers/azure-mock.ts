// msw handlers for the Azure operations under test, answering with the handwritten responses of
// azure-responses.ts (no file is read: the tests run in a plain clone).

import { http, HttpResponse } from 'msw';
import { adfResponses, synapseResponses, type CannedResponse } from './azure-responses.ts';

/** A canned response as an msw response. */
export function cannedResponse(source: CannedResponse): HttpResponse<any> {
  const init = { status: source.status, headers: { ...source.headers } };
  return source.body === undefined ? new HttpResponse(null, init) : HttpResponse.json(source.body as any, init);
}

const ADF = '*/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.DataFactory/factories/:factoryName';

/** A CloudError the way ARM sends one. */
export function cloudError(status: number, code: string, message: string): HttpResponse<any> {
  return HttpResponse.json({ error: { code, message } }, { status, headers: { 'x-ms-request-id': `request-${status}` } });
}

export const azureHandlers = [
  http.post(`${ADF}/pipelines/:pipelineName/createRun`, ({ params }) =>
    params.factoryName === 'missingFactory'
      ? cloudError(
          404,
          'ResourceNotFound',
          "The Resource 'Microsoft.DataFactory/factories/missingFactory' under resource group 'exampleResourceGroup' was not found.",
        )
      : cannedResponse(adfResponses.createRun()),
  ),
  http.post(`${ADF}/pipelineruns/:runId/cancel`, () => cannedResponse(adfResponses.cancel())),
  http.get(`${ADF}/pipelineruns/:runId`, ({ params }) => cannedResponse(adfResponses.getRun(String(params.runId)))),
  http.post('*/pipelines/:pipelineName/createRun', () => cannedResponse(synapseResponses.createRun())),
  http.post('*/pipelineruns/:runId/cancel', () => cannedResponse(synapseResponses.cancel())),
  http.get('*/pipelineruns/:runId', ({ params }) => cannedResponse(synapseResponses.getRun(String(params.runId)))),
];
