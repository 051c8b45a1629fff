import { defineConfig } from 'vitest/config';

// Code under test starts its own worker threads from the compiled dist/ files
// (Node 20 cannot start a .ts worker), so `npm test` builds first (pretest) and
// every test file runs in its own forked process.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
