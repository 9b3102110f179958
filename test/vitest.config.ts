import { defineConfig } from 'vitest/config';

// Two cores: run test files in two forked workers; integration tests start real servers and real
// clients, so give them room before timing out.
export default defineConfig({
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
