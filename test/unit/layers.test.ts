// The pipeline the README promises, enforced: sql → registry → plan → exec → output, with the
// servers (server/: the PostgreSQL wire protocol; mcp/), cli and the library API on top. A stage
// imports only from stages before it (and from util/, errors.ts); no import cycles anywhere in src/.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Each folder of src/ and the folders it may import from (besides itself). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  util: [],
  sql: ['util'],
  generator: ['util', 'registry'],
  registry: ['util', 'sql', 'generator'],
  plan: ['util', 'sql', 'registry'],
  exec: ['util', 'sql', 'registry', 'plan'],
  output: ['util', 'sql', 'registry', 'plan', 'exec'],
  server: ['util', 'sql', 'registry', 'plan', 'exec', 'output', '(top)'],
  mcp: ['util', 'sql', 'registry', 'plan', 'exec', 'output', '(top)'],
  cli: ['util', 'sql', 'registry', 'plan', 'exec', 'output', '(top)', 'server', 'mcp'],
  tools: ['util', 'sql', 'registry', 'generator', 'plan', 'exec', 'output'],
  '(top)': ['util', 'sql', 'registry', 'plan', 'exec', 'output'],
};
/** Files every stage may import: the one error type, and the error reference built from it. */
const SHARED_FILES = new Set(['errors.ts']);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly target: string;
  /** `import type`: gone at run time, but still a dependency between stages. */
  readonly typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const statics = [...text.matchAll(/^\s*(import|export)\s+(type\s)?[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((match) => ({
    target: resolve(dirname(file), match[3]),
    typeOnly: match[2] !== undefined,
  }));
  const dynamic = [...text.matchAll(/import\('(\.{1,2}\/[^']+)'\)/g)].map((match) => ({ target: resolve(dirname(file), match[1]), typeOnly: false }));
  return [...statics, ...dynamic];
}

/** `plan` for src/plan/x.ts, `(top)` for src/engine.ts. */
function stageOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0] : '(top)';
}

const FILES = sourceFiles(SRC);
const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));

describe('layers', () => {
  it('every src/ folder is a known stage', () => {
    expect([...new Set(FILES.map(stageOf))].filter((stage) => !(stage in ALLOWED))).toEqual([]);
  });

  it('a stage imports only from the stages before it', () => {
    const forbidden: string[] = [];
    for (const [file, imports] of GRAPH) {
      const from = stageOf(file);
      for (const { target } of imports) {
        const to = stageOf(target);
        if (to === from || SHARED_FILES.has(relative(SRC, target))) continue;
        if (!ALLOWED[from].includes(to)) forbidden.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(forbidden).toEqual([]);
  });

  it('there are no import cycles (at run time: type-only imports aside)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((path) => relative(SRC, path)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      stack.push(file);
      for (const { target, typeOnly } of GRAPH.get(file) ?? []) if (!typeOnly && GRAPH.has(target)) visit(target);
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of FILES) visit(file);
    expect(cycles).toEqual([]);
  });

  it("only the entry points (cli/, tools/, the library's index.ts) touch process; the registry cache asks the OS who the user is", () => {
    // index.ts passes the host's environment as the library's default env, and nothing else.
    const allowed = new Set(['registry/cache.ts', 'index.ts']);
    const touching = FILES.filter(
      (file) =>
        !['cli', 'tools'].includes(stageOf(file)) &&
        !allowed.has(relative(SRC, file)) &&
        /\bprocess\.(?!getuid\b)/.test(readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')),
    );
    expect(touching.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('no module keeps mutable state: no top-level let, and no Map/Set/WeakMap made at module level', () => {
    const offenders = FILES.filter((file) =>
      /^(export )?(let|var) |^(export )?const [A-Za-z_]+[^=\n]*= *new (Weak)?(Map|Set)\b/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });
});
