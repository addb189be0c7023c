import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { ProviderName } from './provider.js';
import { retryAt } from './schedule.js';
import { systemScope } from './system-scope.js';

// What either provider's webhook (Meta's, whatsapp-webhook.ts; Gupshup's, gupshup-webhook.ts) asks of the
// cloud, once each provider's module has found the gym its events concern (for a number many gyms send
// from, through sharedNumberGymEvents).

/** A delivery status of a message the cloud sent, by the provider's id for it (`provider_message_id`). */
export interface StatusEvent {
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  error: string | null;
}

/** An opt-out (STOP) or opt-back-in (START) a member sent; other messages are not for the cloud. */
export interface OptEvent {
  /** E.164, as members' phones are stored. */
  phone: string;
  optOut: boolean;
}

/** A gym's share of a webhook's events. */
export interface GymEvents {
  gymId: string;
  /** Whose webhook it is: a status only finds a message that provider sent. */
  provider: Exclude<ProviderName, 'simulated'>;
  statuses: StatusEvent[];
  opts: OptEvent[];
}

/**
 * The gyms events that came through a number many gyms send from concern (Gupshup's one number, Meta's
 * default one), each with its share: a status's gym owns the message, by the provider's id for it; a STOP
 * or START concerns every gym with a live member on that phone, since all of them message it from that
 * number (migration 2026_11_27_0001).
 */
export async function sharedNumberGymEvents(db: Kysely<Database>, provider: GymEvents['provider'], { statuses, opts }: Pick<GymEvents, 'statuses' | 'opts'>): Promise<GymEvents[]> {
  const byGym = new Map<string, GymEvents>();
  const groupOf = (gymId: string): GymEvents => {
    let group = byGym.get(gymId);
    if (!group) byGym.set(gymId, (group = { gymId, provider, statuses: [], opts: [] }));
    return group;
  };
  for (const status of statuses) {
    const { rows } = await sql<{ gym_id: string }>`select gym_id from notification_gym_by_provider_message_id(${provider}, ${status.messageId})`.execute(db);
    for (const row of rows) groupOf(row.gym_id).statuses.push(status);
  }
  for (const opt of opts) {
    const { rows } = await sql<{ gym_id: string }>`select gym_id from notification_gyms_by_member_phone(${opt.phone})`.execute(db);
    for (const row of rows) groupOf(row.gym_id).opts.push(opt);
  }
  return [...byGym.values()];
}

const OPT_OUT = new Set(['stop', 'unsubscribe']);
const OPT_IN = new Set(['start']);

/** The opt-out or opt-in a member's message is, if it is one (`phone` in E.164). */
export function optEventOf(phone: string, text: string): OptEvent | null {
  const word = text.trim().toLowerCase();
  if (OPT_OUT.has(word)) return { phone, optOut: true };
  if (OPT_IN.has(word)) return { phone, optOut: false };
  return null;
}

/** How far along a message is: a late `delivered` never undoes a `read`. */
const PROGRESS = { sent: 1, delivered: 2, read: 3 } as const;

/**
 * Applies a provider webhook's events, each group in its gym's scope: delivery statuses move a sent
 * message forward (a `failed` one is retried like a failed send), and a STOP or START from a member sets
 * or clears the phone's opt-out.
 */
export async function applyProviderEvents(db: Kysely<Database>, groups: GymEvents[], now: Date): Promise<void> {
  for (const { gymId, provider, statuses, opts } of groups) {
    await withTenant(db, systemScope(gymId), async (trx) => {
      for (const event of statuses) await applyStatus(trx, provider, event, now);
      for (const { phone, optOut } of opts) {
        if (optOut) await trx.insertInto('notification_opt_outs').values({ gym_id: gymId, phone, opted_out_at: now }).onConflict((oc) => oc.doNothing()).execute();
        else await trx.deleteFrom('notification_opt_outs').where('phone', '=', phone).execute();
      }
    });
  }
}

async function applyStatus(trx: Transaction<Database>, provider: GymEvents['provider'], event: StatusEvent, now: Date): Promise<void> {
  const row = await trx
    .selectFrom('notifications')
    .select(['id', 'status', 'attempts'])
    .where('provider', '=', provider)
    .where('provider_message_id', '=', event.messageId)
    .forUpdate()
    .executeTakeFirst();
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
