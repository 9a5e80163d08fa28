// Where skyql's CPU goes: runs the createRun and list workloads (target.ts) under --cpu-prof
// against the mock, then prints the top self-time functions in skyql's own code (src/**), and
// where the rest went (packages, Node internals, GC), as Markdown.
// usage: [PROFILE_CONTENDER=undici] node bench/profile/profile.ts [--top 10] [workload …]
// workloads: create-run-c1, create-run-c1-new-values, create-run-c32, get-run-star-c32, list-runs, list-runs-star-c32, list-factories-star-c32, list-factories, group-by, plan, plan-new-shapes,
// engine-overhead, engine-overhead-new-values (skyql's own code: a transport that answers at once)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MOCK, spawnMock } from '../mock-server.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '10' } }, allowPositionals: true });
const workloads = positionals.length ? positionals : ['create-run-c1', 'create-run-c32', 'list-runs', 'list-factories'];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = `file://${ROOT}src/`;

const mock = await spawnMock(DEFAULT_MOCK);
try {
  for (const workload of workloads) {
    const dir = mkdtempSync(join(tmpdir(), `skyql-prof-${workload}-`));
    const run = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', 'bench/profile/target.ts', workload, mock.origins[0]],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (run.status !== 0) throw new Error(`${workload} exited ${run.status}`);
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
    process.stdout.write(
      `${summarise(workload, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, Number(values.top))}\n(profile: ${join(dir, file)})\n\n`,
    );
  }
} finally {
  await mock.close();
}

/**
 * Per function of src/**: self time, and self time with the builtins it calls (JSON.parse, RegExp,
 * node:internal/url, node:sqlite, …): a sample in a builtin or a node: internal is charged to the
 * nearest JS frame of a package or of src/** above it. Sample i is charged timeDeltas[i + 1].
 */
function summarise(workload: string, profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = (id: number): CallFrame | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.url.startsWith(SRC) || frame.url.includes('/node_modules/') || (frame.url.startsWith('file://') && !frame.url.startsWith(SRC))) return frame;
    }
    return undefined;
  };
  const name = (frame: CallFrame) => `\`${frame.functionName || '(anonymous)'}\` ${frame.url.slice(SRC.length - 4)}:${frame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const withBuiltins = new Map<string, number>();
  const buckets = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(id)!.callFrame;
    total += us;
    if (frame.url.startsWith(SRC)) add(self, name(frame), us);
    const charged = frame.functionName.startsWith('(') && frame.url === '' ? frame : (owner(id) ?? frame);
    add(buckets, bucketOf(charged), us);
    if (charged.url.startsWith(SRC)) add(withBuiltins, name(charged), us);
  });
  const ms = (us: number) => `${(us / 1000).toFixed(1)} ms (${((100 * us) / total).toFixed(1)} %)`;
  const rows = [...withBuiltins]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us], i) => `${i + 1}. ${key} — ${ms(us)}; own code ${((self.get(key) ?? 0) / 1000).toFixed(1)} ms`);
  const where = [...buckets]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([bucket, us]) => `${bucket} ${ms(us)}`)
    .join(', ');
  return `### ${workload} — ${(total / 1000).toFixed(0)} ms sampled\nTop self time in src/** (with the builtins each calls):\n${rows.join('\n')}\nBy owner: ${where}`;
}

function bucketOf(frame: CallFrame): string {
  if (frame.url.startsWith(SRC)) return 'src/**';
  if (frame.url.includes('/bench/')) return 'bench/**';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
  if (pkg) return pkg;
  if (frame.url.startsWith('node:')) return 'node internals';
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : 'native/builtin';
  return 'other JS';
}
