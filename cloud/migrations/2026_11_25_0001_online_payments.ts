import { type Kysely, sql } from 'kysely';

// Frozen once landed. Online payments through Razorpay (issue 6), cloud-only (none of these tables syncs):
// - `razorpay_accounts`: a gym's Razorpay key id, with the key secret and the webhook secret sealed with
//   the cloud's key-encryption key (context `${gym_id}:razorpay:key_secret|webhook_secret`).
// - `razorpay_orders`: the orders and payment links the cloud made for a member's purchase or renewal, at
//   the amount quoted; `status` = simulated when the gym has no Razorpay account (DESIGN 5, recorded mode).
// - `razorpay_webhook_events`: one row per webhook event id, inserted first in the event's transaction,
//   so ten concurrent deliveries of one event apply once (the others wait on the key, then find it taken).
// - `payment_reviews`: payments the webhook refused to apply (amount, currency or order mismatch), kept
//   for the owner to look at; such a payment never extends a membership.
// - `refunds` and `credit_notes`: a refund of a Razorpay payment, full or partial, and the GST credit note
//   that references the original invoice, numbered from the cloud's credit-note series.
// Razorpay payments are rows of `payments` with method `razorpay` and the Razorpay payment id as their
// reference, unique per gym, so a payment is recorded once whichever events carry it.

const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

function isolate(table: string, grants: string): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table} using ${tenant} with check ${tenant}`,
    `grant ${grants} on ${table} to ${API_ROLE}`,
  ];
}

function appendOnly(table: string): string[] {
  return [
    `create trigger ${table}_append_only before update or delete on ${table} for each row execute function reject_append_only_change()`,
    `create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function reject_append_only_change()`,
  ];
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `alter table payments drop constraint payments_method_check`,
    `alter table payments add constraint payments_method_check check (method in ('cash', 'upi_offline', 'card_terminal', 'razorpay'))`,
    `alter table payments add constraint payments_razorpay_reference check (method <> 'razorpay' or reference ~ '^pay_[A-Za-z0-9]+$')`,
    `create unique index payments_razorpay on payments (gym_id, reference) where method = 'razorpay'`,

    `create table razorpay_accounts (
       gym_id uuid primary key references gyms (id),
       key_id text not null check (key_id ~ '^rzp_(test|live)_[A-Za-z0-9]+$'),
       key_secret_sealed bytea not null,
       webhook_secret_sealed bytea not null,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now()
     )`,
    ...isolate('razorpay_accounts', 'select, insert, update'),

    `create table razorpay_orders (
       gym_id uuid not null references gyms (id),
       id uuid not null,
       kind text not null check (kind in ('order', 'payment_link')),
       sale text not null check (sale in ('sell', 'renew')),
       branch_id uuid not null,
       member_id uuid not null,
       plan_id uuid not null,
       amount_paise bigint not null check (amount_paise > 0),
       currency text not null check (currency ~ '^[A-Z]{3}$'),
       status text not null check (status in ('created', 'simulated', 'paid')),
       razorpay_id text check (razorpay_id ~ '^(order|plink)_[A-Za-z0-9]+$'),
       razorpay_order_id text check (razorpay_order_id ~ '^order_[A-Za-z0-9]+$'),
       short_url text,
       payment_id uuid,
       membership_id uuid,
       created_by uuid,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       primary key (gym_id, id),
       check ((status = 'simulated') = (razorpay_id is null)),
       check ((status = 'paid') = (payment_id is not null)),
       foreign key (gym_id, branch_id) references branches (gym_id, id),
       foreign key (gym_id, member_id) references members (gym_id, id),
       foreign key (gym_id, plan_id) references plans (gym_id, id),
       foreign key (gym_id, payment_id) references payments (gym_id, id),
       foreign key (gym_id, membership_id) references memberships (gym_id, id)
     )`,
    `create unique index razorpay_orders_razorpay_id on razorpay_orders (gym_id, razorpay_id)`,
    `create unique index razorpay_orders_razorpay_order_id on razorpay_orders (gym_id, razorpay_order_id)`,
    `create index razorpay_orders_member on razorpay_orders (gym_id, member_id, created_at desc)`,
    ...isolate('razorpay_orders', 'select, insert, update'),

    `create table razorpay_webhook_events (
       gym_id uuid not null references gyms (id),
       event_id text not null check (event_id ~ '^[A-Za-z0-9_-]{1,64}$'),
       type text not null,
       outcome text not null check (outcome in ('received', 'applied', 'unmatched', 'review', 'ignored')),
       razorpay_payment_id text,
       payload jsonb not null,
       received_at timestamptz not null default now(),
       primary key (gym_id, event_id)
     )`,
    `create index razorpay_webhook_events_payment on razorpay_webhook_events (gym_id, razorpay_payment_id)`,
    ...isolate('razorpay_webhook_events', 'select, insert, update'),

    `create table payment_reviews (
       gym_id uuid not null references gyms (id),
       id uuid not null,
       event_id text not null,
       reason text not null check (reason in ('amount_mismatch', 'currency_mismatch', 'order_mismatch', 'not_applicable')),
       message text not null,
       razorpay_payment_id text not null,
       razorpay_order_id text,
       order_id uuid,
       amount_paise bigint not null,
       currency text not null,
       created_at timestamptz not null default now(),
       primary key (gym_id, id),
       foreign key (gym_id, event_id) references razorpay_webhook_events (gym_id, event_id),
       foreign key (gym_id, order_id) references razorpay_orders (gym_id, id)
     )`,
    `create index payment_reviews_at on payment_reviews (gym_id, created_at desc)`,
    ...isolate('payment_reviews', 'select, insert'),
    ...appendOnly('payment_reviews'),

    `create table refunds (
       gym_id uuid not null references gyms (id),
       id uuid not null,
       payment_id uuid not null,
       amount_paise bigint not null check (amount_paise > 0),
       reason text,
       status text not null check (status in ('pending', 'processed')),
       razorpay_refund_id text check (razorpay_refund_id ~ '^rfnd_[A-Za-z0-9]+$'),
       staff_id uuid,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       primary key (gym_id, id),
       foreign key (gym_id, payment_id) references payments (gym_id, id),
       foreign key (gym_id, staff_id) references staff (gym_id, id)
     )`,
    `create unique index refunds_razorpay on refunds (gym_id, razorpay_refund_id)`,
    `create index refunds_payment on refunds (gym_id, payment_id)`,
    ...isolate('refunds', 'select, insert, update'),

    `create table credit_notes (
       gym_id uuid not null references gyms (id),
       id uuid not null,
       branch_id uuid not null,
       series_id uuid not null,
       number text not null check (number ~ '^[A-Z0-9/-]{1,16}$'),
       refund_id uuid not null,
       invoice_id uuid not null,
       member_id uuid not null,
       issued_on date not null,
       issued_at timestamptz not null,
       rate_bps integer not null,
       place_of_supply text not null,
       taxable_paise bigint not null check (taxable_paise >= 0),
       cgst_paise bigint not null check (cgst_paise >= 0),
       sgst_paise bigint not null check (sgst_paise >= 0),
       igst_paise bigint not null check (igst_paise >= 0),
       total_paise bigint not null check (total_paise = taxable_paise + cgst_paise + sgst_paise + igst_paise),
       created_at timestamptz not null default now(),
       primary key (gym_id, id),
       unique (gym_id, number),
       unique (gym_id, refund_id),
       foreign key (gym_id, branch_id) references branches (gym_id, id),
       foreign key (gym_id, series_id) references invoice_series (gym_id, id),
       foreign key (gym_id, refund_id) references refunds (gym_id, id),
       foreign key (gym_id, invoice_id) references invoices (gym_id, id),
       foreign key (gym_id, member_id) references members (gym_id, id)
     )`,
    ...isolate('credit_notes', 'select, insert'),
    ...appendOnly('credit_notes'),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'drop table credit_notes',
    'drop table refunds',
    'drop table payment_reviews',
    'drop table razorpay_webhook_events',
    'drop table razorpay_orders',
    'drop table razorpay_accounts',
    'drop index payments_razorpay',
    'alter table payments drop constraint payments_razorpay_reference',
    'alter table payments drop constraint payments_method_check',
    `alter table payments add constraint payments_method_check check (method in ('cash', 'upi_offline', 'card_terminal'))`,
  ]);
}
