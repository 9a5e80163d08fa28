// One round of a differential test: skyql's answer to a statement must be the reference's rows
// (SQLite's over the same data), or one of the coded refusals that mean "cannot be answered as
// written". Anything else fails, with the statement in the message so it can be replayed.

import { expect } from 'vitest';
import { EngineError, type Engine } from '../../src/index.ts';

export interface Round {
  readonly sql: string;
  /** The reference's rows. */
  readonly expected: readonly Record<string, unknown>[];
  /** Rows compared in order (the statement has an ORDER BY that fixes it); otherwise as sets. */
  readonly ordered?: boolean;
}

/** True when skyql answered (and agreed); false when it refused with one of `refusals`. */
export async function agreesOrRefuses(engine: Engine, round: Round, refusals: ReadonlySet<string>): Promise<boolean> {
  const texts = (rows: readonly Record<string, unknown>[]) => {
    const lines = rows.map((row) => JSON.stringify({ ...row }));
    return round.ordered ? lines : lines.sort();
  };
  try {
    const { rows } = await engine.query(round.sql);
    expect(texts(rows), round.sql).toEqual(texts(round.expected));
    return true;
  } catch (error) {
    if (error instanceof EngineError && refusals.has(error.code)) return false;
    throw Object.assign(error as Error, { message: `${(error as Error).message}\n  ${round.sql}` });
  }
}
