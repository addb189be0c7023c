import { type Kysely, sql } from 'kysely';

// Frozen once landed. An online order or payment link keeps the plan as it was quoted (its price,
// duration and tax), so the term Razorpay's webhook sells is the one the member paid for, even if the
// gym changes or archives the plan before the member pays. Orders made before this have none and sell
// the plan as it stands.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table razorpay_orders add column plan jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table razorpay_orders drop column plan`.execute(db);
}
