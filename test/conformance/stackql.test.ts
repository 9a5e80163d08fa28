// StackQL conformance: for each registry vintage, pull `../shared/stackql-registry/<vintage>` from a
// file:// registry into a fresh user registry, plan every corpus statement of that vintage (and
// those of no vintage) with its vars, and sort each into: StackQL's request (compared with
// stackql-methods.json where it covers the method), planned (the method StackQL's docs name; the
// oracle does not cover it), answered from the registry, planned but different (must be none), or
// failed, by category. The table and the pass rate are printed; floors keep them from going down.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { createEngine, type Engine } from '../../src/index.ts';
import { needsShared, sharedDocumentCache, sharedPath } from '../helpers/shared.ts';
import { classify, type Outcome } from './stackql/classify.ts';
import { readCorpus, readOracle, statementsOf, type CorpusEntry, type Vintage } from './stackql/corpus.ts';
import { passRate, renderTable, tally, type Tally } from './stackql/report.ts';

const shared = needsShared('StackQL conformance: the corpus and the StackQL registries');

/** Where each vintage's registry is, in the shared folder. */
const VINTAGES: Readonly<Record<Vintage, string>> = { 2025: '2025-09', 2026: '2026-08' };

/** What the suite reached when this floor was set: it may only go up. */
const FLOORS = {
  /** Statements of the corpus (537) that plan StackQL's request or get StackQL's answer, in their vintage's run. */
  passed: 373,
  2025: 294,
  2026: 132,
};

shared.describe('StackQL conformance', () => {
  const outcomes = new Map<Vintage, Map<string, Outcome>>();
  let corpus: CorpusEntry[];
  const folders: string[] = [];

  beforeAll(async () => {
    corpus = readCorpus(sharedPath('conformance/stackql/corpus.jsonl'));
    const oracle = readOracle(sharedPath('conformance/stackql/stackql-methods.json'));
    for (const vintage of Object.keys(VINTAGES) as Vintage[]) {
      const engine = await pulledEngine(vintage, folders);
      outcomes.set(vintage, new Map(statementsOf(corpus, vintage).map((entry) => [entry.id, classify(engine, entry, oracle, vintage)])));
      await engine.close();
    }
  }, 600_000);

  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  shared.it('plans no statement with a request StackQL would not send', () => {
    const different = [...outcomes].flatMap(([vintage, byId]) =>
      [...byId].filter(([, outcome]) => outcome.kind === 'different').map(([id, outcome]) => `${vintage} ${id}: ${(outcome as { why: string }).why}`),
    );
    expect(different).toEqual([]);
  });

  shared.it("prints each vintage's table and keeps its floor", () => {
    for (const [vintage, byId] of outcomes) {
      const counts = tally(byId.values());
      console.log(`\nStackQL conformance, ${VINTAGES[vintage]} registry (${byId.size} statements: vintage ${vintage} and none)\n${renderTable(counts)}`);
      expect(passed(counts)).toBeGreaterThanOrEqual(FLOORS[vintage]);
    }
  });

  shared.it('prints the corpus pass rate and keeps its floor', () => {
    const best = bestOutcomes(corpus, outcomes);
    const counts = tally(best.values());
    const rate = passRate(counts, corpus.length);
    console.log(
      `\nStackQL conformance, all ${corpus.length} statements (each in its vintage; a statement of no vintage in the run it does best in)\n${renderTable(counts)}\npass rate: ${rate.passed} of ${corpus.length} (${rate.percent.toFixed(1)} %)`,
    );
    expect(rate.passed).toBeGreaterThanOrEqual(FLOORS.passed);
  });
});

/** An engine whose user registry holds the vintage's providers, pulled from a file:// registry. */
async function pulledEngine(vintage: Vintage, folders: string[]): Promise<Engine> {
  const root = mkdtempSync(join(tmpdir(), `skyql-conformance-${vintage}-`));
  folders.push(root);
  const source = sharedPath('stackql-registry', VINTAGES[vintage]);
  const engine = createEngine({ userRegistry: join(root, 'providers'), cacheDir: sharedDocumentCache(), registry: { url: pathToFileURL(source).href } });
  for (const provider of ['azure', 'github']) {
    if (existsSync(join(source, provider))) await engine.query(`REGISTRY PULL ${provider}`);
  }
  return engine;
}

function passed(counts: Tally): number {
  return (counts.get('same') ?? 0) + (counts.get('planned') ?? 0) + (counts.get('answered') ?? 0);
}

const RANK: Readonly<Record<Outcome['kind'], number>> = { same: 0, planned: 1, answered: 2, failed: 3, different: 4 };

/** Each statement's outcome in its vintage's run; one of no vintage takes its best run (a difference in any run counts). */
function bestOutcomes(corpus: readonly CorpusEntry[], outcomes: ReadonlyMap<Vintage, ReadonlyMap<string, Outcome>>): Map<string, Outcome> {
  const best = new Map<string, Outcome>();
  for (const entry of corpus) {
    // The later vintage first: of two failures, its category is the one to read.
    const runs = [...outcomes.values()]
      .reverse()
      .map((byId) => byId.get(entry.id))
      .filter((outcome): outcome is Outcome => outcome !== undefined);
    const different = runs.find((outcome) => outcome.kind === 'different');
    best.set(entry.id, different ?? [...runs].sort((a, b) => RANK[a.kind] - RANK[b.kind])[0]);
  }
  return best;
}
