// The shell's history file: private to its user (mode 0600), the newest entries last.

import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const KEEP = 1000;

export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-KEEP).reverse();
  } catch {
    return [];
  }
}

export function appendHistory(file: string, entry: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const existed = existsSync(file);
    appendFileSync(file, `${entry}\n`, { mode: 0o600 });
    if (existed) chmodSync(file, 0o600);
  } catch {
    // History is a convenience: a read-only home must not stop the shell.
  }
}
