import { type InvoiceSnapshot, errors, fields, formatInr, splitGst } from '@gymstack/shared';
import { type Selectable, sql, type Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import type { Access } from '../auth/permissions.js';
import type { Database, PaymentTable, RefundTable } from '../db/schema.js';
import type { RazorpayRefund } from '../razorpay/events.js';
import { appendAudit } from './audit.js';
import type { GymContext } from './gym.js';
import type { OrderDeps } from './online-orders.js';
import type { Arrival, EventOutcome } from './online-payments.js';
import { CREDIT_NOTE_SERIES_PREFIX, nextInvoiceNumber } from './payments.js';
import { loadRazorpayAccount } from './razorpay-accounts.js';
import { inScope } from './scope.js';

export const refundInputSchema = z.object({
  /** Default: all that is left of the payment. */
  amountPaise: fields.positivePaise.optional(),
  reason: z.string().trim().max(200).nullish(),
});

export const creditNoteSchema = z.object({
  id: fields.id,
  number: z.string(),
  invoiceId: fields.id,
  issuedOn: fields.localDate,
  taxablePaise: z.number().int(),
  cgstPaise: z.number().int(),
  sgstPaise: z.number().int(),
  igstPaise: z.number().int(),
  totalPaise: z.number().int(),
});
export const refundSchema = z.object({
  id: fields.id,
  paymentId: fields.id,
  amountPaise: z.number().int(),
  status: z.enum(['pending', 'processed']),
  razorpayRefundId: z.string().nullable(),
  creditNote: creditNoteSchema,
});
export type RefundView = z.infer<typeof refundSchema>;
type CreditNote = z.infer<typeof creditNoteSchema>;
type PaymentRow = Selectable<PaymentTable>;

/** One refund of a payment at a time, from the API or the webhook, held until commit. */
const lockRefundsOf = (trx: Transaction<Database>, paymentId: string) =>
  sql`select pg_advisory_xact_lock(hashtextextended(${`refunds:${paymentId}`}, 0))`.execute(trx);

async function refundedPaise(trx: Transaction<Database>, paymentId: string): Promise<number> {
  const row = await trx
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_paise'), eb.lit(0)).as('refunded'))
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return Number(row?.refunded ?? 0);
}

/**
 * The GST credit note of a refund: the refunded amount split at the original invoice's rate and place of
 * supply, numbered next in the cloud's credit-note series (gap-free, like invoices), naming the invoice.
 */
async function issueCreditNote(trx: Transaction<Database>, ctx: GymContext, refund: Selectable<RefundTable>, payment: PaymentRow): Promise<CreditNote> {
  const invoice = await trx.selectFrom('invoices').selectAll().where('id', '=', payment.invoice_id).executeTakeFirstOrThrow();
  const seller = (invoice.snapshot as InvoiceSnapshot).seller;
  const split = splitGst({ amountPaise: refund.amount_paise, inclusive: true, rateBps: invoice.rate_bps, intraState: invoice.place_of_supply === seller.stateCode });
  const { seriesId, number } = await nextInvoiceNumber(trx, ctx.gym.id, ctx.today, CREDIT_NOTE_SERIES_PREFIX);
  const note: CreditNote = {
    id: uuid(),
    number,
    invoiceId: invoice.id,
    issuedOn: ctx.today,
    taxablePaise: split.taxablePaise,
    cgstPaise: split.cgstPaise,
    sgstPaise: split.sgstPaise,
    igstPaise: split.igstPaise,
    totalPaise: split.totalPaise,
  };
  await trx
    .insertInto('credit_notes')
    .values({
      gym_id: ctx.gym.id,
      id: note.id,
      branch_id: payment.branch_id,
      series_id: seriesId,
      number,
      refund_id: refund.id,
      invoice_id: invoice.id,
      member_id: payment.member_id,
      issued_on: ctx.today,
      issued_at: ctx.now,
      rate_bps: invoice.rate_bps,
      place_of_supply: invoice.place_of_supply,
      taxable_paise: note.taxablePaise,
      cgst_paise: note.cgstPaise,
      sgst_paise: note.sgstPaise,
      igst_paise: note.igstPaise,
      total_paise: note.totalPaise,
    })
    .execute();
  return note;
}

const toRefundView = (r: Selectable<RefundTable>, creditNote: CreditNote): RefundView => ({
  id: r.id,
  paymentId: r.payment_id,
  amountPaise: r.amount_paise,
  status: r.status,
  razorpayRefundId: r.razorpay_refund_id,
  creditNote,
});

/**
 * Refunds a Razorpay payment, in full or in part, never beyond what is left of it: Razorpay is asked
 * first (its refusal rolls everything back), then the refund and its credit note are stored. Offline
 * money goes back over the counter, not through here.
 */
export async function refundPayment(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  deps: OrderDeps,
  paymentId: string,
  input: z.infer<typeof refundInputSchema>,
): Promise<RefundView> {
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', paymentId)
    .where(inScope(access, { member: 'payments.member_id', branch: 'payments.branch_id' }))
    .executeTakeFirst();
  if (!payment) throw errors.notFound('Payment');
  const account = await loadRazorpayAccount(trx, deps.keyEncryptionKey);
  if (payment.method !== 'razorpay' || payment.reference === null || !account) throw errors.notRefundable();
  await lockRefundsOf(trx, payment.id);
  const left = payment.amount_paise - (await refundedPaise(trx, payment.id));
  const amountPaise = input.amountPaise ?? left;
  if (left <= 0 || amountPaise > left) throw errors.refundExceedsPayment(formatInr(Math.max(0, left)));
  const id = uuid();
  const made = await deps.connect(account).refund(payment.reference, { amountPaise, receipt: id, notes: { gym_id: ctx.gym.id, gymstack_refund_id: id } });
  const refund = await trx
    .insertInto('refunds')
    .values({
      gym_id: ctx.gym.id,
      id,
      payment_id: payment.id,
      amount_paise: amountPaise,
      reason: input.reason ?? null,
      status: made.status,
      razorpay_refund_id: made.id,
      staff_id: access.caller.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = toRefundView(refund, await issueCreditNote(trx, ctx, refund, payment));
  await appendAudit(trx, access.caller, { action: 'payment.refund', entity: 'payment', entityId: payment.id, old: null, new: view });
  return view;
}

/**
 * `refund.processed`: marks our refund processed. A refund made elsewhere (Razorpay's dashboard) of a
 * payment the cloud recorded is stored with its credit note as well: the money has gone back either way.
 */
export async function applyProcessedRefund(trx: Transaction<Database>, ctx: GymContext, arrival: Arrival, refunded: RazorpayRefund): Promise<EventOutcome> {
  const payment = await trx.selectFrom('payments').selectAll().where('method', '=', 'razorpay').where('reference', '=', refunded.payment_id).executeTakeFirst();
  if (!payment) return 'unmatched';
  // Waits for an API refund of the same payment that has asked Razorpay but not yet committed.
  await lockRefundsOf(trx, payment.id);
  const known = await trx.selectFrom('refunds').select('id').where('razorpay_refund_id', '=', refunded.id).executeTakeFirst();
  if (known) {
    await trx.updateTable('refunds').set({ status: 'processed', updated_at: ctx.now }).where('id', '=', known.id).execute();
    return 'applied';
  }
  const refund = await trx
    .insertInto('refunds')
    .values({ gym_id: ctx.gym.id, id: uuid(), payment_id: payment.id, amount_paise: refunded.amount, reason: null, status: 'processed', razorpay_refund_id: refunded.id, staff_id: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = toRefundView(refund, await issueCreditNote(trx, ctx, refund, payment));
  // No person did this: the audit row names the system, as onboarding's operator rows do.
  await trx
    .insertInto('audit_log')
    .values({ gym_id: ctx.gym.id, id: uuid(), actor_id: null, actor_role: 'system', device_id: null, ip: arrival.ip, action: 'payment.refund', entity: 'payment', entity_id: payment.id, old: null, new: JSON.stringify(view) })
    .execute();
  return 'applied';
}
