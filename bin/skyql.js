#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the prepare script): its bundle when
// there is one, else the compiled modules. In a checkout without dist/, Node >= 22.18 runs the
// TypeScript sources directly.
//
// A global install or `npx skyql` runs this with whatever `node` is first on the PATH, so this
// file runs on any Node: --version and --help work everywhere, and a Node older than 22.19 is
// told what to install instead of failing at an import.
import { existsSync, readFileSync } from 'node:fs';

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
