// Preloaded (node --import) into every spawned contender: at exit, writes the process's own
// resource usage (user + system CPU, peak RSS) as JSON to fd 3, a pipe the benchmark reads.
// Plain JavaScript, so loading it does not load Node's TypeScript stripper into the CLI.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  try {
    writeSync(3, JSON.stringify({ userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxRssKb: usage.maxRSS }));
  } catch {
    /* not run by the benchmark */
  }
});
