import { defineConfig } from 'vitest/config';
import { sourceResolution } from './vitest.source.js';

// Unit, property and handler tests sit beside the code; integration suites live in test/ folders
// with their own configs, and browser tests in e2e/.
export default defineConfig({
  ...sourceResolution,
  test: {
    include: ['{shared,native-bridge,desktop,cloud}/src/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
