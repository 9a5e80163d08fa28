import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_REGISTRY, PREBUILT_FORMAT, prebuiltFileFor, readPrebuilt, sourceChecksum } from '../../../src/registry/bundled.ts';
import { parseYaml } from '../../../src/registry/cache.ts';

const scratch = mkdtempSync(join(tmpdir(), 'skyql-bundled-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the prebuilt bundled registry (dist/providers/, written by npm run build)', () => {
  let bundled: string;
  let prebuilt: string;
  let yaml: string;
  const source = 'name: from the yaml\nlist: [1, 2]\n';

  const checksum = sourceChecksum(Buffer.from(source));

  /** A YAML document and its prebuilt JSON. */
  function write(entry: Record<string, unknown>): void {
    writeFileSync(yaml, source);
    mkdirSync(join(prebuilt, 'acme'), { recursive: true });
    writeFileSync(prebuiltFileFor(yaml, bundled, prebuilt)!, JSON.stringify(entry));
  }

  const current = () => ({ format: PREBUILT_FORMAT, sourceChecksum: checksum, document: { name: 'from the build' } });

  beforeEach(() => {
    const root = mkdtempSync(join(scratch, 'case-'));
    bundled = join(root, 'providers/');
    prebuilt = join(root, 'dist', 'providers/');
    mkdirSync(join(bundled, 'acme'), { recursive: true });
    yaml = join(bundled, 'acme', 'service.yaml');
  });

  it('answers for a document of the bundled registry parsed from the same bytes', () => {
    write(current());
    expect(readPrebuilt(yaml, checksum, bundled, prebuilt)).toEqual({ name: 'from the build' });
  });

  it.each([
    ['the YAML was edited after the build', () => write({ ...current(), sourceChecksum: sourceChecksum(Buffer.from('name: before the edit\n')) })],
    ['another format', () => write({ ...current(), format: 'skyql-registry-cache/2' })],
    ['no document', () => write({ format: PREBUILT_FORMAT, sourceChecksum: checksum })],
    [
      'not JSON',
      () => {
        write(current());
        writeFileSync(prebuiltFileFor(yaml, bundled, prebuilt)!, '{"format": "skyql-prebuilt-registry/1", "document"');
      },
    ],
    ['no prebuilt file', () => writeFileSync(yaml, source)],
  ])('does not answer when %s (the YAML is read instead)', (_, setUp) => {
    setUp();
    expect(readPrebuilt(yaml, checksum, bundled, prebuilt)).toBeUndefined();
  });

  it('answers only for YAML documents inside the bundled registry: a user registry keeps its own documents', () => {
    expect(prebuiltFileFor(join(bundled, 'acme', 'service.yaml'), bundled, prebuilt)).toBe(join(prebuilt, 'acme', 'service.yaml.json'));
    for (const other of [
      join(scratch, 'user', 'acme', 'service.yaml'),
      join(bundled, '..', 'acme', 'service.yaml'),
      join(bundled, 'acme', 'notes.txt'),
      bundled,
    ]) {
      expect(prebuiltFileFor(other, bundled, prebuilt)).toBeUndefined();
    }
  });
});

describe('the build output', () => {
  it('holds every bundled document, parsed exactly as the YAML parses (npm run build writes it; npm test builds first)', () => {
    const files = readdirSync(BUNDLED_REGISTRY, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const name of files) {
      const file = join(BUNDLED_REGISTRY, name);
      const yaml = readFileSync(file);
      const prebuilt = readPrebuilt(file, sourceChecksum(yaml));
      expect(prebuilt, `${name}: no current prebuilt document; run npm run build`).toBeDefined();
      expect(prebuilt).toEqual(parseYaml(yaml));
    }
  });
});

describe('an engine on the bundled registry', () => {
  it('reads its documents from the build: it parses no YAML and writes no registry cache entry', async () => {
    const { createEngine } = await import('../../../src/index.ts');
    const cacheDir = mkdtempSync(join(scratch, 'cache-'));
    const engine = createEngine({ cacheDir });
    try {
      const [planned] = engine.plan(
        "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT 'sub', 'rg', 'my-factory', 'my-pipeline'",
      );
      expect(planned.plan.kind).toBe('http');
    } finally {
      await engine.close();
    }
    expect(readdirSync(cacheDir, { recursive: true })).toEqual([]);
  });
});
