// One measured run of one contender, always in a fresh process so CPU and peak RSS are its own:
//   in-process contenders (skyql library, undici, SDK) → fork worker.ts, which measures itself;
//   spawned contenders (skyql CLI, baselines) → spawn with usage-hook.mjs preloaded, which reports
//   the process's own resourceUsage() at exit on fd 3; wall and first output are timed here.

import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ContenderName } from './contenders/api.ts';
import type { Command, Config } from './scenarios/types.ts';
import { NODE } from './scenarios/types.ts';
import type { Sample } from './stats.ts';
import type { WorkerRequest } from './worker.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOOK = fileURLToPath(new URL('./usage-hook.mjs', import.meta.url));

export function measureWorker(scenario: string, contender: ContenderName, config: Config, origin: string, execArgv: string[] = []): Promise<Sample> {
  const request: WorkerRequest = { scenario, contender, config, origin };
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./worker.ts', import.meta.url), [JSON.stringify(request)], {
      execPath: NODE,
      execArgv,
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    let sample: Sample | undefined;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('message', (message) => {
      sample = message as Sample;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && sample) resolve(sample);
      else reject(new Error(`${contender} on ${scenario} exited ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

export function measureCommand(label: string, command: Command, extraEnv: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(NODE, ['--import', HOOK, ...command.args], {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let firstOutputMs: number | undefined;
    let exitedMs = 0;
    let lines = 0;
    let stderr = '';
    let usage = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      firstOutputMs ??= performance.now() - started;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      usage += chunk.toString();
    });
    child.on('exit', () => {
      exitedMs = performance.now() - started;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const fail = (why: string) => reject(new Error(`${label} ${why}:\n${stderr}`));
      if (code !== 0) return fail(`exited ${code}`);
      if (command.lines !== undefined && lines !== command.lines) return fail(`printed ${lines} lines, expected ${command.lines}`);
      if (!usage) return fail('did not report its resource usage');
      const { userUs, systemUs, maxRssKb } = JSON.parse(usage) as { userUs: number; systemUs: number; maxRssKb: number };
      resolve({ wallMs: exitedMs, cpuMs: (userUs + systemUs) / 1000, rssMb: maxRssKb / 1024, firstOutputMs });
    });
  });
}
