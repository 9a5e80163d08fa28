// The jsonl stream's baselines, each a process of its own like the CLI:
//   raw    writes every queryPipelineRuns body to stdout as received (finding only the token)
//   jsonl  parses each page and writes the same five columns as the skyql query, one JSON line per row
// usage: node raw-stdout.ts raw|jsonl <origin> <subscriptionId> <resourceGroup> <factory> <lastUpdatedAfter>

import { toRunRow } from './api.ts';
import { Agent, request } from 'undici';

const [mode, origin, subscriptionId, resourceGroup, factory, after] = process.argv.slice(2);
const agent = new Agent({ keepAliveTimeout: 30_000 });
const url = `${origin}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.DataFactory/factories/${factory}/queryPipelineRuns?api-version=2018-06-01`;
const headers = { accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer x' };
const filter = { lastUpdatedAfter: after, lastUpdatedBefore: new Date().toISOString() };
const TOKEN = '"continuationToken":"';

const write = (text: string) =>
  new Promise<void>((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve);
  });

let token: string | undefined;
do {
  const response = await request(url, {
    method: 'POST',
    headers,
    dispatcher: agent,
    body: JSON.stringify(token ? { ...filter, continuationToken: token } : filter),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
  if (mode === 'raw') {
    await write(text);
    const at = text.lastIndexOf(TOKEN);
    token = at === -1 ? undefined : text.slice(at + TOKEN.length, text.indexOf('"', at + TOKEN.length));
  } else {
    const page = JSON.parse(text) as { value: Record<string, unknown>[]; continuationToken?: string };
    let lines = '';
    for (const r of page.value) lines += `${JSON.stringify(toRunRow(r))}\n`;
    await write(lines);
    token = page.continuationToken;
  }
} while (token);
await agent.close();
