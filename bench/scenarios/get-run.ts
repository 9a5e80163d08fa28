// One run by id, `SELECT *`, the id written into each statement (a new text every time: the
// statement's shape repeats, its value does not), 32 statements in flight and one at a time:
// skyql's cost per statement (a plan filled in once the shape is known, one GET, one row) against
// a GET and JSON.parse.

import type { Api } from '../contenders/api.ts';
import { poolSum, type Config, type Scenario } from './types.ts';

const FACTORY = 'bench-factory';
/** Ids cycle over 1,000 runs: more than the parsed-script cache keeps, as a script or an app looking up runs would. */
const runId = (i: number) => `00000000-0000-4000-8000-${String(i % 1_000).padStart(12, '0')}`;

export function getRunScenarios(config: Config): Scenario[] {
  const n = config.quick ? 500 : 10_000;
  return [32, 1].map((inFlight) => {
    const all = (api: Api) => poolSum(n, inFlight, async (i) => ((await api.getRun(FACTORY, runId(i))) === runId(i) ? 1 : 0));
    return {
      name: `get-run-star-c${inFlight}`,
      title: `${n.toLocaleString('en')} × SELECT * of one pipeline run by id (a new id in each statement), ${inFlight === 1 ? 'one at a time' : `${inFlight} in flight`}`,
      latency: 0,
      ops: n,
      unit: 'call',
      expect: n,
      contenders: ['skyql', 'undici', 'sdk'],
      targets: { skyql: [{ kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
      warmup: all,
      run: all,
    };
  });
}
