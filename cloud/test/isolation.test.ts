import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../src/db/pool.js';
import { API_ROLE, OWNER_ROLE } from '../src/db/roles.js';
import { withTenant } from '../src/db/tenant.js';
import { type SeededGym, seedGym } from './fixtures.js';
import { createTestDatabase, sqlState, type TestDatabase } from './support.js';

/** Row-level security as the database enforces it, below any application code (DESIGN 3 and 5). */
describe('tenant isolation in Postgres', () => {
  let t: TestDatabase;
  let a: SeededGym;
  let b: SeededGym;
  let tenantTables: string[];

  beforeAll(async () => {
    t = await createTestDatabase();
    a = await seedGym(t.api, 'alpha');
    b = await seedGym(t.api, 'beta');
    // Every table with a gym_id column is a tenant table, and so is gyms itself: new tables are covered.
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'gym_id' order by table_name`.execute(t.owner);
    tenantTables = ['gyms', ...rows.map((r) => r.table_name)];
  });
  afterAll(() => t.drop());

  const keyOf = (table: string) => (table === 'gyms' ? 'id' : 'gym_id');

  it('forces row-level security with a policy on every tenant table', async () => {
    const { rows } = await sql<{ relname: string; forced: boolean; enabled: boolean; policies: number }>`
      select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid and p.polname = 'tenant_isolation') as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any(${tenantTables})`.execute(t.owner);
    expect(rows).toHaveLength(tenantTables.length);
    for (const row of rows) expect(row, row.relname).toMatchObject({ enabled: true, forced: true, policies: 1 });
  });

  it("has no other policy than the look-ups': SELECT only, for the owner role only (migrations 2026_11_22_0002, 2026_11_25_0002)", async () => {
    const { rows } = await sql<{ polname: string; cmd: string; roles: string[] }>`
      select p.polname, p.polcmd::text as cmd, array(select rolname from pg_roles where oid = any(p.polroles))::text[] as roles
      from pg_policy p where p.polname <> 'tenant_isolation'`.execute(t.owner);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toEqual({ polname: expect.stringMatching(/^(auth|notification)_lookup$/), cmd: 'r', roles: [OWNER_ROLE] });
  });

  it('shows the API role nothing more when it turns the look-up flag on itself', async () => {
    const { rows } = await t.api.transaction().execute(async (trx) => {
      await sql`select set_config('app.auth_lookup', 'on', true), set_config('app.notification_lookup', 'on', true)`.execute(trx);
      return sql<{ n: number }>`select (select count(*) from staff) + (select count(*) from devices) + (select count(*) from refresh_tokens)
        + (select count(*) from gyms) + (select count(*) from notifications) as n`.execute(trx);
    });
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('connects the API as a role that owns nothing and cannot bypass RLS', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
      select r.rolsuper, r.rolbypassrls,
             (select count(*)::int from pg_class where relowner = r.oid)
           + (select count(*)::int from pg_proc where proowner = r.oid)
           + (select count(*)::int from pg_namespace where nspowner = r.oid)
           + (select count(*)::int from pg_database where datdba = r.oid) as owned
      from pg_roles r where r.rolname = ${API_ROLE}`.execute(t.owner);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, owned: 0 }]);
  });

  it("shows the API role only its own gym's rows in every tenant table", async () => {
    await withTenant(t.api, a.scope, async (trx) => {
      for (const table of tenantTables) {
        const { rows } = await sql<{ key: string }>`select ${sql.ref(keyOf(table))}::text as key from ${sql.table(table)}`.execute(trx);
        expect(rows.length, table).toBeGreaterThan(0);
        expect(new Set(rows.map((r) => r.key)), table).toEqual(new Set([a.scope.gymId]));
      }
    });
  });

  it('shows nothing without app.gym_id, also on a connection that had a tenant before', async () => {
    // One connection, so the unscoped reads reuse the one that ran a scoped transaction (where the
    // setting reads back as '' rather than NULL).
    const single = createDb(createPool(t.urls.api, { max: 1 }));
    try {
      await withTenant(single, b.scope, (trx) => trx.selectFrom('members').select('id').execute());
      for (const table of tenantTables) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(single);
        expect(rows[0]?.n, table).toBe(0);
      }
    } finally {
      await single.destroy();
    }
  });

  it("rejects writing a row into another gym, and cannot touch the other gym's rows", async () => {
    const intruding = withTenant(t.api, a.scope, (trx) =>
      trx.insertInto('branches').values({ gym_id: b.scope.gymId, id: uuid(), name: 'Sneaky', address: null, phone: null }).execute(),
    );
    expect(await sqlState(intruding)).toBe('42501');

    const updated = await withTenant(t.api, a.scope, (trx) =>
      trx.updateTable('members').set({ full_name: 'Renamed' }).where('id', '=', b.memberId).executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(0n);
  });

  it('keeps the audit log append-only: the API lacks the grant, and a trigger stops even the owner', async () => {
    const apiUpdate = withTenant(t.api, a.scope, (trx) => trx.updateTable('audit_log').set({ action: 'forged' }).execute());
    expect(await sqlState(apiUpdate)).toBe('42501');
    const apiDelete = withTenant(t.api, a.scope, (trx) => trx.deleteFrom('audit_log').execute());
    expect(await sqlState(apiDelete)).toBe('42501');

    // The owner is scoped to gym A so RLS lets it see the rows; the trigger then refuses each change.
    const ownerUpdate = withTenant(t.owner, a.scope, (trx) => trx.updateTable('audit_log').set({ action: 'forged' }).execute());
    expect(await sqlState(ownerUpdate)).toBe('23001');
    const ownerDelete = withTenant(t.owner, a.scope, (trx) => trx.deleteFrom('audit_log').execute());
    expect(await sqlState(ownerDelete)).toBe('23001');
    expect(await sqlState(sql`truncate audit_log`.execute(t.owner))).toBe('23001');
  });

  it('reads bigint paise as numbers and business dates as YYYY-MM-DD text', async () => {
    const payment = await withTenant(t.api, a.scope, (trx) => trx.selectFrom('payments').select(['amount_paise', 'received_on', 'received_at']).executeTakeFirstOrThrow());
    expect(payment).toEqual({ amount_paise: 150_000, received_on: '2026-11-01', received_at: expect.any(Date) });
  });

  it('binds the gym id: SQL in it is only a failed uuid cast', async () => {
    const scope = { ...a.scope, gymId: "x'; drop table members; --" };
    expect(await sqlState(withTenant(t.api, scope, (trx) => trx.selectFrom('members').select('id').execute()))).toBe('22P02');
    const { rows } = await sql<{ exists: boolean }>`select to_regclass('public.members') is not null as exists`.execute(t.owner);
    expect(rows[0]?.exists).toBe(true);
  });
});
