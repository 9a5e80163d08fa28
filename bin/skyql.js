#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the prepare script): its bundle when
// there is one, else the compiled modules. In a checkout without dist/, Node >= 22.18 runs the
// TypeScript sources directly.
//
// A global install or `npx skyql` runs this with whatever `node` is first on the PATH, so this
// file runs on any Node: --version and --help work everywhere, and a Node older than 22.19 is
// told what to install instead of failing at an import.
import module from 'node:module';

// Required, not imported: importing node:fs makes Node build its ES module facade, which loads fs
// streams on every start; the bundle reads builtins the same way (scripts/builtins-from-process.ts).
const require = module.createRequire(import.meta.url);
const { existsSync, lstatSync, mkdirSync, readFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { isAbsolute, join } = require('node:path');

const MINIMUM = [22, 19];
const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
const args = process.argv.slice(2);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
// The same code in a few files (scripts/bundle-cli.ts): a start reads far fewer.
const bundled = new URL('../dist/cli-bundle/main.js', import.meta.url);

if (!supported) {
  if (args.includes('--version') || args.includes('-v')) {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`skyql ${version}\n`);
    process.exit(0);
  }
  const help = args.length === 0 || args[0] === 'help' || args.includes('--help') || args.includes('-h');
  if (help && existsSync(new URL('../dist/cli/help.js', import.meta.url))) {
    const { HELP } = await import(new URL('../dist/cli/help.js', import.meta.url));
    process.stdout.write(HELP);
  }
  process.stderr.write(
    [
      `skyql needs Node.js ${MINIMUM.join('.')} or newer (22 LTS or 24 LTS); this is Node.js ${process.versions.node} (${process.execPath}).`,
      'Install a newer Node.js, e.g.: nvm install 24 | volta install node@24 | fnm install 24 | NodeSource packages for your distribution,',
      'or run skyql once on Node 24 without installing it: npx -p node@24 -p skyql skyql …',
      '',
    ].join('\n'),
  );
  process.exit(help ? 0 : 2);
}

if (major === 22) quietSqliteExperimentalWarning();
useCompileCache();
await import(existsSync(bundled) ? bundled : existsSync(compiled) ? compiled : new URL('../src/cli/main.ts', import.meta.url));

/**
 * Node 22 prints "ExperimentalWarning: SQLite is an experimental feature" the first time
 * node:sqlite loads (Node 24 does not). skyql uses it on purpose: that one warning is dropped,
 * every other warning is printed as usual.
 */
function quietSqliteExperimentalWarning() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0]?.type ?? warning?.name);
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (type === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(String(text))) return;
    return emitWarning.call(this, warning, ...rest);
  };
}

/**
 * V8's compiled code for skyql's modules, kept by Node (module.enableCompileCache) so that a start
 * does not compile them again: about 20 ms of each start. Code read back from disk runs as skyql,
 * so the folder must be the user's own: `$XDG_CACHE_HOME/skyql/compile`, else
 * `~/.cache/skyql/compile`, owned by this user and closed to others, or no cache at all.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own switch).
 */
function useCompileCache() {
  if (typeof module.enableCompileCache !== 'function' || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  const xdg = process.env.XDG_CACHE_HOME;
  const root = xdg && isAbsolute(xdg) ? join(xdg, 'skyql') : join(process.env.HOME || homedir(), '.cache', 'skyql');
  const folder = join(root, 'compile');
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!ownFolder(root) || !ownFolder(folder)) return;
    module.enableCompileCache(folder);
  } catch {
    // A read-only or unusual home only costs start-up time.
  }
}

function ownFolder(folder) {
  const stat = lstatSync(folder);
  if (!stat.isDirectory()) return false;
  // Windows has no uids or POSIX modes: its profile folders are per user.
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
}
