/**
 * A real desk core for the sync bench, in this process: its own data dir, its own network (a fetch
 * the bench can take offline, which also times every push request), and a clock the bench can move.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { type Core, openCore, type SyncStatus } from '@gymstack/desktop/core';
import { DB_FILE } from '../../desktop/src/core/init.js';

/** One `POST /sync/push` as the desk saw it: entries sent, and the time until the answer's headers. */
export interface PushTiming {
  entries: number;
  startedAt: number;
  ms: number;
  status: number;
}

/**
 * The desk's way to the cloud. Offline, every new request fails at once as a dead network does
 * (`TypeError: fetch failed`); requests already under way (live long polls) run to their end.
 */
export class DeskNetwork {
  online = true;
  /** false: shape requests (the downloads) fail as if offline, pushes go through (a diagnostic). */
  shapes = true;
  readonly pushes: PushTiming[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!this.online || (!this.shapes && new URL(url).pathname === '/v1/shape')) {
      throw new TypeError('fetch failed', { cause: new Error('the bench took this desk offline') });
    }
    if (!url.endsWith('/api/v1/sync/push')) return fetch(input, init);
    const entries = typeof init?.body === 'string' ? ((JSON.parse(init.body) as { entries?: unknown[] }).entries?.length ?? 0) : 0;
    const startedAt = performance.now();
    const response = await fetch(input, init);
    this.pushes.push({ entries, startedAt, ms: performance.now() - startedAt, status: response.status });
    return response;
  };
}

export interface BenchDesk {
  core: Core;
  dataDir: string;
  network: DeskNetwork;
  /** Added to the real time on the desk's clock. */
  clockShiftMs: number;
  status(): Promise<SyncStatus>;
  /** A read-only second connection to the desk's file. */
  sqlite(): BetterSqlite3.Database;
  /** Signs the owner in with their desk PIN (the handlers that write need a session). */
  login(pin: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens an empty desk (not yet paired). */
export async function openBenchDesk(label: string): Promise<BenchDesk> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `gymstack-sync-bench-${label}-`));
  const network = new DeskNetwork();
  const connections: BetterSqlite3.Database[] = [];
  const desk: BenchDesk = {
    core: undefined as unknown as Core,
    dataDir,
    network,
    clockShiftMs: 0,
    status: () => desk.core.call('sync/status', {}),
    sqlite() {
      const db = new BetterSqlite3(path.join(dataDir, DB_FILE), { readonly: true });
      connections.push(db);
      return db;
    },
    async login(pin) {
      const owner = (await desk.core.call('auth/staff', {})).find((s) => s.role === 'owner');
      if (!owner) throw new Error('No owner on the desk');
      await desk.core.call('auth/login', { staffId: owner.id, pin });
    },
    async close() {
      for (const db of connections) db.close();
      await desk.core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  desk.core = await openCore({ dataDir, fetch: network.fetch, now: () => new Date(Date.now() + desk.clockShiftMs) });
  return desk;
}

/** Resolves once `check` holds, looking each time the desk emits a sync event and every `pollMs`; rejects after `timeoutMs`. */
export function until(desk: BenchDesk, check: () => Promise<boolean>, timeoutMs: number, what: string, pollMs = 50): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    let looking = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      off();
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const look = () => {
      if (done || looking) return;
      looking = true;
      check().then(
        (ok) => {
          looking = false;
          if (ok) finish();
        },
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
    };
    const off = desk.core.onEvent((e) => {
      if (e.type === 'sync') look();
    });
    const poll = setInterval(look, pollMs);
    const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    look();
  });
}

/** Everything pushed and every table up to date. */
export const settled = (desk: BenchDesk, timeoutMs = 120_000) =>
  until(desk, async () => {
    const s = await desk.status();
    return s.state === 'online' && s.pending === 0;
  }, timeoutMs, 'the desk to be online with nothing to push');
