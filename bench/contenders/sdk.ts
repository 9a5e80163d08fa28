// @azure/arm-datafactory with a static credential and the mock as endpoint.
//
// allowInsecureConnection: true lets its HTTP client send to http://, but the generated client
// always adds core-rest-pipeline's bearerTokenAuthenticationPolicy, which refuses any URL that is
// not https:// whatever the options say. So the client's own policy instance is wrapped: it sees
// an https:// URL, and the request goes on with the original http:// one. Every policy of the
// SDK's pipeline still runs (token cache, retry, logging, user agent, (de)serialisation).

import { DataFactoryManagementClient } from '@azure/arm-datafactory';
import { Summary, staticCredential, type Api, type FactoryRow, listRunPages, type Target } from './api.ts';

const BEARER_POLICY = 'bearerTokenAuthenticationPolicy';

function client(target: Target, subscriptionId: string): DataFactoryManagementClient {
  const sdk = new DataFactoryManagementClient(staticCredential, subscriptionId, {
    endpoint: target.origin,
    $host: target.origin,
    allowInsecureConnection: true,
  });
  const bearer = sdk.pipeline.getOrderedPolicies().find((policy) => policy.name === BEARER_POLICY);
  if (!bearer) throw new Error(`the SDK pipeline has no ${BEARER_POLICY}`);
  sdk.pipeline.removePolicy({ name: BEARER_POLICY });
  sdk.pipeline.addPolicy({
    name: BEARER_POLICY,
    sendRequest(request, next) {
      const url = request.url;
      request.url = url.replace(/^http:/, 'https:');
      return bearer.sendRequest(request, (signed) => {
        signed.url = url;
        return next(signed);
      });
    },
  });
  return sdk;
}

export function sdkApi(target: Target): Api {
  const clients = new Map<string, DataFactoryManagementClient>();
  const forSubscription = (id: string) => {
    let sdk = clients.get(id);
    if (!sdk) clients.set(id, (sdk = client(target, id)));
    return sdk;
  };
  const main = forSubscription(target.subscriptionId);

  async function queryRuns(factory: string, after: string, onPage: (value: any[]) => void): Promise<void> {
    const filter = { lastUpdatedAfter: new Date(after), lastUpdatedBefore: new Date() };
    let continuationToken: string | undefined;
    do {
      const page = await main.pipelineRuns.queryByFactory(target.resourceGroup, factory, { ...filter, continuationToken });
      onPage(page.value);
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }

  return {
    async getRun(factory, runId) {
      return (await main.pipelineRuns.get(target.resourceGroup, factory, runId)).runId!;
    },
    async createRun(factory, pipeline) {
      return (await main.pipelines.createRun(target.resourceGroup, factory, pipeline)).runId;
    },
    listRuns: (factory, after, onPage) => listRunPages(queryRuns, factory, after, onPage),
    async listFactories(subscriptionId, onPage) {
      let count = 0;
      for await (const page of forSubscription(subscriptionId).factories.list().byPage()) {
        const rows: FactoryRow[] = page.map((f) => ({ id: f.id, name: f.name, location: f.location }));
        count += rows.length;
        onPage(rows);
      }
      return count;
    },
    async listRunsAll(factory, after, onPage) {
      let count = 0;
      await queryRuns(factory, after, (value) => {
        count += value.length;
        onPage(value);
      });
      return count;
    },
    async listFactoriesAll(subscriptionId, onPage) {
      let count = 0;
      for await (const page of forSubscription(subscriptionId).factories.list().byPage()) {
        count += page.length;
        onPage(page);
      }
      return count;
    },
    async runsSummary(factory, after) {
      const summary = new Summary();
      await queryRuns(factory, after, (value) => {
        for (const r of value) summary.add(r.pipelineName, r.invokedBy?.invokedByType, r.durationInMs);
      });
      return summary.rows();
    },
    close: async () => {},
  };
}
