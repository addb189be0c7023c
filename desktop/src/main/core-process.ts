/**
 * Entry of the utility process that hosts the desk core, keeping SQLite work off the main process.
 * Plain Node apart from `process.parentPort`, its link to the main process.
 */
/// <reference types="electron" />
import { openCore } from '../core/index.js';
import { serveOverChannel } from '../core/transport/channel.js';

const dataDir = process.env.GYMSTACK_DATA_DIR;
if (!dataDir) throw new Error('GYMSTACK_DATA_DIR is not set');

// The main process hands over the secret it keeps with safeStorage; nothing else in this process needs it.
const secret = process.env.GYMSTACK_DESK_SECRET;
delete process.env.GYMSTACK_DESK_SECRET;

// start.ts fetches a better-sqlite3 build for Electron's ABI; a packaged app has it rebuilt in place.
const core = await openCore({ dataDir, sqliteBinding: process.env.GYMSTACK_SQLITE_BINDING, ...(secret ? { deskSecret: Buffer.from(secret, 'base64') } : {}) });
const parent = process.parentPort;
// Calls sent while the core was opening wait in the port's queue until this listener starts it.
serveOverChannel(core, { post: (m) => parent.postMessage(m), onMessage: (l) => parent.on('message', (e) => l(e.data)) });

// The main process stops us with SIGTERM on quit: close the database cleanly (WAL checkpoint).
process.once('SIGTERM', () => void core.close().finally(() => process.exit(0)));
