// How long the randomised tests (fuzzing, differential tests) search. `npm test` runs their quick
// default; `npm run test:all` sets SKYQL_TEST_LONG=1 and they run ten times as many rounds. A
// test's own variable (SKYQL_WHERE_ROUNDS, …) wins over both, to run longer or shorter at will.

export const LONG_RUN = process.env.SKYQL_TEST_LONG === '1';

/** The rounds to run: the test's own variable when set, else `quick`, or ten times that with SKYQL_TEST_LONG=1. */
export function rounds(quick: number, variable?: string): number {
  const given = variable === undefined ? undefined : process.env[variable];
  if (given === undefined || given === '') return LONG_RUN ? quick * 10 : quick;
  const count = Number(given);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`${variable}=${given}: expected a positive integer`);
  return count;
}

/** mulberry32: a small seeded generator, so a failing case of a randomised test can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
