import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { type GymEvents, type OptEvent, type StatusEvent, optEventOf, sharedNumberGymEvents } from './provider-events.js';
import { systemScope } from './system-scope.js';

// What Meta POSTs to the webhook (the `whatsapp_business_account` object): delivery statuses of the
// messages sent, and messages members send in, each under the phone-number id they concern.

const PROVIDER: GymEvents['provider'] = 'whatsapp_cloud';

/** `X-Hub-Signature-256: sha256=<hex>`: an HMAC-SHA256 of the raw body with the app secret. */
export function validSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

const statusSchema = z.object({
  id: z.string(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.string().regex(/^\d+$/),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

const inboundSchema = z.object({
  from: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string() }).optional(),
});

export const webhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }),
            statuses: z.array(statusSchema).optional(),
            messages: z.array(inboundSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type WebhookBody = z.infer<typeof webhookSchema>;

/** The events under one phone-number id: its gym is the one whose settings name that number, if any. */
export interface PhoneNumberEvents {
  phoneNumberId: string;
  statuses: StatusEvent[];
  opts: OptEvent[];
}

/** The events of a webhook body, grouped by the phone-number id (hence the gym) they concern. */
export function eventsOf(body: WebhookBody): PhoneNumberEvents[] {
  return body.entry.flatMap((entry) =>
    entry.changes
      .filter((change) => change.field === 'messages')
      .map(({ value }) => ({
        phoneNumberId: value.metadata.phone_number_id,
        statuses: (value.statuses ?? []).map((s) => ({
          messageId: s.id,
          status: s.status,
          at: new Date(Number(s.timestamp) * 1000),
          error: s.errors?.map((e) => e.message ?? e.title ?? String(e.code)).join('; ') ?? null,
        })),
        opts: (value.messages ?? []).flatMap((m) => optEventOf(`+${m.from}`, m.text?.body ?? m.button?.text ?? '') ?? []),
      })),
  );
}

async function sendsFromOwnNumber(db: Kysely<Database>, gymId: string): Promise<boolean> {
  const settings = await withTenant(db, systemScope(gymId), (trx) => trx.selectFrom('notification_settings').select('whatsapp_phone_number_id').executeTakeFirst());
  return Boolean(settings?.whatsapp_phone_number_id);
}

/**
 * Each group under the gym owning its phone-number id; the cloud's default number (`defaultPhoneNumberId`,
 * WHATSAPP_PHONE_NUMBER_ID), which every gym without a number of its own sends from, is no gym's, so its
 * events are resolved one by one. The ids that are neither are returned apart.
 */
export async function gymEventsOf(
  db: Kysely<Database>,
  groups: PhoneNumberEvents[],
  defaultPhoneNumberId: string | undefined,
): Promise<{ groups: GymEvents[]; unknownPhoneNumberIds: string[] }> {
  const found: GymEvents[] = [];
  const unknownPhoneNumberIds: string[] = [];
  for (const { phoneNumberId, statuses, opts } of groups) {
    if (phoneNumberId === defaultPhoneNumberId) {
      for (const group of await sharedNumberGymEvents(db, PROVIDER, { statuses, opts })) {
        // A STOP to the cloud's number is about the gyms that message from it, not one with a number of its own.
        if (group.opts.length > 0 && (await sendsFromOwnNumber(db, group.gymId))) group.opts = [];
        found.push(group);
      }
      continue;
    }
    const { rows } = await sql<{ gym_id: string }>`select gym_id from notification_gym_by_phone_number_id(${phoneNumberId})`.execute(db);
    const gymId = rows[0]?.gym_id;
    if (gymId) found.push({ gymId, provider: PROVIDER, statuses, opts });
    else unknownPhoneNumberIds.push(phoneNumberId);
  }
  return { groups: found, unknownPhoneNumberIds };
}
