// The CLI as a few files: dist/cli-bundle/main.js (what bin/skyql.js starts) and the one chunk
// holding all it imports, the chunks it loads on demand (server, MCP, registry pulls…), and the
// local-query worker thread with the few modules it shares. A start
// reads one module graph of ~150 files otherwise: on a machine with a cold file cache that
// costs more than parsing the code (measured: a dry run 230 → 180 ms).
//
// Files sit one folder below dist/ as the compiled ones do, so the paths they resolve from
// import.meta.url (../../package.json, ../../providers/, ./local-worker-thread.js) hold.
// Packages stay outside: they are loaded from node_modules as before, most of them lazily.
// Node's own modules are read with process.getBuiltinModule (builtins-from-process.ts).

import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { builtinsFromProcess } from './builtins-from-process.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = `${ROOT}dist/cli-bundle`;

const MAIN = `${ROOT}dist/cli/main.js`;
const WORKER = `${ROOT}dist/exec/local-worker-thread.js`;
/** The modules every start evaluates: main's static imports, transitively (the worker thread's own are left out). */
const startup = new Set<string>();

rmSync(OUT, { recursive: true, force: true });
await build({
  input: { main: MAIN, 'local-worker-thread': WORKER },
  platform: 'node',
  // Neither entry exports anything a caller could rely on.
  preserveEntrySignatures: 'allow-extension',
  // Every package, and Node's own modules: only the project's code is bundled.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  output: {
    dir: OUT,
    format: 'esm',
    entryFileNames: '[name].js',
    // Every start decodes and scans the startup chunk (~470 KB). One non-ASCII character (a `…` in
    // a string, a `→` in a comment) makes Node decode the whole file to a two-byte string, which
    // V8 then scans at half the speed: strings are escaped and comments, which nothing reads at
    // run time, are left out (measured: 20-25 starts of each build, alternating, ~9-12 ms less).
    charset: 'ascii',
    comments: false,
    chunkFileNames: '[name]-[hash].js',
    // What a start loads in one file besides main.js rather than the ~20 chunks that the lazily
    // loaded commands share with it: each file is a resolve, a read and a link.
    codeSplitting: { groups: [{ name: 'startup', test: (id) => startup.has(id), includeDependenciesRecursively: false }] },
  },
  plugins: [
    {
      name: 'startup-modules',
      buildEnd() {
        const reach = (id: string, into: Set<string>): void => {
          if (into.has(id) || !id.startsWith(ROOT)) return;
          into.add(id);
          for (const imported of this.getModuleInfo(id)?.importedIds ?? []) reach(imported, into);
        };
        const worker = new Set<string>();
        reach(WORKER, worker);
        reach(MAIN, startup);
        for (const id of [MAIN, ...worker]) startup.delete(id);
      },
    },
    { name: 'builtins-from-process', renderChunk: (code, chunk) => builtinsFromProcess(code, chunk.fileName) },
  ],
  logLevel: 'warn',
});
