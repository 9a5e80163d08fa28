// The CLI as a whole process: cold start (time to first output and to exit) and a 1M-row
// --output jsonl stream (peak RSS, rows/s) against a process that writes the mock's JSON as is.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../measure.ts';
import { listRunsSql } from '../contenders/sql.ts';
import { runsFactory } from './lists.ts';
import { CLI, AFTER, cliFlags, type Config, type Scenario } from './types.ts';

/** The README's seed INSERT. */
export const SEED_INSERT = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
  SELECT '00000000-0000-0000-0000-000000000000', 'my-rg', 'my-factory', 'my-pipeline' RETURNING runId`;

/** A bare Node process that prints one line: the floor under any CLI start. */
const NODE_EMPTY = ['-e', 'process.stdout.write("x\\n")'];

/**
 * StackQL's whole Azure provider (269 services) as the user's registry: the 2026 registry in the
 * shared data folder has the layout a pull installs. Absent (a plain clone): those scenarios are left out.
 */
function pulledAzure(): string | undefined {
  const folder = resolve(process.env.SKYQL_SHARED ?? join(ROOT, '..', 'shared'), 'stackql-registry', '2026-08');
  return existsSync(join(folder, 'azure')) ? folder : undefined;
}

/** A first statement on a large pulled service (azure.network, 2.6 MB): loading it is the cost measured. */
const NETWORK_DRY_RUN =
  "SELECT name, location FROM azure.network.virtual_networks WHERE subscription_id = '00000000-0000-0000-0000-000000000000' AND resource_group_name = 'my-rg'";

function pulledScenarios(): Scenario[] {
  const registry = pulledAzure();
  if (!registry) return [];
  const env = { SKYQL_REGISTRY_DIR: registry };
  return [
    {
      name: 'cli-show-services-pulled',
      title: 'CLI: skyql exec "SHOW SERVICES IN azure" with StackQL\'s 269 Azure services pulled',
      latency: 0,
      ops: 1,
      unit: 'start',
      contenders: ['skyql-cli', 'node-empty'],
      targets: { 'skyql-cli': [{ kind: 'first-output', maxMs: 150 }] },
      // A table: a header, a line per service (270 with the pulled ones' and the bundled), borders.
      command: (contender) => (contender === 'node-empty' ? { args: NODE_EMPTY } : { args: ['bin/skyql.js', 'exec', 'SHOW SERVICES IN azure'], env }),
    },
    {
      name: 'cli-first-statement-pulled',
      title: 'CLI: skyql exec --dry-run of a first statement on azure.network (pulled, 2.6 MB); compare cli-dry-run (bundled service)',
      latency: 0,
      ops: 1,
      unit: 'start',
      contenders: ['skyql-cli', 'node-empty'],
      targets: {},
      command: (contender) =>
        contender === 'node-empty' ? { args: NODE_EMPTY } : { args: ['bin/skyql.js', 'exec', '--dry-run', NETWORK_DRY_RUN], env, lines: 1 },
    },
  ];
}

export function cliScenarios(config: Config): Scenario[] {
  const rows = config.quick ? 20_000 : 1_000_000;
  return [
    ...pulledScenarios(),
    {
      name: 'cli-show-services',
      title: 'CLI cold start: skyql exec "SHOW SERVICES IN azure"',
      latency: 0,
      ops: 1,
      unit: 'start',
      contenders: ['skyql-cli', 'node-empty'],
      targets: {},
      command: (contender) => ({ args: contender === 'node-empty' ? NODE_EMPTY : ['bin/skyql.js', 'exec', 'SHOW SERVICES IN azure'] }),
    },
    {
      name: 'cli-dry-run',
      title: 'CLI cold start: skyql exec --dry-run (seed INSERT)',
      latency: 0,
      ops: 1,
      unit: 'start',
      contenders: ['skyql-cli', 'node-empty'],
      targets: { 'skyql-cli': [{ kind: 'first-output', maxMs: 150 }] },
      command: (contender) => ({ args: contender === 'node-empty' ? NODE_EMPTY : ['bin/skyql.js', 'exec', '--dry-run', SEED_INSERT], lines: 1 }),
    },
    {
      name: 'jsonl-stream',
      title: `CLI --output jsonl, ${rows.toLocaleString('en')} pipeline runs (${(rows / 100).toLocaleString('en')} pages)`,
      latency: 0,
      ops: rows / 100,
      unit: 'call',
      rows,
      contenders: ['skyql-cli', 'undici-jsonl', 'raw-stdout'],
      targets: {
        'skyql-cli': [
          { kind: 'rss', maxMb: 150 },
          { kind: 'wall-ratio', vs: 'raw-stdout', max: 2 },
          { kind: 'cpu-ratio', vs: 'undici-jsonl', max: 1.2 },
        ],
      },
      command(contender, { target }) {
        if (contender === 'skyql-cli') {
          const flags = cliFlags(target.origin);
          return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, listRunsSql(target, runsFactory(rows), AFTER)], env: flags.env, lines: rows };
        }
        const mode = contender === 'raw-stdout' ? 'raw' : 'jsonl';
        return {
          args: ['bench/contenders/raw-stdout.ts', mode, target.origin, target.subscriptionId, target.resourceGroup, runsFactory(rows), AFTER],
          lines: mode === 'jsonl' ? rows : undefined,
        };
      },
    },
  ];
}
