import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.source.js';

// Integration suites against a real Postgres: DATABASE_URL when set (CI: the machine's PostgreSQL 15),
// else one embedded cluster for the whole run (global-setup.ts). Each file makes its own database.
export default defineConfig({
  root: import.meta.dirname,
  ...sourceResolution,
  test: {
    include: ['*.test.ts'],
    globalSetup: ['global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
