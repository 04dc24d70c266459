import { defineConfig } from 'vitest/config';

// The JSON reporter feeds .ci/run's "N passed, N failed" line.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // builds dist/ first when it is missing or stale (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
