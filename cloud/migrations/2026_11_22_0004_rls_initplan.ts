import { type Kysely, sql } from 'kysely';

// Frozen once landed. The tenant policies compare each row with `(select current_gym_id())` rather than
// `current_gym_id()`. The function is inlined to `nullif(current_setting('app.gym_id', true), '')::uuid`,
// which a sequential scan or a filter evaluated once per row: a settings look-up and a uuid parse for
// every row read. An uncorrelated sub-select is an InitPlan instead, run once per statement, and every
// row is compared with its result like a bound parameter (which index scans use as before). Which rows
// a policy admits is unchanged: the same function decides, and unset still matches nothing.
//
// Measured on the member list with a status filter (5,000 members, issue 3 `cloud.rls_overhead`): the
// same SQL took 1.14× as long under RLS as with the tenancy as a plain WHERE; 1.02× after this.

const KEYED_BY_ID = new Set(['gyms']);

/** Every table with the tenant policy (the initial migration's list), as this migration finds them. */
async function tenantTables(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_policies where schemaname = 'public' and policyname = 'tenant_isolation' order by tablename`.execute(db);
  return rows.map((r) => r.tablename);
}

async function setPolicies(db: Kysely<unknown>, gym: string): Promise<void> {
  for (const table of await tenantTables(db)) {
    const check = `${KEYED_BY_ID.has(table) ? 'id' : 'gym_id'} = ${gym}`;
    await sql.raw(`alter policy tenant_isolation on ${table} using (${check}) with check (${check})`).execute(db);
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await setPolicies(db, '(select current_gym_id())');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setPolicies(db, 'current_gym_id()');
}
