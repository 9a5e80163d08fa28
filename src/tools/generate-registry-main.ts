// CLI entry of `npm run registry:generate [-- --specs DIR --out DIR --manifests DIR --overrides FILE]`.
// Defaults: specs in ../shared/specs/azure (or $SKYQL_SHARED/specs/azure), output in providers/azure and manifests/.
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRegistry } from './generate-registry.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const sharedDir = process.env.SKYQL_SHARED ? resolve(process.env.SKYQL_SHARED) : resolve(repoRoot, '../shared');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      specs: { type: 'string', default: resolve(sharedDir, 'specs/azure') },
      out: { type: 'string', default: resolve(repoRoot, 'providers/azure') },
      manifests: { type: 'string', default: resolve(repoRoot, 'manifests') },
      overrides: { type: 'string' },
    },
  });
  const result = await generateRegistry({
    specsRoot: values.specs,
    outDir: values.out,
    manifestsDir: values.manifests,
    overridesFile: values.overrides,
  });
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  for (const note of result.notes) console.warn(`note: ${note}`);
  console.log(`wrote ${result.files.length} files:`);
  for (const file of result.files) console.log(`  ${relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(`registry:generate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
