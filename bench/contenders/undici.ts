// The floor: undici's request() over one keep-alive Agent, URLs built by hand, JSON.parse of each
// body, the same projection as the SQL. Nothing a real client could skip.

import { Agent, request } from 'undici';
import { Summary, type Api, type FactoryRow, listRunPages, type Target } from './api.ts';

const API_VERSION = 'api-version=2018-06-01';

export function undiciApi(target: Target): Api {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const headers = { accept: 'application/json', authorization: 'Bearer x' };
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  const factoryUrl = (factory: string) =>
    `${target.origin}/subscriptions/${encodeURIComponent(target.subscriptionId)}/resourceGroups/${encodeURIComponent(target.resourceGroup)}/providers/Microsoft.DataFactory/factories/${encodeURIComponent(factory)}`;

  async function send(url: string, method: 'GET' | 'POST', body?: string): Promise<any> {
    const response = await request(url, { method, headers: body === undefined ? headers : postHeaders, body, dispatcher: agent });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode} ${method} ${url}: ${text.slice(0, 200)}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  async function queryRuns(factory: string, after: string, onPage: (value: any[]) => void): Promise<void> {
    const url = `${factoryUrl(factory)}/queryPipelineRuns?${API_VERSION}`;
    const filter = { lastUpdatedAfter: after, lastUpdatedBefore: new Date().toISOString() };
    let token: string | undefined;
    do {
      const page = await send(url, 'POST', JSON.stringify(token ? { ...filter, continuationToken: token } : filter));
      onPage(page.value);
      token = page.continuationToken;
    } while (token);
  }

  return {
    async createRun(factory, pipeline) {
      const body = await send(`${factoryUrl(factory)}/pipelines/${encodeURIComponent(pipeline)}/createRun?${API_VERSION}`, 'POST');
      return body.runId;
    },
    async getRun(factory, runId) {
      const body = await send(`${factoryUrl(factory)}/pipelineruns/${encodeURIComponent(runId)}?${API_VERSION}`, 'GET');
      return body.runId;
    },
    listRuns: (factory, after, onPage) => listRunPages(queryRuns, factory, after, onPage),
    async listFactories(subscriptionId, onPage) {
      let url: string | undefined =
        `${target.origin}/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.DataFactory/factories?${API_VERSION}`;
      let count = 0;
      while (url) {
        const page: any = await send(url, 'GET');
        const rows: FactoryRow[] = page.value.map((f: any) => ({ id: f.id, name: f.name, location: f.location }));
        count += rows.length;
        onPage(rows);
        url = page.nextLink;
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
      let url: string | undefined =
        `${target.origin}/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.DataFactory/factories?${API_VERSION}`;
      let count = 0;
      while (url) {
        const page: any = await send(url, 'GET');
        count += page.value.length;
        onPage(page.value);
        url = page.nextLink;
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
    close: () => agent.close(),
  };
}
