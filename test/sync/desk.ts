/**
 * A real desk core for sync tests: its own SQLite file, paired through the first-run handler, and
 * reaching the cloud only through its own TCP proxy, so each desk can be taken offline on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Core, type SyncStatus, openCore } from '../../desktop/src/core/index.js';
import { deviceConfigSchema } from '../../desktop/src/core/devices/contract.js';
import { DB_FILE } from '../../desktop/src/core/init.js';
import type { DeviceConfigInput } from '../../desktop/src/core/testing/desk.js';
import type { CloudProcess } from './cloud-process.js';
import { OWNER_PIN } from './gym.js';
import { type Digests, deskDigests } from './digest.js';
import { type TcpProxy, startProxy } from './tcp-proxy.js';

export interface SyncDesk {
  core: Core;
  dataDir: string;
  proxy: TcpProxy;
  /** A second connection to the desk's file, for assertions. */
  sqlite(): BetterSqlite3.Database;
  /** One read of the desk's file, on a connection of its own that is closed after. */
  read<T>(query: (file: BetterSqlite3.Database) => T): T;
  digests(): Digests;
  status(): Promise<SyncStatus>;
  /**
   * Closes the core and opens it again on the same file (an app restart); `offline` runs in between,
   * while the desk is off: it may edit the file, or wait for something to happen elsewhere.
   */
  restart(offline?: (file: BetterSqlite3.Database) => unknown): Promise<void>;
  /** Closes the core (the desk is off, its proxy stays up); the next restart() opens it again. */
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

export interface DeskOptions {
  /** The desk's clock (a desk whose clock is wrong); the real one by default. */
  now?: () => Date;
  /** How the desk's sync reaches the cloud (through its proxy): to watch or alter its requests. */
  fetch?: typeof fetch;
  /** Called with the desk's proxy before it pairs: to arm a fault for the pairing or the first sync. */
  beforePair?: (proxy: TcpProxy) => void;
  /** The desk's devices (the simulators, say); none by default. */
  devices?: DeviceConfigInput;
}

/** Polls `check` until it holds (returns true) or `timeoutMs` passes; the last failure is rethrown. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pairs a new desk with `code` (from the owner) through its own proxy to `cloud`. */
export async function pairDesk(cloud: CloudProcess, code: string, deskName: string, options: DeskOptions = {}): Promise<SyncDesk> {
  const proxy = await startProxy({ host: '127.0.0.1', port: cloud.port });
  const dataDir = mkdtempSync(join(tmpdir(), 'gymstack-sync-desk-'));
  const open = () => openCore({ dataDir, ...(options.now ? { now: options.now } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  let core = await open();
  let running = true;
  // Written before pairing: the desk reads its device config when the first download opens it.
  if (options.devices) {
    const file = new BetterSqlite3(join(dataDir, DB_FILE));
    try {
      file.prepare('insert into device_config (id, config, updated_at) values (1, ?, ?)').run(JSON.stringify(deviceConfigSchema.parse(options.devices)), new Date().toISOString());
    } finally {
      file.close();
    }
  }
  options.beforePair?.(proxy);
  await core.call('setup/pair', { cloudUrl: proxy.url, code, deskName });
  const connections: BetterSqlite3.Database[] = [];
  const desk: SyncDesk = {
    get core() {
      return core;
    },
    dataDir,
    proxy,
    sqlite() {
      const db = new BetterSqlite3(join(dataDir, DB_FILE), { readonly: true });
      connections.push(db);
      return db;
    },
    read(query) {
      const db = new BetterSqlite3(join(dataDir, DB_FILE), { readonly: true });
      try {
        return query(db);
      } finally {
        db.close();
      }
    },
    digests: () => desk.read(deskDigests),
    status: () => core.call('sync/status', {}),
    async restart(offline) {
      await desk.shutdown();
      if (offline) {
        const file = new BetterSqlite3(join(dataDir, DB_FILE));
        try {
          await offline(file);
        } finally {
          file.close();
        }
      }
      core = await open();
      running = true;
    },
    async shutdown() {
      if (!running) return;
      running = false;
      await core.close();
    },
    async close() {
      for (const db of connections) db.close();
      await desk.shutdown();
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return desk;
}

/** Waits until the desk has pushed everything and every table is up to date. */
export function settled(desk: SyncDesk, timeoutMs = 60_000): Promise<void> {
  return eventually(
    async () => {
      const s = await desk.status();
      return s.state === 'online' && s.pending === 0;
    },
    timeoutMs,
    'the desk to push everything and be up to date',
  );
}

/** Signs the gym's owner in at the desk with the PIN set at sign-up. */
export async function loginOwner(desk: SyncDesk): Promise<void> {
  const [owner] = (await desk.core.call('auth/staff', {})).filter((s) => s.role === 'owner');
  if (!owner) throw new Error('No owner on the desk');
  await desk.core.call('auth/login', { staffId: owner.id, pin: OWNER_PIN });
}
