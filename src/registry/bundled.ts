// The registry shipped with skyql: YAML documents under providers/, and the same documents parsed
// at build time (`npm run build`, scripts/prebuild-registry.ts) as JSON under dist/providers/. A
// start reads that JSON, not the YAML, even the first run of a new install or one with no cache
// folder (parsing data_factory.yaml takes ~0.3 s).
//
// The JSON is a build output of the package, as trusted as its code. It answers only for the YAML
// it was parsed from: it records that file's SHA-256 (as the registry cache's entries do), so an
// edited YAML is read itself until the next build. (File times cannot tell: npm gives every file
// of a package its own time when it installs it.)

import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DocumentEntry, readDocumentEntry } from './files.ts';

/** The registry shipped with skyql: `providers/` at the package root. */
export const BUNDLED_REGISTRY = fileURLToPath(new URL('../../providers/', import.meta.url));
/** Where the build writes it as JSON: `dist/providers/`, file by file (`data_factory.yaml.json`). */
export const PREBUILT_REGISTRY = fileURLToPath(new URL('../../dist/providers/', import.meta.url));
export const PREBUILT_FORMAT = 'skyql-prebuilt-registry/1';

export type PrebuiltDocument = DocumentEntry & { readonly format: typeof PREBUILT_FORMAT };

/** The prebuilt file for a document of the bundled registry; undefined for any other file. */
export function prebuiltFileFor(file: string, bundledRoot = BUNDLED_REGISTRY, prebuiltRoot = PREBUILT_REGISTRY): string | undefined {
  const inside = relative(bundledRoot, file);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || !inside.endsWith('.yaml')) return undefined;
  return `${prebuiltRoot}${inside}.json`;
}

/**
 * The parsed document the build wrote for `file`, whose bytes hash to `sourceSha256`, when there is
 * one; undefined otherwise (the caller parses the YAML).
 */
export function readPrebuilt(file: string, sourceSha256: string, bundledRoot = BUNDLED_REGISTRY, prebuiltRoot = PREBUILT_REGISTRY): unknown {
  const prebuilt = prebuiltFileFor(file, bundledRoot, prebuiltRoot);
  return prebuilt === undefined ? undefined : readDocumentEntry(prebuilt, { format: PREBUILT_FORMAT, sourceSha256 }, () => true);
}
