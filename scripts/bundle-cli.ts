// The CLI as a few files: dist/cli-bundle/main.js (what bin/skyql.js starts), the chunks it
// loads on demand (server, MCP, registry pulls…), and the local-query worker thread. A start
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

rmSync(OUT, { recursive: true, force: true });
await build({
  input: { main: `${ROOT}dist/cli/main.js`, 'local-worker-thread': `${ROOT}dist/exec/local-worker-thread.js` },
  platform: 'node',
  // Every package, and Node's own modules: only the project's code is bundled.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  output: { dir: OUT, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  plugins: [{ name: 'builtins-from-process', renderChunk: (code, chunk) => builtinsFromProcess(code, chunk.fileName) }],
  logLevel: 'warn',
});
