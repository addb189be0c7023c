import { defineConfig } from 'vitest/config';

// Crash safety: kills a real desk server process, so it runs apart from the unit suite.
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['gymstack-source'] },
  ssr: { resolve: { conditions: ['gymstack-source'] } },
  test: {
    include: ['*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
