import { type PlanSnapshot, isAppError } from '@gymstack/shared';
import { sql, type Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import { memberCaller } from '../auth/callers.js';
import type { Access } from '../auth/permissions.js';
import type { Database, PaymentReviewTable, RazorpayWebhookEventTable } from '../db/schema.js';
import type { RazorpayPayment } from '../razorpay/events.js';
import type { GymContext } from './gym.js';
import * as memberships from './memberships.js';
import type { OrderRow } from './online-orders.js';

export type EventOutcome = Exclude<RazorpayWebhookEventTable['outcome'], 'received'>;

/** The webhook event being handled, and where it came from. */
export interface Arrival {
  eventId: string;
  ip: string;
}

/** Our order behind a Razorpay order id (an order's own, or the one behind a payment link), locked until commit. */
export async function lockOrder(trx: Transaction<Database>, razorpayOrderId: string | null | undefined): Promise<OrderRow | null> {
  if (!razorpayOrderId) return null;
  const row = await trx.selectFrom('razorpay_orders').selectAll().where('razorpay_order_id', '=', razorpayOrderId).forUpdate().executeTakeFirst();
  return row ?? null;
}

/** Keeps a payment the webhook will not apply, for the owner to look at. */
export async function flagForReview(
  trx: Transaction<Database>,
  ctx: GymContext,
  arrival: Arrival,
  payment: RazorpayPayment,
  order: OrderRow | null,
  reason: PaymentReviewTable['reason'],
  message: string,
): Promise<EventOutcome> {
  await trx
    .insertInto('payment_reviews')
    .values({
      gym_id: ctx.gym.id,
      id: uuid(),
      event_id: arrival.eventId,
      reason,
      message,
      razorpay_payment_id: payment.id,
      razorpay_order_id: payment.order_id ?? null,
      order_id: order?.id ?? null,
      amount_paise: payment.amount,
      currency: payment.currency,
    })
    .execute();
  return 'review';
}

/**
 * Applies a captured Razorpay payment to our order, once: sells the term the order quoted (a renewal
 * from the day after the current term, when the member had one), records the payment with an invoice from the cloud's series, marks
 * the order paid and enqueues the member's receipt, all in the event's transaction. Safe to call for every
 * event that carries the payment, in any order and concurrently:
 * - a lock per Razorpay payment id, then a look-up, makes the second carrier of a payment a no-op (the
 *   unique index on the reference is the backstop);
 * - the order row is locked, so two payments for one order cannot both sell a term;
 * - a payment for an order not known yet is left `unmatched`: the order's own event (`order.paid`,
 *   `payment_link.paid`) carries the payment again and applies it then.
 * An amount or currency other than the order's, or an order already paid, is stored for review and
 * changes nothing else; so is a payment the membership rules refuse (the member deleted since, say). A plan
 * changed or archived since the quote does not matter: the member paid for the term as quoted.
 */
export async function applyCapturedPayment(
  trx: Transaction<Database>,
  ctx: GymContext,
  arrival: Arrival,
  payment: RazorpayPayment,
  findOrder: () => Promise<OrderRow | null>,
): Promise<EventOutcome> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`razorpay-payment:${ctx.gym.id}:${payment.id}`}, 0))`.execute(trx);
  const recorded = await trx.selectFrom('payments').select('id').where('method', '=', 'razorpay').where('reference', '=', payment.id).executeTakeFirst();
  if (recorded) return 'applied';
  const order = await findOrder();
  if (!order) return 'unmatched';
  const review = (reason: PaymentReviewTable['reason'], message: string) => flagForReview(trx, ctx, arrival, payment, order, reason, message);
  if (order.status === 'paid') return review('not_applicable', `The order was already paid by another payment`);
  if (order.razorpay_order_id !== payment.order_id) return review('order_mismatch', `The payment is for order ${payment.order_id ?? 'none'}, not ${order.razorpay_order_id}`);
  if (payment.currency !== order.currency) return review('currency_mismatch', `Paid in ${payment.currency}; the order is in ${order.currency}`);
  if (payment.amount !== order.amount_paise) return review('amount_mismatch', `Paid ${payment.amount} paise; the order is for ${order.amount_paise}`);

  // The member paid; Razorpay only relays it. So the sale and payment are the member's own acts in the audit log.
  const access: Access = { scope: 'all', caller: memberCaller(ctx.gym.id, order.member_id, arrival.ip) };
  await sql`savepoint apply_payment`.execute(trx);
  try {
    const sold = { memberId: order.member_id, planId: order.plan_id, discountPaise: 0, payment: { method: 'razorpay' as const, amountPaise: payment.amount, reference: payment.id } };
    // The plan as quoted (orders made before quotes were kept sell the plan as it is now), as a renewal
    // whatever the order said: a term sold at the desk since the quote is followed, not overlapped, and
    // with no live term a renewal starts today.
    const sale = order.plan
      ? await memberships.sellPlanSnapshot(trx, access, ctx, 'renew', { ...sold, plan: order.plan as PlanSnapshot })
      : await memberships.sellMembership(trx, access, ctx, 'renew', sold);
    await trx
      .updateTable('razorpay_orders')
      .set({ status: 'paid', payment_id: sale.payment?.id ?? null, membership_id: sale.membership.id, updated_at: ctx.now })
      .where('id', '=', order.id)
      .execute();
  } catch (error) {
    if (!isAppError(error)) throw error;
    await sql`rollback to savepoint apply_payment`.execute(trx);
    return review('not_applicable', error.message);
  }
  await sql`release savepoint apply_payment`.execute(trx);
  return 'applied';
}
