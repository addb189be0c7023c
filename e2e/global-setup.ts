/**
 * Once per e2e run: make sure Chromium is there (fail loudly, never skip), and build the renderer
 * when it was never built or its sources changed since (the same check as `npm start`).
 */
import { existsSync } from 'node:fs';
import { ensureRendererBuilt } from '../scripts/renderer-build.js';
import { CHROMIUM_PATH } from './paths.js';

export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The end-to-end tests need it: install it (Debian: sudo apt-get install chromium) ` +
        'or set CHROMIUM_PATH to a Chromium executable.',
    );
  }
  await ensureRendererBuilt();
}
