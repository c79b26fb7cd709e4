// Tests of the TFLite reference itself (tfjs-tflite in headless Chromium):
// `npx vitest run -c vitest.reference.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/reference/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'threads',
  },
});
