import { type Kysely, sql } from 'kysely';

// Frozen once landed. A refund is asked of Razorpay outside any transaction (refunds.ts), so its row
// exists before Razorpay answers:
// - `requested`: being asked, or asked with no answer (Razorpay may have made it: its refund.processed
//   names the row in its notes and completes it);
// - `failed`: Razorpay refused it, with Razorpay's reason in `error`; it never counts as refunded.
// `pending` and `processed` keep Razorpay's meaning.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table refunds drop constraint refunds_status_check`.execute(db);
  await sql`alter table refunds add constraint refunds_status_check check (status in ('requested', 'pending', 'processed', 'failed'))`.execute(db);
  await sql`alter table refunds add column error text`.execute(db);
}

// Refused while a refund in either new state exists: neither fits the old statuses.
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table refunds drop column error`.execute(db);
  await sql`alter table refunds drop constraint refunds_status_check`.execute(db);
  await sql`alter table refunds add constraint refunds_status_check check (status in ('pending', 'processed'))`.execute(db);
}
