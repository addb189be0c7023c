import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, migrateToNothing } from './migrate.js';
import { Store } from './store.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const objects = (store: Store) =>
  (store.sqlite.prepare(`select name from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'members_fts_%' order by name`).all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrations', () => {
  it('run at open with WAL, full sync and foreign keys; down removes everything; up again restores it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gymstack-migrate-'));
    const store = await Store.open(join(dir, 'desk.sqlite'));
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = objects(store);
    expect(tables).toEqual(expect.arrayContaining(['members', 'members_fts', 'checkins', 'outbox', 'audit_log', 'invoice_series', 'checkins_member']));
    const db = store.db as unknown as Kysely<unknown>;
    await migrateToNothing(db);
    expect(objects(store)).toEqual([]);
    await migrateToLatest(db);
    expect(objects(store)).toEqual(tables);
    await store.close();
  });
});
