import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { retryAt } from './schedule.js';
import { systemScope } from './system-scope.js';
import type { PhoneNumberEvents, StatusEvent } from './whatsapp-webhook.js';

/** How far along a message is: a late `delivered` never undoes a `read`. */
const PROGRESS = { sent: 1, delivered: 2, read: 3 } as const;

/**
 * Applies a provider webhook's events, each group in the scope of the gym that owns the phone number:
 * delivery statuses move a sent message forward (a `failed` one is retried like a failed send), and a
 * STOP or START from a member sets or clears the phone's opt-out. Returns the phone-number ids no gym has.
 */
export async function applyProviderEvents(db: Kysely<Database>, groups: PhoneNumberEvents[], now: Date): Promise<string[]> {
  const unknown: string[] = [];
  for (const group of groups) {
    const { rows } = await sql<{ gym_id: string }>`select gym_id from notification_gym_by_phone_number_id(${group.phoneNumberId})`.execute(db);
    const gymId = rows[0]?.gym_id;
    if (!gymId) {
      unknown.push(group.phoneNumberId);
      continue;
    }
    await withTenant(db, systemScope(gymId), async (trx) => {
      for (const event of group.statuses) await applyStatus(trx, event, now);
      for (const { phone, optOut } of group.opts) {
        if (optOut) await trx.insertInto('notification_opt_outs').values({ gym_id: gymId, phone, opted_out_at: now }).onConflict((oc) => oc.doNothing()).execute();
        else await trx.deleteFrom('notification_opt_outs').where('phone', '=', phone).execute();
      }
    });
  }
  return unknown;
}

async function applyStatus(trx: Transaction<Database>, event: StatusEvent, now: Date): Promise<void> {
  const row = await trx.selectFrom('notifications').select(['id', 'status', 'attempts']).where('provider_message_id', '=', event.messageId).forUpdate().executeTakeFirst();
  if (!row) return;
  if (event.status === 'failed') {
    // Accepted, then undeliverable: another attempt on the same schedule as a refused send.
    if (row.status !== 'sent' && row.status !== 'delivered') return;
    const retry = retryAt(now, row.attempts);
    await trx
      .updateTable('notifications')
      .set({ status: retry ? 'failed' : 'dead', error: event.error ?? 'The provider could not deliver the message', ...(retry ? { send_after: retry } : {}), updated_at: now })
      .where('id', '=', row.id)
      .execute();
    return;
  }
  const current = PROGRESS[row.status as keyof typeof PROGRESS];
  if (current === undefined || PROGRESS[event.status] <= current) return;
  await trx
    .updateTable('notifications')
    .set({
      status: event.status,
      ...(event.status === 'delivered' ? { delivered_at: event.at } : {}),
      ...(event.status === 'read' ? { read_at: event.at } : {}),
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute();
}
