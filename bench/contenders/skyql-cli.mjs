// skyql's CLI for the scenarios that send requests: what bin/skyql.js → cli/main does (the same
// dist/ or src/ runCli, the same process streams), with client-side pacing off (the mock is
// not ARM and never throttles). The cold-start scenarios run bin/skyql.js itself.
// usage: node bench/contenders/skyql-cli.mjs exec … (same arguments as skyql)
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const built = existsSync(new URL('dist/cli/main.js', root));
const { boundYoungGeneration } = await import(new URL(built ? 'dist/cli/v8-tuning.js' : 'src/cli/v8-tuning.ts', root));
boundYoungGeneration();
const { runCli } = await import(new URL(built ? 'dist/cli/run.js' : 'src/cli/run.ts', root));
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  version,
  signal: controller.signal,
  stderrIsTTY: false,
  engineOptions: { pacing: false },
});
