import { type Kysely, sql } from 'kysely';

// Frozen once landed. Gym-wide front-desk rules the cloud applies the same way the desk does (the
// desk's defaults), and the counter behind member codes the cloud assigns.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gyms
      add column anti_passback_minutes integer not null default 5 check (anti_passback_minutes between 0 and 1440),
      add column auto_checkout_hours integer not null default 4 check (auto_checkout_hours between 1 and 24),
      add column dues_block_paise bigint check (dues_block_paise >= 0),
      add column grace_days integer not null default 3 check (grace_days between 0 and 60),
      add column expiring_within_days integer not null default 7 check (expiring_within_days between 1 and 60),
      add column member_code_seq bigint not null default 1000 check (member_code_seq >= 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gyms
      drop column anti_passback_minutes,
      drop column auto_checkout_hours,
      drop column dues_block_paise,
      drop column grace_days,
      drop column expiring_within_days,
      drop column member_code_seq`.execute(db);
}
