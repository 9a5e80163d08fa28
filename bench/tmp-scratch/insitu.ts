// scratch: in-situ CPU per createRun: undici floor, skyql full, skyql exec-only (pre-planned).
import { spawnMock, DEFAULT_MOCK } from '../mock-server.ts';
import { createApi } from '../contenders/api.ts';
import { createEngine } from '../../src/index.ts';
import { executeHttpPlan } from '../../src/exec/execute.ts';
import { RateLimiter, systemClock } from '../../src/exec/rate-limit.ts';
import { createUndiciClient } from '../../src/exec/http.ts';
import { cachedTokenSource } from '../../src/exec/auth.ts';
import { CREATE_RUN_SQL } from '../contenders/sql.ts';
import { RESOURCE_GROUP, SUBSCRIPTION } from '../scenarios/types.ts';

const mock = await spawnMock(DEFAULT_MOCK);
const origin = mock.origins[0];
const target = { origin, subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP } as any;
const undici = await createApi('undici', target);
const skyql = await createApi('skyql', target);
const engine = createEngine({ credential: { getToken: async () => ({ token: 'x', expiresOnTimestamp: Date.now() + 3600e3 }) }, endpoints: { azure: origin }, pacing: false });
const plans = Array.from({ length: 8 }, (_, i) => engine.plan(CREATE_RUN_SQL, { vars: { subscriptionId: SUBSCRIPTION, resourceGroupName: RESOURCE_GROUP, factoryName: 'bench-factory', pipelineName: `pipeline-${i}` } })[0].plan as any);
const tokens = cachedTokenSource({ getToken: async () => ({ token: 'x', expiresOnTimestamp: Date.now() + 3600e3 }) });
const deps: any = { http: createUndiciClient(), tokens: () => tokens, clock: systemClock, random: Math.random, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10000 }, limiter: new RateLimiter(systemClock, 32, false), lroPollMs: 1000 };
const variants: Record<string, (i: number) => Promise<unknown>> = {
  undici: (i) => undici.createRun('bench-factory', `pipeline-${i % 8}`),
  skyql: (i) => skyql.createRun('bench-factory', `pipeline-${i % 8}`),
  execOnly: (i) => executeHttpPlan(plans[i % 8], deps),
  planExec: (i) => {
    const t0 = performance.now();
    const plan = engine.plan(CREATE_RUN_SQL, { vars: { subscriptionId: SUBSCRIPTION, resourceGroupName: RESOURCE_GROUP, factoryName: 'bench-factory', pipelineName: `pipeline-${i % 8}` } })[0].plan as any;
    planTime += performance.now() - t0;
    return executeHttpPlan(plan, deps);
  },
};
let planTime = 0;
const N = 2000;
const results: Record<string, number[]> = {};
for (let round = 0; round < 6; round++) {
  for (const [name, fn] of Object.entries(variants)) {
    for (let i = 0; i < N; i++) await fn(i); // warm
    planTime = 0;
    const start = process.cpuUsage();
    for (let i = 0; i < N; i++) await fn(i);
    const used = process.cpuUsage(start);
    (results[name] ??= []).push((used.user + used.system) / N);
    if (name === 'planExec') (results.planPart ??= []).push(planTime * 1000 / N);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(results)) console.log(name.padEnd(10), median(xs).toFixed(1), 'µs/call', (median(xs) / median(results.undici)).toFixed(3), xs.map((x) => x.toFixed(0)).join(' '));
await mock.close(); process.exit(0);
