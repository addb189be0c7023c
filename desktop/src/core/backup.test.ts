import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUPS_KEPT, backupDir, backupIfDue, rotateBackups } from './backup.js';
import { addDays } from '@gymstack/shared';
import { type TestDesk, createTestDesk } from './testing/desk.js';

const dirs: string[] = [];
let desk: TestDesk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('daily backups', () => {
  it('writes today’s backup once, as a readable copy of the database', async () => {
    desk = await createTestDesk();
    await desk.createMember({ fullName: 'Backed Up' });
    const db = desk.sqlite();
    const dir = join(desk.dataDir, 'manual-backups');
    const file = await backupIfDue(db, dir, '2026-11-21');
    expect(file).toBe(join(dir, 'desk-2026-11-21.sqlite'));
    expect(await backupIfDue(db, dir, '2026-11-21')).toBeNull();
    const copy = new BetterSqlite3(file!, { readonly: true });
    expect(copy.prepare('select full_name from members').all()).toEqual([{ full_name: 'Backed Up' }]);
    copy.close();
  });

  it('makes one when the core opens', async () => {
    const { core, dataDir } = await createTestDesk();
    dirs.push(dataDir);
    await core.close(); // waits for the backup started at open
    expect(existsSync(join(backupDir(dataDir), 'desk-2026-11-21.sqlite'))).toBe(true);
  });

  it('keeps only the newest 14', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gymstack-backups-'));
    dirs.push(dir);
    const days = Array.from({ length: 20 }, (_, i) => addDays('2026-11-01', i));
    for (const day of days) writeFileSync(join(dir, `desk-${day}.sqlite`), '');
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    await rotateBackups(dir);
    expect(readdirSync(dir).sort()).toEqual([...days.slice(-BACKUPS_KEPT).map((d) => `desk-${d}.sqlite`), 'notes.txt']);
  });
});
