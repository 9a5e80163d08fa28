// Counting conformance outcomes by category, and the table the test prints.

import type { Outcome } from './classify.ts';

export type Tally = Map<string, number>;

const LABELS: Readonly<Record<string, string>> = {
  same: "passed: StackQL's request (method, path, query compared with stackql-methods.json)",
  planned: "passed: planned from StackQL's document, not in the oracle (the method the docs name, where they name one)",
  answered: 'passed: answered from the registry (SHOW, DESCRIBE, REGISTRY)',
  different: "planned but a different request than StackQL's",
};

export function keyOf(outcome: Outcome): string {
  return outcome.kind === 'failed' ? `failed: ${outcome.category}` : outcome.kind;
}

export function tally(outcomes: Iterable<Outcome>): Tally {
  const counts: Tally = new Map();
  for (const outcome of outcomes) counts.set(keyOf(outcome), (counts.get(keyOf(outcome)) ?? 0) + 1);
  return counts;
}

/** Passed rows first, then failures by count. */
export function renderTable(counts: Tally): string {
  const rows = [...counts].sort(([a, countA], [b, countB]) => rank(a) - rank(b) || countB - countA || (a < b ? -1 : 1));
  const width = Math.max(...rows.map(([key]) => (LABELS[key] ?? key).length));
  return rows.map(([key, count]) => `  ${(LABELS[key] ?? key).padEnd(width)}  ${String(count).padStart(4)}`).join('\n');
}

function rank(key: string): number {
  return key === 'same' ? 0 : key === 'planned' ? 1 : key === 'answered' ? 2 : key === 'different' ? 3 : 4;
}

export function passRate(counts: Tally, total: number): { readonly passed: number; readonly percent: number } {
  const passed = (counts.get('same') ?? 0) + (counts.get('planned') ?? 0) + (counts.get('answered') ?? 0);
  return { passed, percent: (100 * passed) / total };
}
