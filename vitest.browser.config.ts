// Browser tests: Playwright (playwright-core + system Chromium) against the
// built app. One fork, files in sequence: a single browser at a time on a
// 2-core machine keeps timings honest and the runs stable.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    isolate: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
