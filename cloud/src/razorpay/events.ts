import { z } from 'zod';

// The parts of Razorpay's webhook events the cloud acts on (https://razorpay.com/docs/webhooks/payloads/).
// Parsing drops everything else, the payer's email and phone among it: razorpay_webhook_events keeps
// only these parts.

const paise = z.number().int().nonnegative();
const currency = z.string().regex(/^[A-Z]{3}$/);

export const razorpayPayment = z.object({
  id: z.string().regex(/^pay_[A-Za-z0-9]+$/),
  amount: paise,
  currency,
  status: z.string(),
  order_id: z.string().nullish(),
  /** Unix seconds. */
  created_at: z.number().int(),
});
export type RazorpayPayment = z.infer<typeof razorpayPayment>;

const order = z.object({ id: z.string().regex(/^order_[A-Za-z0-9]+$/), amount: paise, currency });
const paymentLink = z.object({ id: z.string().regex(/^plink_[A-Za-z0-9]+$/), amount: paise, currency });
const refund = z.object({
  id: z.string().regex(/^rfnd_[A-Za-z0-9]+$/),
  payment_id: z.string().regex(/^pay_[A-Za-z0-9]+$/),
  amount: paise.positive(),
  currency,
  // Our refund row's id, on a refund the cloud asked for. Razorpay sends empty notes as `[]`, and a
  // refund made in its dashboard carries whatever notes someone typed: anything else reads as none.
  notes: z.object({ gymstack_refund_id: z.uuid() }).nullish().catch(null),
});
export type RazorpayRefund = z.infer<typeof refund>;

const entity = <T extends z.ZodType>(schema: T) => z.object({ entity: schema });

/** The events the cloud handles, by `event`; any other type is acknowledged and ignored. */
export const razorpayEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('payment.captured'), payload: z.object({ payment: entity(razorpayPayment) }) }),
  z.object({ event: z.literal('payment.failed'), payload: z.object({ payment: entity(razorpayPayment) }) }),
  z.object({ event: z.literal('order.paid'), payload: z.object({ payment: entity(razorpayPayment), order: entity(order) }) }),
  z.object({
    event: z.literal('payment_link.paid'),
    payload: z.object({ payment: entity(razorpayPayment), order: entity(order), payment_link: entity(paymentLink) }),
  }),
  z.object({ event: z.literal('refund.processed'), payload: z.object({ refund: entity(refund) }) }),
  z.object({ event: z.literal('refund.failed'), payload: z.object({ refund: entity(refund) }) }),
]);
export type RazorpayEvent = z.infer<typeof razorpayEvent>;

/** Any event's envelope: enough to store and acknowledge one the cloud does not handle. */
export const razorpayEnvelope = z.object({ event: z.string().min(1).max(100), payload: z.record(z.string(), z.unknown()) });
