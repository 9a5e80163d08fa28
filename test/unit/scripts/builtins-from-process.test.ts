import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinsFromProcess } from '../../../scripts/builtins-from-process.ts';

const BUNDLE = fileURLToPath(new URL('../../../dist/cli-bundle/', import.meta.url));

describe('builtinsFromProcess (the CLI bundle reads Node modules without ES module facades)', () => {
  it('rewrites named, renamed and default imports of node: modules', () => {
    const chunk = [
      'import { readFileSync, writeFileSync } from "node:fs";',
      'import { createServer as createServer$1, isIP } from "node:net";',
      'import v8 from "node:v8";',
      'import { tmpdir } from "os";',
      'import { request } from "undici";',
      'export const x = 1;',
    ].join('\n');
    expect(builtinsFromProcess(chunk, 'chunk.js')).toBe(
      [
        'const { readFileSync, writeFileSync } = process.getBuiltinModule("node:fs");',
        'const { createServer: createServer$1, isIP } = process.getBuiltinModule("node:net");',
        'const v8 = process.getBuiltinModule("node:v8");',
        'const { tmpdir } = process.getBuiltinModule("os");',
        'import { request } from "undici";',
        'export const x = 1;',
      ].join('\n'),
    );
  });

  it('the rewritten bindings are the modules themselves', () => {
    const code = builtinsFromProcess('import { join as joined } from "node:path";\nimport fs from "node:fs";', 'chunk.js');
    const { joined, fs } = new Function(`${code}\nreturn { joined, fs };`)();
    expect(joined('a', 'b')).toBe('a/b');
    expect(fs).toBe(process.getBuiltinModule('node:fs'));
  });

  it('fails the build on a form it does not rewrite, rather than leave a facade in', () => {
    expect(() => builtinsFromProcess('import * as fs from "node:fs";', 'a.js')).toThrow(/a\.js: .*import \* as fs from "node:fs"/);
    expect(() => builtinsFromProcess('import fs, { readFileSync } from "node:fs";', 'b.js')).toThrow(/b\.js/);
    expect(() => builtinsFromProcess('import * as path from "path";', 'c.js')).toThrow(/c\.js/);
    expect(builtinsFromProcess('import * as yaml from "yaml";', 'd.js')).toBe('import * as yaml from "yaml";');
  });

  it.skipIf(!existsSync(BUNDLE))('the built CLI bundle imports no Node module', () => {
    const files = readdirSync(BUNDLE).filter((name) => name.endsWith('.js'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const imported = [...readFileSync(`${BUNDLE}${file}`, 'utf8').matchAll(/^import\b[^;]*?from\s*["']([^"']+)["']/gm)].map((match) => match[1]);
      expect(
        imported.filter((id) => isBuiltin(id)),
        file,
      ).toEqual([]);
    }
  });

  // scripts/bundle-cli.ts: a single non-ASCII character makes every start decode and scan the chunk as two-byte text.
  it.skipIf(!existsSync(BUNDLE))('the built CLI bundle is ASCII text', () => {
    for (const file of readdirSync(BUNDLE).filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(`${BUNDLE}${file}`, 'latin1');
      const at = text.search(/[^\x00-\x7f]/);
      expect(at === -1 ? '' : text.slice(Math.max(0, at - 40), at + 10), file).toBe('');
    }
  });
});
