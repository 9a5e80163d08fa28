import { defineConfig } from 'vitest/config';

// npm run test:all sets SKYQL_TEST_LONG=1: the randomised tests run ten times as many rounds
// (test/helpers/rounds.ts), and a single test may take minutes.
const LONG_RUN = process.env.SKYQL_TEST_LONG === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: LONG_RUN ? 600_000 : 20_000,
    // Test files reuse their worker's modules instead of each loading its own: measured on the
    // 2-core machine, 31 s instead of 44 s for the whole suite, with the same results over
    // shuffled file orders. The engine's module-level caches are then shared by the files of a
    // worker, as by the statements of a long-running process. A test that needs fresh modules
    // belongs in a project of its own with isolate: true.
    isolate: false,
  },
});
