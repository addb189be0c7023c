import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrateToNothing, pendingMigrations } from '../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from './support.js';

const tableCount = (t: TestDatabase) =>
  sql<{ n: number }>`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`
    .execute(t.owner)
    .then((r) => r.rows[0]?.n);

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.drop());

  it('go up, all the way down, and up again on a fresh database', async () => {
    await migrateToLatest(t.owner);
    expect(await pendingMigrations(t.owner)).toEqual([]);
    const tables = await tableCount(t);
    expect(tables).toBeGreaterThanOrEqual(19);

    await migrateToNothing(t.owner);
    expect(await tableCount(t)).toBe(0);
    const leftovers = await sql<{ proname: string }>`select proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'`.execute(t.owner);
    expect(leftovers.rows).toEqual([]);

    await migrateToLatest(t.owner);
    expect(await tableCount(t)).toBe(tables);
  });
});
