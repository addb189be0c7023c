import { type Kysely, sql } from 'kysely';

// Frozen once landed. What the desk needs to sync with the cloud (DESIGN 6):
// - `sync_link`: the pairing (cloud URL, device, gym and branch ids, desk code, the desk's Ed25519 key)
//   and how far the cloud has acknowledged the outbox.
// - `sync_shapes`: per synced table, the Electric handle and offset of the last applied up-to-date batch.
// - `sync_rejections`: mutations the cloud refused for a business reason, until someone resolves them.
// - payments, check-ins and check-outs may come from the cloud without a desk (an online payment, a
//   check-in at the dashboard), so their `device_id` becomes nullable. SQLite cannot relax NOT NULL in
//   place: each table is rebuilt with the same columns, indexes and append-only trigger.

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const common = `id text primary key, gym_id text not null references gym (id), branch_id text not null references branches (id),
  created_at text not null, updated_at text not null, deleted_at text`;

/** The three tables as 0001 made them, with `device_id` nullable (`not null` when `strict`). */
function tables(strict: boolean): { name: string; columns: string; indexes: string[] }[] {
  const device = strict ? 'device_id text not null' : 'device_id text';
  return [
    {
      name: 'payments',
      columns: `${common}, member_id text not null references members (id), membership_id text not null references memberships (id),
        method text not null check (method in ('cash', 'upi_offline', 'card_terminal')), reference text,
        amount_paise integer not null check (amount_paise > 0), received_at text not null, received_on text not null,
        staff_id text references staff (id), ${device}, invoice_id text not null`,
      indexes: [
        'create index payments_membership on payments (membership_id)',
        'create index payments_member on payments (member_id, received_at)',
        'create index payments_day on payments (received_on)',
      ],
    },
    {
      name: 'checkins',
      columns: `${common}, member_id text references members (id), method text not null,
        verdict text not null check (verdict in ('allow', 'deny')), reason text, at text not null, on_date text not null,
        ${device}, staff_id text`,
      indexes: [
        'create index checkins_member on checkins (member_id, at)',
        'create index checkins_at on checkins (at)',
        'create index checkins_day on checkins (on_date, verdict)',
      ],
    },
    {
      name: 'checkouts',
      columns: `${common}, member_id text not null references members (id), at text not null, ${device}, staff_id text`,
      indexes: ['create index checkouts_member on checkouts (member_id, at)'],
    },
  ];
}

async function rebuild(db: Kysely<unknown>, strict: boolean): Promise<void> {
  for (const { name, columns, indexes } of tables(strict)) {
    await run(db, [
      `create table ${name}_rebuilt (${columns})`,
      `insert into ${name}_rebuilt select * from ${name}`,
      `drop table ${name}`,
      `alter table ${name}_rebuilt rename to ${name}`,
      ...indexes,
      `create trigger ${name}_append_only before update on ${name} begin select raise(abort, '${name} is append-only'); end`,
    ]);
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, false);
  await run(db, [
    `create table sync_link (
       id integer primary key check (id = 1),
       cloud_url text not null,
       device_id text not null,
       gym_id text not null,
       branch_id text not null,
       desk_code text not null,
       private_key text not null,
       acked_seq integer not null default 0,
       last_synced_at text,
       paired_at text not null
     )`,
    `create table sync_shapes (
       table_name text primary key,
       handle text not null,
       "offset" text not null,
       updated_at text not null
     )`,
    `create table sync_rejections (
       mutation_id text primary key,
       seq integer not null,
       name text not null,
       args text not null,
       code text not null,
       message text not null,
       created_at text not null,
       rejected_at text not null,
       resolved_at text,
       resolution text check (resolution in ('retry', 'dismiss'))
     )`,
    'create index sync_rejections_open on sync_rejections (rejected_at) where resolved_at is null',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['drop table sync_rejections', 'drop table sync_shapes', 'drop table sync_link']);
  await rebuild(db, true);
}
