import { type Kysely, sql } from 'kysely';

// Frozen once landed. Payments members make online (Razorpay, through the cloud) reach the desk through
// sync like any other, so `payments.method` may also be `razorpay`. SQLite cannot change a CHECK in
// place: the table is rebuilt with the same columns (as 2026_11_23_0001 left them), indexes and
// append-only trigger.

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function rebuildPayments(db: Kysely<unknown>, methods: readonly string[]): Promise<void> {
  await run(db, [
    `create table payments_rebuilt (
       id text primary key, gym_id text not null references gym (id), branch_id text not null references branches (id),
       created_at text not null, updated_at text not null, deleted_at text,
       member_id text not null references members (id), membership_id text not null references memberships (id),
       method text not null check (method in (${methods.map((m) => `'${m}'`).join(', ')})), reference text,
       amount_paise integer not null check (amount_paise > 0), received_at text not null, received_on text not null,
       staff_id text references staff (id), device_id text, invoice_id text not null)`,
    'insert into payments_rebuilt select * from payments',
    'drop table payments',
    'alter table payments_rebuilt rename to payments',
    'create index payments_membership on payments (membership_id)',
    'create index payments_member on payments (member_id, received_at)',
    'create index payments_day on payments (received_on)',
    `create trigger payments_append_only before update on payments begin select raise(abort, 'payments is append-only'); end`,
  ]);
}

const DESK_METHODS = ['cash', 'upi_offline', 'card_terminal'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuildPayments(db, [...DESK_METHODS, 'razorpay']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rebuildPayments(db, DESK_METHODS);
}
