import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../../../vitest.source.js';

// Crash safety: kills a real desk server process, so it runs apart from the unit suite.
export default defineConfig({
  root: import.meta.dirname,
  ...sourceResolution,
  test: {
    include: ['*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
