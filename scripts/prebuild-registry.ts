// The bundled registry parsed once, at build time: each YAML document under providers/ is written
// as JSON under dist/providers/ (src/registry/bundled.ts reads it), so no start parses YAML.
// Parsed exactly as the registry cache parses a document (src/registry/cache.ts).

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BUNDLED_REGISTRY, PREBUILT_FORMAT, PREBUILT_REGISTRY, prebuiltFileFor, type PrebuiltDocument, sourceChecksum } from '../src/registry/bundled.ts';
import { parseYaml } from '../src/registry/cache.ts';

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.isFile() && entry.name.endsWith('.yaml') ? [path] : [];
  });
}

rmSync(PREBUILT_REGISTRY, { recursive: true, force: true });
const files = yamlFiles(BUNDLED_REGISTRY);
for (const file of files) {
  const source = readFileSync(file);
  const entry: PrebuiltDocument = { format: PREBUILT_FORMAT, sourceChecksum: sourceChecksum(source), document: parseYaml(source) };
  const target = prebuiltFileFor(file)!;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(entry));
}
process.stdout.write(`prebuilt ${files.length} registry documents into ${relative(process.cwd(), PREBUILT_REGISTRY) || PREBUILT_REGISTRY}\n`);
