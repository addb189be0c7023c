import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { type GymEvents, type OptEvent, type StatusEvent, optEventOf, sharedNumberGymEvents } from './provider-events.js';
import { digitsOf } from './provider.js';

// What Gupshup POSTs to the callback URL: one v2 event per request, `{app, timestamp (ms), version: 2,
// type, payload}` (docs.gupshup.io: "Message events", "Inbound messages", "Webhook key points").
// - `message-event`: a status of a message sent; `payload.type` is enqueued, failed, sent, delivered,
//   read or deleted. The Gupshup message id, which the send API answered as `messageId` and so is our
//   `provider_message_id`, is `payload.gsId` on sent, delivered and read (their `payload.id` is WhatsApp's
//   id) and on a failure after WhatsApp took the message, and `payload.id` on enqueued and on a failure
//   at once. `payload.payload` has `ts` (seconds) on sent, delivered and read, `code` and `reason` on
//   failed. Events more than a week after the send carry no gsId, so they match no message.
// - `message`: a member wrote in: `payload.sender.phone` (also `payload.source`), digits without `+`;
//   the words are `payload.payload.text` (type text, or quick_reply for a template's button) or
//   `payload.payload.title` (button_reply).
// - `user-event`: `opted-out` (Gupshup's own opt-out management) is a STOP for `payload.phone`; the rest
//   (`sandbox-start`, sent when a callback URL is set, and `opted-in`) change nothing.
// - Every other type (`template-event`, `billing-event`, ...) is acknowledged and ignored, as Gupshup
//   asks of a callback.

const STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed'] satisfies StatusEvent['status'][]);
const isStatus = (type: string): type is StatusEvent['status'] => STATUSES.has(type);
/** Message types whose words the cloud reads: media, locations and the like are not an opt-out. */
const WORDS = new Set(['text', 'quick_reply', 'button_reply']);
const PROVIDER: GymEvents['provider'] = 'gupshup';

/** What one callback asks of the cloud. */
export type GupshupEvent = { kind: 'status'; status: StatusEvent } | { kind: 'opt'; opt: OptEvent } | null;

const seconds = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

const messageEvent = z
  .object({
    type: z.literal('message-event'),
    timestamp: z.number().int().nonnegative(),
    payload: z
      .object({
        type: z.string(),
        id: z.string().min(1).optional(),
        gsId: z.string().min(1).optional(),
        payload: z.object({ ts: seconds.optional(), code: z.union([z.number(), z.string()]).optional(), reason: z.string().optional() }).optional(),
      })
      .refine((p) => !isStatus(p.type) || (p.gsId ?? p.id) !== undefined, 'A delivery status names its message'),
  })
  .transform(({ timestamp, payload: p }): GupshupEvent => {
    // enqueued (the message reached Gupshup) and deleted change nothing a gym sees.
    if (!isStatus(p.type)) return null;
    const error = [p.payload?.code, p.payload?.reason].filter((part) => part !== undefined && part !== '').join(': ');
    return {
      kind: 'status',
      status: { messageId: (p.gsId ?? p.id) as string, status: p.type, at: new Date(p.payload?.ts !== undefined ? p.payload.ts * 1000 : timestamp), error: error || null },
    };
  });

const inboundMessage = z
  .object({
    type: z.literal('message'),
    payload: z
      .object({
        type: z.string(),
        source: z.string().regex(/^\+?\d{6,15}$/).optional(),
        sender: z.object({ phone: z.string().regex(/^\+?\d{6,15}$/) }).optional(),
        payload: z.object({ text: z.string().optional(), title: z.string().optional() }).optional(),
      })
      .refine((p) => (p.sender?.phone ?? p.source) !== undefined, 'A message names its sender'),
  })
  .transform(({ payload: p }): GupshupEvent => {
    if (!WORDS.has(p.type)) return null;
    const opt = optEventOf(`+${digitsOf((p.sender?.phone ?? p.source) as string)}`, p.payload?.text ?? p.payload?.title ?? '');
    return opt && { kind: 'opt', opt };
  });

// `opted-in` is not a START: the business side can opt a number in, and only the member undoes a STOP.
const userEvent = z
  .object({ type: z.literal('user-event'), payload: z.object({ type: z.string(), phone: z.string() }) })
  .transform(({ payload: p }): GupshupEvent => {
    if (p.type !== 'opted-out' || !/^\+?\d{6,15}$/.test(p.phone)) return null;
    return { kind: 'opt', opt: { phone: `+${digitsOf(p.phone)}`, optOut: true } };
  });

const otherEvent = z.object({ type: z.string().refine((type) => !['message', 'message-event', 'user-event'].includes(type)) }).transform((): GupshupEvent => null);

/** A callback body, read into the one event it carries (null: nothing for the cloud). */
export const callbackSchema = z.union([messageEvent, inboundMessage, userEvent, otherEvent]);

/** The gyms `event` concerns, each with it: Gupshup sends every gym's messages from one number. */
export async function gymEventsOf(db: Kysely<Database>, event: GupshupEvent): Promise<GymEvents[]> {
  if (!event) return [];
  return sharedNumberGymEvents(db, PROVIDER, event.kind === 'status' ? { statuses: [event.status], opts: [] } : { statuses: [], opts: [event.opt] });
}
