// GROUP BY + json_extract over fetched rows: skyql runs it in SQLite; undici and the SDK
// aggregate in plain JavaScript (the floor for "fetch, then summarise").

import { summarySql } from '../contenders/sql.ts';
import { runsFactory } from './lists.ts';
import { CLI, AFTER, cliFlags, type Config, type Scenario } from './types.ts';

/** The mock's runs cycle 5 pipelines × 2 trigger types. */
const GROUPS = 10;

export function groupByScenarios(config: Config): Scenario[] {
  const total = config.quick ? 5_000 : 100_000;
  return [
    {
      name: 'group-by',
      title: `GROUP BY pipelineName, json_extract(invokedBy, '$.invokedByType') over ${total.toLocaleString('en')} runs`,
      latency: 0,
      ops: total / 100,
      unit: 'call',
      rows: total,
      expect: GROUPS,
      contenders: ['skyql', 'skyql-cli', 'undici', 'sdk'],
      targets: { skyql: [{ kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
      warmup: (api) => api.runsSummary(runsFactory(total), AFTER),
      run: async (api) => (await api.runsSummary(runsFactory(total), AFTER)).length,
      command(_contender, { target }) {
        const flags = cliFlags(target.origin);
        return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, summarySql(target, runsFactory(total), AFTER)], env: flags.env, lines: GROUPS };
      },
    },
  ];
}
