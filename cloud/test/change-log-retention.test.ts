/**
 * The change log's retention (DESIGN 6): a sweep compacts, in each gym written to since the last one,
 * the entries older than the retention, and raises that gym's floor; other gyms are left alone.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { ChangeLogRetention } from '../src/sync/change-log-retention.js';
import { type SeededGym, seedGym } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './support.js';

let t: TestDatabase;
let a: SeededGym;
let b: SeededGym;

beforeAll(async () => {
  t = await createTestDatabase();
  [a, b] = [await seedGym(t.api, 'retain-a'), await seedGym(t.api, 'retain-b')];
});
afterAll(() => t.drop());

/** Makes the gym's oldest `n` log entries 40 days old; returns the newest position aged. */
const age = (gym: SeededGym, n: number) =>
  withTenant(t.owner, gym.scope, async (trx) => {
    const { rows } = await sql<{ pos: string }>`update change_log set at = now() - interval '40 days'
      where pos in (select pos from change_log order by pos limit ${n}) returning pos::text`.execute(trx);
    return Math.max(...rows.map((r) => Number(r.pos)));
  });

const state = (gym: SeededGym) =>
  withTenant(t.owner, gym.scope, async (trx) => {
    const { rows } = await sql<{ floor: string; min: string | null; n: string }>`
      select (select floor from change_log_head)::text as floor, min(pos)::text as min, count(*)::text as n from change_log`.execute(trx);
    const row = rows[0];
    return { floor: Number(row?.floor), oldest: row?.min == null ? null : Number(row.min), entries: Number(row?.n) };
  });

describe('change log retention', () => {
  it('compacts what is older than the retention in the gyms written to, and only there', async () => {
    const before = { a: await state(a), b: await state(b) };
    expect(before.a.entries).toBeGreaterThan(3);
    const agedA = await age(a, 3);
    await age(b, 3);

    const retention = new ChangeLogRetention(t.api, 30);
    retention.wrote(a.scope);
    await retention.sweep();

    const after = { a: await state(a), b: await state(b) };
    expect(after.a).toEqual({ floor: agedA, oldest: agedA + 1, entries: before.a.entries - 3 });
    expect(after.b).toEqual(before.b);

    // The next sweep has nothing noted: even gym B's old entries stay until one of its requests writes.
    await retention.sweep();
    expect(await state(b)).toEqual(before.b);
  });

  it('keeps everything younger than the retention', async () => {
    const before = await state(b);
    const retention = new ChangeLogRetention(t.api, 60);
    retention.wrote(b.scope);
    await retention.sweep();
    expect(await state(b)).toEqual(before);
  });
});
