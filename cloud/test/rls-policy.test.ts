import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support.js';

/**
 * Every tenant table's policy reads the tenant once per statement, `(select current_gym_id())` (an
 * InitPlan), not once per row (migration 2026_11_22_0004): a table added later with the per-row form
 * would bring the RLS overhead back on every scan of it (docs/benchmarks.md, `cloud.rls_overhead`).
 */
describe('tenant policies', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('cover every RLS-forced table and compare with the tenant as a once-per-statement sub-select', async () => {
    const { rows } = await sql<{ table: string; qual: string | null; check: string | null }>`
      select c.relname as table, p.qual, p.with_check as check
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_policies p on p.schemaname = n.nspname and p.tablename = c.relname and p.policyname = 'tenant_isolation'
      where n.nspname = 'public' and c.relkind = 'r' and c.relforcerowsecurity
      order by 1`.execute(t.owner);
    expect(rows.length).toBeGreaterThanOrEqual(19);
    for (const r of rows) {
      const key = r.table === 'gyms' ? 'id' : 'gym_id';
      const expected = `(${key} = ( SELECT current_gym_id() AS current_gym_id))`;
      expect({ table: r.table, qual: r.qual, check: r.check }).toEqual({ table: r.table, qual: expected, check: expected });
    }
  });
});
