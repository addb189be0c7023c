import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { LocalDate } from '@gymstack/shared';

export const BACKUPS_KEPT = 14;
const CHECK_EVERY_MS = 60 * 60 * 1000;
const BACKUP_FILE = /^desk-\d{4}-\d{2}-\d{2}\.sqlite$/;

export const backupDir = (dataDir: string) => join(dataDir, 'backups');

/** Deletes all but the newest `BACKUPS_KEPT` daily backups (their names sort by date). */
export async function rotateBackups(dir: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => BACKUP_FILE.test(f)).sort().reverse();
  await Promise.all(files.slice(BACKUPS_KEPT).map((f) => rm(join(dir, f), { force: true })));
}

/**
 * Writes today's backup if it is not there yet, then rotates. The copy goes to a temporary name
 * and is renamed when complete, so a crash never leaves a truncated file that looks like a backup.
 */
export async function backupIfDue(sqlite: BetterSqlite3.Database, dir: string, today: LocalDate): Promise<string | null> {
  const name = `desk-${today}.sqlite`;
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).includes(name)) return null;
  const file = join(dir, name);
  await sqlite.backup(`${file}.partial`);
  await rename(`${file}.partial`, file);
  await rotateBackups(dir);
  return file;
}

/** Daily backups: one at open, then a check every hour; the timer never keeps the process alive. */
export function startBackups(sqlite: BetterSqlite3.Database, dataDir: string, today: () => LocalDate): { stop(): Promise<void> } {
  const dir = backupDir(dataDir);
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running
      .then(() => backupIfDue(sqlite, dir, today()))
      .catch((error: unknown) => console.error('desk backup failed', error));
  };
  run();
  const timer = setInterval(run, CHECK_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
