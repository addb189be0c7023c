import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../vitest.source.js';

// End-to-end: the built renderer in Debian's Chromium against browser mode (DESIGN 4). Each test
// file gets its own demo desk, server and browser (see desk.ts); global-setup.ts builds the renderer.
export default defineConfig({
  root: import.meta.dirname,
  ...sourceResolution,
  test: {
    include: ['*.test.ts'],
    globalSetup: ['global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    // Tests wait on conditions with expect.poll (never fixed sleeps); give a busy machine time.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    // Seeding a demo desk and starting Chromium; the renderer build itself runs in global setup.
    hookTimeout: 120_000,
  },
});
