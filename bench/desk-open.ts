/**
 * One cold start of the desk core, run by bench/desk.ts in a fresh process: a new V8 heap, no
 * statement cache and (where the OS allows) the database evicted from the page cache beforehand.
 * Prints one JSON line: how long importing the core took, and how long from `openCore` until the
 * first handler (`auth/staff`, what the login screen asks first) answered.
 * Usage: node --import tsx --conditions=gymstack-source bench/desk-open.ts <dataDir> <nowIso>
 */
import { performance } from 'node:perf_hooks';

const [dataDir, nowIso] = process.argv.slice(2);
if (!dataDir || !nowIso) throw new Error('usage: desk-open.ts <dataDir> <nowIso>');
const now = new Date(nowIso);

const importStart = performance.now();
const { openCore } = await import('@gymstack/desktop/core');
const openStart = performance.now();
const core = await openCore({ dataDir, now: () => now });
const reply = await core.dispatch('auth/staff', {});
const answered = performance.now();
if (!reply.ok) throw new Error(`auth/staff failed: ${reply.error.message}`);

console.log(JSON.stringify({ importMs: openStart - importStart, openMs: answered - openStart, sinceProcessStartMs: answered }));
// The daily backup openCore started would copy the whole database before close() returns; a cold
// start measurement has no use for it, and WAL keeps the file consistent without a close.
process.exit(0);
