import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Checkpointer, SAFETY_NET_PAGES, START_AFTER_COMMITS } from './checkpointer.js';
import { Store } from './store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gymstack-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const waitFor = async (condition: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the background checkpointer', () => {
  it('starts with the first busy stretch of commits and folds the WAL into the database file meanwhile', async () => {
    const file = join(dir, 'desk.sqlite');
    const store = await Store.open(file);
    try {
      expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_NET_PAGES);
      store.sqlite.exec('create table blobs (b blob not null)');
      const before = statSync(file).size;
      // About 2 MB: far below the safety net, so only the worker can have copied it into the file.
      for (let i = 0; i < START_AFTER_COMMITS; i++) store.transaction(() => store.sqlite.prepare('insert into blobs (b) values (randomblob(32000))').run());
      await waitFor(() => statSync(file).size > before + 1_500_000);
    } finally {
      await store.close();
    }
  });

  it('hands checkpoints back to SQLite when its worker cannot run', async () => {
    const file = join(dir, 'desk.sqlite');
    new BetterSqlite3(file).close();
    const onFailure = vi.fn();
    const checkpointer = new Checkpointer(file, join(dir, 'missing.node'), onFailure);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (let i = 0; i < START_AFTER_COMMITS; i++) checkpointer.committed();
    await waitFor(() => onFailure.mock.calls.length > 0);
    await checkpointer.stop();
    expect(onFailure).toHaveBeenCalledTimes(1);
  });
});
