// What SHOW VERSION answers: skyql's version (from its package.json), and with EXTENDED the
// runtime, the SQLite that runs local queries, the platform, and the bundled registry's source.

import { readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import type { LocalChecker } from '../plan/local-check.ts';

export function buildInfo(checker: LocalChecker): Record<string, string> {
  return {
    version: packageVersion(),
    runtime: typeof navigator === 'object' ? navigator.userAgent : 'unknown',
    sqlite: String(checker.evaluate('sqlite_version()', [])),
    platform: `${platform()}-${arch()}`,
  };
}

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
