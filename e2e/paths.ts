import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Screenshots for people to look at; gitignored. */
export const ARTIFACTS_DIR = path.join(ROOT, 'e2e', 'artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
