import { type Kysely, sql } from 'kysely';

// Frozen once landed. Invoice numbers a desk printed on a payment the cloud refused (DESIGN 3: a desk's
// series is gap-free, and the desk never reuses a number). The cloud takes such a number into the desk's
// series as void, so the desk's later numbers still follow, and keeps here what the desk recorded with
// it (amount, method, reference, when) and why it was refused, so the owner can account for the money
// and the gap. Append-only, under the same forced RLS as every tenant table. Not synced.

const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `create table voided_invoice_numbers (
       gym_id uuid not null references gyms (id),
       id uuid not null,
       series_id uuid not null,
       number text not null check (number ~ '^[A-Z0-9/-]{1,16}$'),
       device_id uuid not null,
       mutation_id uuid,
       seq bigint check (seq > 0),
       method text not null check (method in ('cash', 'upi_offline', 'card_terminal')),
       reference text,
       amount_paise bigint not null check (amount_paise > 0),
       received_at timestamptz not null,
       received_on date not null,
       error_code text not null,
       error_message text not null,
       created_at timestamptz not null default now(),
       primary key (gym_id, id),
       unique (gym_id, number),
       foreign key (gym_id, series_id) references invoice_series (gym_id, id),
       foreign key (gym_id, device_id) references devices (gym_id, id),
       foreign key (gym_id, mutation_id) references sync_mutations (gym_id, mutation_id)
     )`,
    'create index voided_invoice_numbers_on on voided_invoice_numbers (gym_id, received_on)',
    'alter table voided_invoice_numbers enable row level security',
    'alter table voided_invoice_numbers force row level security',
    `create policy tenant_isolation on voided_invoice_numbers using ${tenant} with check ${tenant}`,
    `grant select, insert on voided_invoice_numbers to ${API_ROLE}`,
    `create trigger voided_invoice_numbers_append_only before update or delete on voided_invoice_numbers for each row execute function reject_append_only_change()`,
    `create trigger voided_invoice_numbers_no_truncate before truncate on voided_invoice_numbers for each statement execute function reject_append_only_change()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['drop table voided_invoice_numbers']);
}
