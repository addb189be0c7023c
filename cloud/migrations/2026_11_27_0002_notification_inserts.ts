import { type Kysely, sql } from 'kysely';

// Frozen once landed. The daily scan inserts tens of thousands of notifications at once; two things each
// row paid for bought nothing:
// - the foreign key to `gyms`: the one to `members (gym_id, id)` already implies the gym exists, and
//   checking both took a quarter of the insert's time;
// - indexing rows with no provider message id yet: a look-up by id never asks for those (queued,
//   skipped and cancelled rows never get one).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications drop constraint notifications_gym_id_fkey`.execute(db);
  await sql`drop index notifications_provider_message`.execute(db);
  await sql`create index notifications_provider_message on notifications (gym_id, provider_message_id) where provider_message_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index notifications_provider_message`.execute(db);
  await sql`create index notifications_provider_message on notifications (gym_id, provider_message_id)`.execute(db);
  await sql`alter table notifications add constraint notifications_gym_id_fkey foreign key (gym_id) references gyms (id)`.execute(db);
}
