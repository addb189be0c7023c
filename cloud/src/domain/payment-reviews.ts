import type { Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, PaymentReviewTable } from '../db/schema.js';
import { type Page, type PageRequest, paginate } from './page.js';

export const paymentReviewSchema = z.object({
  id: z.uuid(),
  eventId: z.string(),
  reason: z.enum(['amount_mismatch', 'currency_mismatch', 'order_mismatch', 'not_applicable']),
  message: z.string(),
  razorpayPaymentId: z.string(),
  razorpayOrderId: z.string().nullable(),
  orderId: z.uuid().nullable(),
  amountPaise: z.number().int(),
  currency: z.string(),
  createdAt: z.iso.datetime(),
});
export type PaymentReview = z.infer<typeof paymentReviewSchema>;

const toReview = (r: Selectable<PaymentReviewTable>): PaymentReview => ({
  id: r.id,
  eventId: r.event_id,
  reason: r.reason,
  message: r.message,
  razorpayPaymentId: r.razorpay_payment_id,
  razorpayOrderId: r.razorpay_order_id,
  orderId: r.order_id,
  amountPaise: r.amount_paise,
  currency: r.currency,
  createdAt: r.created_at.toISOString(),
});

/** Payments the webhook refused to apply (domain/online-payments.ts), newest first. */
export async function listPaymentReviews(trx: Transaction<Database>, query: PageRequest): Promise<Page<PaymentReview>> {
  const rows = trx.selectFrom('payment_reviews').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  const page = await paginate(trx, rows, query);
  return { items: page.items.map(toReview), meta: page.meta };
}
