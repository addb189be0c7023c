import { AppError, ErrorCode, errors, issuesFromZod } from '@gymstack/shared';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { anonymousCaller } from '../auth/callers.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { type RazorpayEvent, razorpayEnvelope, razorpayEvent } from '../razorpay/events.js';
import { verifyWebhookSignature } from '../razorpay/signature.js';
import { type GymContext, loadGym } from './gym.js';
import type { OrderRow } from './online-orders.js';
import { type Arrival, type EventOutcome, applyCapturedPayment, flagForReview, lockOrder } from './online-payments.js';
import { loadRazorpayAccount } from './razorpay-accounts.js';
import { applyProcessedRefund } from './refunds.js';

/** Razorpay's event ids (`X-Razorpay-Event-Id`), e.g. `Gj3Nx7oYyFbUd1`. */
const eventIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export interface WebhookDelivery {
  gymId: string;
  /** `X-Razorpay-Signature` */
  signature: string | undefined;
  /** `X-Razorpay-Event-Id` */
  eventId: string | undefined;
  rawBody: Buffer;
  ip: string;
}

export type WebhookOutcome = EventOutcome | 'duplicate';

/** The link behind a `payment_link.paid`, locked, learning the order Razorpay made for it on first sight. */
async function lockLinkOrder(trx: Transaction<Database>, linkId: string, razorpayOrderId: string): Promise<OrderRow | null> {
  const row = await trx.selectFrom('razorpay_orders').selectAll().where('razorpay_id', '=', linkId).forUpdate().executeTakeFirst();
  if (!row || row.razorpay_order_id !== null) return row ?? null;
  await trx.updateTable('razorpay_orders').set({ razorpay_order_id: razorpayOrderId, updated_at: new Date() }).where('id', '=', row.id).execute();
  return { ...row, razorpay_order_id: razorpayOrderId };
}

async function dispatch(trx: Transaction<Database>, ctx: GymContext, arrival: Arrival, event: RazorpayEvent): Promise<EventOutcome> {
  switch (event.event) {
    case 'payment.captured': {
      const payment = event.payload.payment.entity;
      return applyCapturedPayment(trx, ctx, arrival, payment, () => lockOrder(trx, payment.order_id));
    }
    case 'order.paid':
    case 'payment_link.paid': {
      const payment = event.payload.payment.entity;
      const order = event.payload.order.entity;
      if (payment.order_id !== order.id) {
        return flagForReview(trx, ctx, arrival, payment, null, 'order_mismatch', `The payment is for order ${payment.order_id ?? 'none'}; the event is for ${order.id}`);
      }
      const find = event.event === 'order.paid' ? () => lockOrder(trx, order.id) : () => lockLinkOrder(trx, event.payload.payment_link.entity.id, order.id);
      return applyCapturedPayment(trx, ctx, arrival, payment, find);
    }
    case 'payment.failed':
      // A failed attempt changes nothing: the order or link stays open for another try, and the try that
      // succeeds arrives as payment.captured.
      return 'ignored';
    case 'refund.processed':
      return applyProcessedRefund(trx, ctx, arrival, event.payload.refund.entity);
  }
}

const paymentIdOf = (event: RazorpayEvent): string => ('payment' in event.payload ? event.payload.payment.entity.id : event.payload.refund.entity.payment_id);

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError(ErrorCode.BadRequest, 'The body is not JSON');
  }
}

/**
 * Handles one webhook delivery for the gym named in its URL, in one transaction under that gym's RLS
 * scope. The signature is checked against the gym's webhook secret on the raw bytes before anything is
 * parsed or written; a bad or missing one is refused (400) with nothing stored. The event id is then
 * claimed with an insert: a concurrent duplicate waits on that key and, once the first commits, finds it
 * taken and changes nothing. The event's effects and its stored outcome commit together.
 */
export async function receiveWebhook(db: Kysely<Database>, keyEncryptionKey: Buffer, delivery: WebhookDelivery): Promise<WebhookOutcome> {
  return withTenant(db, anonymousCaller(delivery.gymId, delivery.ip), async (trx) => {
    const account = await loadRazorpayAccount(trx, keyEncryptionKey);
    if (!account || !verifyWebhookSignature(delivery.rawBody, delivery.signature, account.webhookSecret)) throw errors.invalidSignature();
    const eventId = eventIdSchema.safeParse(delivery.eventId);
    if (!eventId.success) throw errors.validation([{ path: 'headers.x-razorpay-event-id', message: 'Missing or malformed event id' }]);
    const json = parseJson(delivery.rawBody);
    const envelope = razorpayEnvelope.safeParse(json);
    if (!envelope.success) throw errors.validation(issuesFromZod(envelope.error.issues));
    const handled = razorpayEvent.safeParse(json);
    const known = razorpayEvent.options.some((o) => o.shape.event.value === envelope.data.event);
    if (!handled.success && known) throw errors.validation(issuesFromZod(handled.error.issues));
    // Only what the cloud acts on is kept (parsing drops the rest): Razorpay's payloads also carry the
    // payer's email and phone, which the cloud has no need to hold.
    const claimed = await trx
      .insertInto('razorpay_webhook_events')
      .values({
        gym_id: delivery.gymId,
        event_id: eventId.data,
        type: envelope.data.event,
        outcome: 'received',
        razorpay_payment_id: handled.success ? paymentIdOf(handled.data) : null,
        payload: JSON.stringify(handled.success ? handled.data : {}),
      })
      .onConflict((oc) => oc.columns(['gym_id', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!claimed) return 'duplicate';

    const arrival = { eventId: eventId.data, ip: delivery.ip };
    const outcome = handled.success ? await dispatch(trx, await loadGym(trx), arrival, handled.data) : 'ignored';
    await trx.updateTable('razorpay_webhook_events').set({ outcome }).where('event_id', '=', eventId.data).execute();
    return outcome;
  });
}
