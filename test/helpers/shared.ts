// The shared data folder (Azure's specs, the seed documents, the StackQL conformance corpus): the
// project reads it but does not ship it. It is `../shared` beside the repository, or wherever
// SKYQL_SHARED points. A plain clone has none: the few tests that need it skip, and each file
// that skips says so in one line. Every other test runs without it.

import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shared folder: SKYQL_SHARED (relative to the working directory), else ../shared beside the repository. */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SKYQL_SHARED ? resolve(env.SKYQL_SHARED) : resolve(REPO_ROOT, '../shared');
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export const SHARED_DIR = sharedDir();
/** Whether the shared folder is there. A SKYQL_SHARED that names no folder is an error, not a skip. */
export const HAS_SHARED = isFolder(SHARED_DIR);
if (process.env.SKYQL_SHARED && !HAS_SHARED) throw new Error(`SKYQL_SHARED=${process.env.SKYQL_SHARED} is not a folder (${SHARED_DIR})`);

/** A path inside the shared folder, e.g. sharedPath('specs/azure'). */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

/**
 * describe / it that skip when the shared folder is missing. Call once per test file, at the top:
 * when the folder is missing it prints the one line that says what the file skips and what to set.
 *
 *   const shared = needsShared('spec regeneration');
 *   shared.describe('generateRegistry', () => { … });
 */
export function needsShared(reason: string) {
  if (!HAS_SHARED) console.log(`skipped: needs ../shared (${reason}); set SKYQL_SHARED=/path/to/shared`);
  return { present: HAS_SHARED, describe: describe.skipIf(!HAS_SHARED), it: it.skipIf(!HAS_SHARED) };
}

/**
 * A registry cache kept between test runs for documents read from the shared folder (StackQL's
 * provider documents take seconds to parse once, milliseconds from the cache): private to the
 * user, verified like any skyql cache; a folder someone else made is not used, which only costs time.
 */
export function sharedDocumentCache(): string {
  return join(tmpdir(), `skyql-test-cache-${process.getuid?.() ?? 'user'}`);
}
