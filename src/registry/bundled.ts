// The registry shipped with skyql: YAML documents under providers/, and the same documents parsed
// at build time (`npm run build`, scripts/prebuild-registry.ts) as JSON under dist/providers/. A
// start reads that JSON, not the YAML, even the first run of a new install or one with no cache
// folder (parsing data_factory.yaml takes ~0.3 s).
//
// The JSON is a build output of the package, as trusted as its code. It answers only for the YAML
// it was parsed from: it records that file's CRC-32 and length, so an edited YAML is read itself
// until the next build. (File times cannot tell: npm gives every file of a package its own time
// when it installs it.) A checksum is enough to tell an edit, since nobody who can write the JSON
// needs to forge one; SHA-256, which the registry cache needs, would load node:crypto, ~10 ms of
// every start.

import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { type DocumentEntry, readDocumentEntry } from './files.ts';

/** The registry shipped with skyql: `providers/` at the package root. */
export const BUNDLED_REGISTRY = fileURLToPath(new URL('../../providers/', import.meta.url));
/** Where the build writes it as JSON: `dist/providers/`, file by file (`data_factory.yaml.json`). */
export const PREBUILT_REGISTRY = fileURLToPath(new URL('../../dist/providers/', import.meta.url));
export const PREBUILT_FORMAT = 'skyql-prebuilt-registry/2';

export type PrebuiltDocument = DocumentEntry & { readonly format: typeof PREBUILT_FORMAT; readonly sourceChecksum: string };

/** What a prebuilt entry records of its YAML: `crc32:<hex>:<length in bytes>`. */
export function sourceChecksum(source: Uint8Array): string {
  return `crc32:${crc32(source).toString(16).padStart(8, '0')}:${source.length}`;
}

/** The prebuilt file for a document of the bundled registry; undefined for any other file. */
export function prebuiltFileFor(file: string, bundledRoot = BUNDLED_REGISTRY, prebuiltRoot = PREBUILT_REGISTRY): string | undefined {
  const inside = relative(bundledRoot, file);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || !inside.endsWith('.yaml')) return undefined;
  return `${prebuiltRoot}${inside}.json`;
}

/**
 * The parsed document the build wrote for `file`, whose bytes have the checksum `checksum`
 * (sourceChecksum), when there is one; undefined otherwise (the caller parses the YAML).
 */
export function readPrebuilt(file: string, checksum: string, bundledRoot = BUNDLED_REGISTRY, prebuiltRoot = PREBUILT_REGISTRY): unknown {
  const prebuilt = prebuiltFileFor(file, bundledRoot, prebuiltRoot);
  return prebuilt === undefined ? undefined : readDocumentEntry(prebuilt, { format: PREBUILT_FORMAT, sourceChecksum: checksum }, () => true);
}
