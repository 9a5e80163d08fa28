import { configDefaults, defineConfig } from 'vitest/config';

// npm run test:all sets SKYQL_TEST_LONG=1: the randomised tests run ten times as many rounds
// (test/helpers/rounds.ts), and a single test may take minutes.
const LONG_RUN = process.env.SKYQL_TEST_LONG === '1';

/** Tests that replace a module (vi.mock) need modules of their own. */
const NEEDS_FRESH_MODULES = ['test/security/local-sql.test.ts'];

export default defineConfig({
  test: {
    testTimeout: LONG_RUN ? 600_000 : 20_000,
    projects: [
      {
        extends: true,
        // Test files reuse their worker's modules instead of each loading its own: measured on the
        // 2-core machine, 31 s instead of 44 s for the whole suite, with the same results over
        // shuffled file orders.
        test: { name: 'shared-modules', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...NEEDS_FRESH_MODULES], isolate: false },
      },
      { extends: true, test: { name: 'fresh-modules', include: NEEDS_FRESH_MODULES, isolate: true } },
    ],
  },
});
