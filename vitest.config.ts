import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // CI reads the pass/fail counts from a JSON report (.ci/run prints `N passed, N failed`).
    reporters:
      process.env['CI'] === undefined
        ? ['default']
        : ['default', ['json', { outputFile: '.ci-results.json' }]],
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false, // one PostgreSQL, real servers, crash loops: run files serially
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
