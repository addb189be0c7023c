/**
 * The baseline of `sync.initial_s`: the rows a first sync stored, loaded the simplest way there is.
 * `dumpSynced` writes every synced table of a desk (each row as the desk stored it, every column) to a
 * JSON file; `loadSynced` reads that file and inserts every row into a fresh desk database through
 * prepared better-sqlite3 statements, in one transaction, with foreign keys off as sync applies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../../desktop/src/core/init.js';
import { SYNCED_TABLES } from '../../desktop/src/core/sync/tables.js';

type Dump = Record<string, Record<string, unknown>[]>;

/** The desk tables sync fills, in the order a first sync reads them. */
export const syncedDeskTables: string[] = [...new Set(SYNCED_TABLES.map((t) => t.desk))];

/** Writes every synced table of `sqlite` to `file`; returns the rows per table. */
export function dumpSynced(sqlite: BetterSqlite3.Database, file: string): Record<string, number> {
  const dump: Dump = {};
  for (const table of syncedDeskTables) dump[table] = sqlite.prepare(`select * from "${table}"`).all() as Record<string, unknown>[];
  writeFileSync(file, JSON.stringify(dump));
  return Object.fromEntries(Object.entries(dump).map(([t, rows]) => [t, rows.length]));
}

/**
 * A fresh desk database in `dataDir` (migrated by openStore, not timed), then, timed: read and parse
 * `file`, insert every row. Returns the seconds that took and the rows inserted.
 */
export async function loadSynced(file: string, dataDir: string): Promise<{ seconds: number; rows: number }> {
  const store = await openStore(dataDir);
  try {
    const { sqlite } = store;
    const started = process.hrtime.bigint();
    const dump = JSON.parse(readFileSync(file, 'utf8')) as Dump;
    let rows = 0;
    sqlite.pragma('foreign_keys = OFF');
    sqlite.transaction(() => {
      for (const [table, list] of Object.entries(dump)) {
        const first = list[0];
        if (!first) continue;
        const columns = Object.keys(first);
        const insert = sqlite.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
        for (const row of list) insert.run(row);
        rows += list.length;
      }
    })();
    sqlite.pragma('foreign_keys = ON');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, rows };
  } finally {
    await store.close();
  }
}
