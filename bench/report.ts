// The results as a Markdown table, with each skyql row judged against its target.

import type { Check, Contender, Scenario } from './scenarios/types.ts';
import type { Spread, Summary } from './stats.ts';

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly results: ReadonlyMap<Contender, Summary>;
}

export interface ReportHeader {
  readonly command: string;
  readonly machine: string;
  readonly node: string;
  readonly date: string;
  readonly notes: readonly string[];
}

const num = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const range = (s: Spread) => `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '—');

/** The in-scenario floors the ratio columns divide by. */
function references(result: ScenarioResult): { undici?: Summary; sdk?: Summary } {
  return { undici: result.results.get('undici') ?? result.results.get('undici-jsonl'), sdk: result.results.get('sdk') };
}

export function judge(check: Check, own: Summary, result: ScenarioResult): { pass: boolean; text: string } {
  const other = 'vs' in check ? result.results.get(check.vs) : undefined;
  switch (check.kind) {
    case 'cpu-ratio': {
      const r = own.cpuMs.median / (other?.cpuMs.median ?? NaN);
      return { pass: r <= check.max, text: `CPU ${r.toFixed(2)}× ${check.vs} (≤ ${check.max}×)` };
    }
    case 'wall-ratio': {
      const r = own.wallMs.median / (other?.wallMs.median ?? NaN);
      const what = check.vs === 'raw-stdout' ? `rows/s ${(1 / r).toFixed(2)}× of` : `wall ${r.toFixed(2)}×`;
      return { pass: r <= check.max, text: `${what} ${check.vs} (${check.vs === 'raw-stdout' ? `≥ ${(1 / check.max).toFixed(2)}×` : `≤ ${check.max}×`})` };
    }
    case 'cpu-per-op':
      return { pass: own.cpuPerOpUs.median <= check.maxUs, text: `${num(own.cpuPerOpUs.median)} µs/statement (≤ ${check.maxUs})` };
    case 'first-output': {
      const first = own.firstOutputMs?.median ?? NaN;
      return { pass: first <= check.maxMs, text: `first output ${num(first)} ms (≤ ${check.maxMs})` };
    }
    case 'rss':
      return { pass: own.rssMb.median <= check.maxMb, text: `peak RSS ${num(own.rssMb.median)} MB (≤ ${check.maxMb})` };
  }
}

function extra(result: ScenarioResult, own: Summary): string {
  const { scenario } = result;
  if (own.firstOutputMs && scenario.unit === 'start') return `first output ${range(own.firstOutputMs)} ms`;
  if (scenario.rows) return `${num(scenario.rows / (own.wallMs.median / 1000))} rows/s`;
  if (scenario.unit === 'statement') return `${num((own.wallMs.median * 1000) / scenario.ops)} µs wall/statement`;
  return `${num(scenario.ops / (own.wallMs.median / 1000))} calls/s`;
}

export function renderTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | contender | wall ms, median (min–max) | CPU µs/op, median (min–max) | peak RSS MB | CPU ×undici | CPU ×SDK | wall ×undici | wall ×SDK | throughput | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    const { scenario } = result;
    const refs = references(result);
    for (const contender of scenario.contenders) {
      const own = result.results.get(contender);
      if (!own) continue;
      const isSkyql = contender.startsWith('skyql');
      const checks = scenario.targets[contender] ?? [];
      const judged = checks.map((check) => judge(check, own, result)).map((j) => `${j.pass ? '✅' : '❌'} ${j.text}`);
      lines.push(
        `| ${scenario.name} | ${contender} | ${range(own.wallMs)} | ${range(own.cpuPerOpUs)} | ${num(own.rssMb.median)} | ${
          isSkyql ? ratio(own.cpuMs.median, refs.undici?.cpuMs.median) : '—'
        } | ${isSkyql ? ratio(own.cpuMs.median, refs.sdk?.cpuMs.median) : '—'} | ${
          isSkyql ? ratio(own.wallMs.median, refs.undici?.wallMs.median) : '—'
        } | ${isSkyql ? ratio(own.wallMs.median, refs.sdk?.wallMs.median) : '—'} | ${extra(result, own)} | ${judged.join('<br>') || '—'} |`,
      );
    }
  }
  return lines.join('\n');
}

export function renderReport(header: ReportHeader, results: readonly ScenarioResult[], runs: number): string {
  const scenarios = results.map(
    ({ scenario }) =>
      `- **${scenario.name}**: ${scenario.title}; ${scenario.ops.toLocaleString('en')} ${scenario.unit}${scenario.ops === 1 ? '' : 's'} per run.`,
  );
  return `# Benchmarks

Produced by \`${header.command}\` on ${header.date}.
Machine: ${header.machine}; Node ${header.node}. ${runs} runs per contender, interleaved (A, B, C, A, B, C, …).

${renderTable(results)}

**Reading the table.** One op is one API call (HTTP request, pages included) for the I/O scenarios,
one statement for \`plan\`, one process start for the CLI cold starts. CPU is user + system time.
The in-process contenders (\`skyql\` = library API, \`skyql-paced\` = the same with skyql's default pacing,
\`skyql-stub\` = the same with a transport that answers at once, \`undici\`, \`sdk\` = @azure/arm-datafactory) each
run in a fresh process per run (bench/worker.ts): a warm-up, then \`process.cpuUsage()\` and
\`performance.now()\` deltas around the measured work; their peak RSS is that process's \`maxRSS\`
(module loading and warm-up included). Spawned contenders (\`skyql-cli\` = skyql's CLI, see the notes;
\`raw-stdout\`, \`undici-jsonl\`, \`node-empty\`) are whole processes: CPU and peak RSS from the process's
own \`process.resourceUsage()\` at exit (bench/usage-hook.mjs, preloaded with \`--import\`), so their
CPU includes Node's start-up; wall time is spawn → exit, first output is spawn → first stdout byte.
The mock (bench/mock-server.ts) runs in its own process. Ratio columns divide skyql's median by the
floor's median in the same scenario (\`undici-jsonl\` stands in for undici in \`jsonl-stream\`).
Targets are judged on the skyql rows only; \`skyql-cli\` rows in the API scenarios are informative
(their CPU includes the process start), except in the CLI scenarios.

Scenarios:
${scenarios.join('\n')}

Notes:
${header.notes.map((note) => `- ${note}`).join('\n')}
`;
}
