// The wire server for the skyql-wire contender, in a process of its own so that its CPU is measured
// apart from the client's: `usage` messages answer with this process's CPU time and peak RSS
// (the first `usage` before the measured work, the second after it).

import { createEngine } from '../../src/index.ts';
import { startPgServer } from '../../src/server/server.ts';
import { staticCredential } from './api.ts';

const origin = process.argv[2];
const engine = createEngine({ credential: staticCredential, endpoints: { azure: origin }, pacing: false });
const server = await startPgServer(engine, { host: '127.0.0.1', port: 0, statementTimeoutMs: 0 });
process.on('message', async (message) => {
  if (message === 'usage') {
    const cpu = process.cpuUsage();
    const usage = process.resourceUsage();
    process.send!({
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMb: usage.maxRSS / 1024,
      switches: usage.voluntaryContextSwitches + usage.involuntaryContextSwitches,
    });
  } else if (message === 'close') {
    await server.close();
    await engine.close();
    process.exit(0);
  }
});
process.send!({ port: server.port });
