import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.source.js';

// End-to-end sync: desks against the real cloud as a separate process (cloud-process.ts), through a
// TCP proxy the tests own (tcp-proxy.ts). Postgres as in the cloud suites: DATABASE_URL, else one
// embedded cluster for the run (cloud/test/global-setup.ts); each file makes its own database.
export default defineConfig({
  root: import.meta.dirname,
  ...sourceResolution,
  test: {
    include: ['*.test.ts'],
    globalSetup: ['../../cloud/test/global-setup.ts'],
    pool: 'forks',
    // One file at a time: each runs its own cloud processes, and cuts and restarts are timing-sensitive.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 30_000, interval: 50 } },
  },
});
