// Runs one in-process contender on one scenario, in a process of its own (forked by measure.ts):
// warm-up, then the measured work between process.cpuUsage() / performance.now() readings.
// Reports { wallMs, cpuMs, rssMb } over IPC; the peak RSS is this whole process's.

import { createApi, type ContenderName } from './contenders/api.ts';
import { scenarioNamed } from './scenarios/index.ts';
import { RESOURCE_GROUP, SUBSCRIPTION, type Config } from './scenarios/types.ts';
import type { Sample } from './stats.ts';

export interface WorkerRequest {
  scenario: string;
  contender: ContenderName;
  config: Config;
  origin: string;
}

const request = JSON.parse(process.argv[2]) as WorkerRequest;
const scenario = scenarioNamed(request.config, request.scenario);
const context = { target: { origin: request.origin, subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP } };
const api = await createApi(request.contender, context.target);

await scenario.warmup?.(api, context);
// No forced collection here: a full GC forced before the window deoptimizes the code whose
// embedded hidden classes it cleared and lowers the heap's limit, so the window paid for
// recompiling and for extra major GCs (SELECT * at 32 in flight: skyql +40 %, undici +0 %).
// The window starts from the heap the warm-up left, as an application's next request does.
// A contender served by another process (skyql-wire) is judged by that process's CPU and RSS.
const server0 = await api.serverUsage?.();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const count = await scenario.run!(api, context);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const server1 = await api.serverUsage?.();
await api.close();

if (scenario.expect !== undefined && count !== scenario.expect) {
  throw new Error(`${request.contender} on ${scenario.name}: got ${count}, expected ${scenario.expect}`);
}
const sample: Sample =
  server0 && server1
    ? { wallMs, cpuMs: server1.cpuMs - server0.cpuMs, rssMb: server1.rssMb }
    : { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 };
process.send!(sample, () => process.exit(0));
