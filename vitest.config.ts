import { defineConfig } from 'vitest/config';

// Unit, property and handler tests sit beside the code; integration suites live in test/ folders
// with their own configs, and browser tests in e2e/.
export default defineConfig({
  resolve: { conditions: ['gymstack-source'] },
  ssr: { resolve: { conditions: ['gymstack-source'] } },
  test: {
    include: ['{shared,native-bridge,desktop,cloud}/src/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
