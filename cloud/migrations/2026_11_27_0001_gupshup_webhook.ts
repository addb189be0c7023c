import { type Kysely, sql } from 'kysely';

// Frozen once landed. Gupshup's webhook (notifications/gupshup-webhook.ts) finds gyms its own way: Gupshup
// sends every gym's messages from the one number the cloud is configured with, so a callback names no
// phone-number id (which is how Meta's webhook finds its gym, 2026_11_25_0002).
//
// - A delivery status names the message: its gym owns the notification with that provider message id.
// - A member's STOP or START names only their phone: it concerns every gym with a live member on that
//   phone, since all of them message it from that number.
//
// Both are look-ups before a gym is known, built like 2026_11_25_0002's: SECURITY DEFINER functions owned
// by the owner role that turn on `app.notification_lookup` around one query. That migration's
// `notification_lookup` policy already admits `notifications`; `members` gets one here. Each has an index
// that does not lead with gym_id, as a cross-gym look-up needs.

const OWNER_ROLE = 'gymstack_owner';
const API_ROLE = 'gymstack_api';
const lookup = `current_setting('app.notification_lookup', true) = 'on'`;

const functions: { signature: string; returns: string; body: string }[] = [
  {
    signature: 'notification_gym_by_provider_message_id(p_provider text, p_message_id text)',
    returns: 'table (gym_id uuid)',
    body: `select distinct n.gym_id from public.notifications n
           where n.provider = p_provider and n.provider_message_id = p_message_id`,
  },
  {
    signature: 'notification_gyms_by_member_phone(p_phone text)',
    returns: 'table (gym_id uuid)',
    body: 'select distinct m.gym_id from public.members m where m.phone = p_phone and m.deleted_at is null',
  },
];

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'create index notifications_provider_message_any_gym on notifications (provider, provider_message_id) where provider_message_id is not null',
    'create index members_phone_any_gym on members (phone) where deleted_at is null',
    `create policy notification_lookup on members for select to ${OWNER_ROLE} using (${lookup})`,
  ]);
  for (const { signature, returns, body } of functions) {
    await run(db, [
      `create function ${signature} returns ${returns} language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
         #variable_conflict use_column
         declare prior text := current_setting('app.notification_lookup', true);
         begin
           perform set_config('app.notification_lookup', 'on', true);
           return query ${body};
           perform set_config('app.notification_lookup', coalesce(prior, ''), true);
         end $$`,
      `revoke all on function ${signature} from public`,
      `grant execute on function ${signature} to ${API_ROLE}`,
    ]);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...functions.map((f) => `drop function ${f.signature}`),
    'drop policy notification_lookup on members',
    'drop index members_phone_any_gym',
    'drop index notifications_provider_message_any_gym',
  ]);
}
