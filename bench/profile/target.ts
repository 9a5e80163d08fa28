// The profiled process (started by profile.ts with --cpu-prof): skyql's library on one workload,
// larger than the benchmark's so start-up is a small share of the samples. PROFILE_CONTENDER=undici
// (or sdk) profiles that contender instead, for comparison.
// usage: node --cpu-prof … target.ts <create-run-c1|create-run-c1-new-values|create-run-c32|get-run-star-c32|list-runs|list-factories|list-runs-star|list-runs-star-c32|list-runs-star-c1|list-factories-star|list-factories-star-c32|group-by|plan|plan-new-shapes|engine-overhead|engine-overhead-new-values> <origin>
// (engine-overhead*: createRun with a transport that answers at once, the skyql-stub contender: skyql's own code only)

import { createApi } from '../contenders/api.ts';
import { factoriesSubscription, runsFactory } from '../scenarios/lists.ts';
import { statement } from '../scenarios/plan.ts';
import { AFTER, RESOURCE_GROUP, SUBSCRIPTION, pool } from '../scenarios/types.ts';

const [workload, origin] = process.argv.slice(2);
const contender = workload.startsWith('engine-overhead') ? 'skyql-stub' : (process.env.PROFILE_CONTENDER ?? 'skyql');
const api = await createApi(contender as 'skyql', { origin, subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP });
const createRuns = (n: number, concurrency: number, newValues = false) =>
  pool(n, concurrency, (i) => api.createRun('bench-factory', newValues ? `pipeline-${i}-${n}` : `pipeline-${i % 8}`));

if (workload === 'create-run-c1') {
  await createRuns(200, 1);
  await createRuns(5_000, 1);
} else if (workload === 'engine-overhead' || workload === 'engine-overhead-new-values') {
  await createRuns(20_000, 1, workload.endsWith('new-values'));
  await createRuns(200_000, 1, workload.endsWith('new-values'));
} else if (workload === 'create-run-c1-new-values') {
  await createRuns(200, 1, true);
  await createRuns(5_000, 1, true);
} else if (workload === 'create-run-c32') {
  await createRuns(200, 32);
  await createRuns(5_000, 32);
} else if (workload === 'get-run-star-c32') {
  const runId = (i: number) => `00000000-0000-4000-8000-${String(i % 1_000).padStart(12, '0')}`;
  await pool(2_000, 32, (i) => api.getRun('bench-factory', runId(i)));
  await pool(50_000, 32, (i) => api.getRun('bench-factory', runId(i)));
} else if (workload === 'list-runs') {
  await api.listRuns(runsFactory(1_000), AFTER, () => {});
  await api.listRuns(runsFactory(100_000), AFTER, () => {});
} else if (workload === 'group-by') {
  await api.runsSummary(runsFactory(1_000), AFTER);
  await api.runsSummary(runsFactory(100_000), AFTER);
} else if (workload === 'list-runs-star') {
  await api.listRunsAll(runsFactory(1_000), AFTER, () => {});
  await api.listRunsAll(runsFactory(100_000), AFTER, () => {});
} else if (workload === 'list-runs-star-c32' || workload === 'list-runs-star-c1') {
  // 500-run lists (five pages) read 32 at a time, as the scenario does (c1: the same lists one at a time)
  const inFlight = workload.endsWith('c32') ? 32 : 1;
  await pool(600, inFlight, () => api.listRunsAll(runsFactory(500), AFTER, () => {}));
  await pool(6_000, inFlight, () => api.listRunsAll(runsFactory(500), AFTER, () => {}));
} else if (workload === 'list-factories-star-c32') {
  // 500-factory lists (five pages) read 32 at a time, as the scenario does
  await pool(600, 32, () => api.listFactoriesAll(factoriesSubscription(500), () => {}));
  await pool(6_000, 32, () => api.listFactoriesAll(factoriesSubscription(500), () => {}));
} else if (workload === 'list-factories-star') {
  await api.listFactoriesAll(factoriesSubscription(1_000), () => {});
  await api.listFactoriesAll(factoriesSubscription(20_000), () => {});
} else if (workload === 'list-factories') {
  await api.listFactories(factoriesSubscription(1_000), () => {});
  await api.listFactories(factoriesSubscription(20_000), () => {});
} else if (workload === 'plan') {
  for (let i = 0; i < 20_000; i++) api.plan!(statement(i));
} else if (workload === 'plan-new-shapes') {
  for (let i = 0; i < 3_000; i++) api.plan!(statement(i, true));
} else throw new Error(`unknown workload ${workload}`);
await api.close();
