/**
 * The webhook deliveries Razorpay would make for paid orders and links: `order.paid` for an order,
 * `payment_link.paid` for a link (the events the cloud applies a payment on), each body signed as
 * Razorpay signs it, hex HMAC-SHA256 of the raw bytes with the gym's webhook secret, sent as
 * `X-Razorpay-Signature` with its event id in `X-Razorpay-Event-Id`.
 */
import { webhookSignature } from '../../cloud/src/razorpay/signature.js';
import type { Delivery } from './deliver.js';
import type { PayableOrder } from './razorpay-seed.js';

/** The event body, with the fields Razorpay sends that the cloud drops (the payer's contact among them). */
function paidEvent(order: PayableOrder, createdAt: number): unknown {
  const payment = {
    entity: {
      id: order.paymentId,
      entity: 'payment',
      amount: order.amountPaise,
      currency: 'INR',
      status: 'captured',
      order_id: order.razorpayOrderId,
      method: 'upi',
      email: 'payer@example.com',
      contact: '+919800000002',
      captured: true,
      notes: [],
      created_at: createdAt,
    },
  };
  const paidOrder = { entity: { id: order.razorpayOrderId, entity: 'order', amount: order.amountPaise, amount_paid: order.amountPaise, currency: 'INR', status: 'paid' } };
  const payload =
    order.kind === 'order'
      ? { payment, order: paidOrder }
      : { payment_link: { entity: { id: order.razorpayId, amount: order.amountPaise, currency: 'INR', status: 'paid' } }, order: paidOrder, payment };
  return {
    entity: 'event',
    account_id: 'acc_BenchMoney01',
    event: order.kind === 'order' ? 'order.paid' : 'payment_link.paid',
    contains: Object.keys(payload),
    payload,
    created_at: createdAt,
  };
}

/** One signed delivery per order, event ids `evt<n>`. */
export function paidDeliveries(orders: readonly PayableOrder[], webhookSecret: string): Delivery[] {
  const createdAt = Math.floor(Date.now() / 1000);
  return orders.map((order, n) => {
    const body = Buffer.from(JSON.stringify(paidEvent(order, createdAt)));
    return {
      path: `/api/v1/payments/webhook/${order.gymId}`,
      headers: { 'content-type': 'application/json', 'x-razorpay-event-id': `evt${n}`, 'x-razorpay-signature': webhookSignature(body, webhookSecret) },
      body,
    };
  });
}

/** Each delivery `times` times, shuffled with a fixed seed (so replays arrive early, late and concurrently). */
export function withReplays<T>(items: readonly T[], times: number): T[] {
  const all = items.flatMap((item) => Array.from({ length: times }, () => item));
  let seed = 0x5eed_2026;
  const next = () => (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0);
  for (let i = all.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}
