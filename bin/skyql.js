#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the prepare script). In a checkout
// without dist/, Node >= 22.18 runs the TypeScript sources directly.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`skyql needs Node >= 22.19 (this is ${process.versions.node}); run it with npx skyql, which uses the project's Node.\n`);
  process.exit(2);
}
const compiled = new URL('../dist/cli/main.js', import.meta.url);
await import(existsSync(compiled) ? compiled : new URL('../src/cli/main.ts', import.meta.url));
