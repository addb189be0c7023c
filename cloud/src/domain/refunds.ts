import { type InvoiceSnapshot, errors, fields, formatInr, splitGst } from '@gymstack/shared';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import type { Access } from '../auth/permissions.js';
import type { CreditNoteTable, Database, PaymentTable, RefundTable } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { RazorpayRefund } from '../razorpay/events.js';
import { RazorpayError, type RazorpayCredentials, type RazorpayGateway } from '../razorpay/gateway.js';
import { appendAudit } from './audit.js';
import { type GymContext, loadGym } from './gym.js';
import type { OrderDeps } from './online-orders.js';
import type { Arrival, EventOutcome } from './online-payments.js';
import { CREDIT_NOTE_SERIES_PREFIX, nextInvoiceNumber } from './payments.js';
import { loadRazorpayAccount } from './razorpay-accounts.js';
import { type Page, paginate } from './page.js';
import { pageQuery } from './schemas.js';
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
  /** Issued once Razorpay has processed the refund (the money has gone back); null while it is pending. */
  creditNote: creditNoteSchema.nullable(),
});
export type RefundView = z.infer<typeof refundSchema>;

const refundStatus = z.enum(['requested', 'pending', 'processed', 'failed']);
export const refundListQuery = pageQuery.extend({ paymentId: fields.id.optional(), memberId: fields.id.optional(), status: refundStatus.optional() });
/** A refund as the owner follows it: asked, pending or processed at Razorpay, or failed and why. */
export const refundListItemSchema = z.object({
  id: fields.id,
  paymentId: fields.id,
  memberId: fields.id,
  amountPaise: z.number().int(),
  status: refundStatus,
  reason: z.string().nullable(),
  razorpayRefundId: z.string().nullable(),
  error: z.string().nullable(),
  requestedAt: fields.instant,
  creditNote: creditNoteSchema.nullable(),
});
type RefundListItem = z.infer<typeof refundListItemSchema>;
type CreditNote = z.infer<typeof creditNoteSchema>;
type PaymentRow = Selectable<PaymentTable>;
type RefundRow = Selectable<RefundTable>;
type MadeRefund = Awaited<ReturnType<RazorpayGateway['refund']>>;

/** One refund of a payment at a time, from the API or the webhook, held until commit. */
const lockRefundsOf = (trx: Transaction<Database>, paymentId: string) =>
  sql`select pg_advisory_xact_lock(hashtextextended(${`refunds:${paymentId}`}, 0))`.execute(trx);

/**
 * How long a refund Razorpay has not answered for holds its amount. Razorpay itself refuses a refund
 * beyond what is left of a payment, so past this the next request may go ahead and Razorpay decides.
 */
const REQUEST_HOLD_MS = 15 * 60_000;

/** What is refunded or being refunded of the payment: every refund but failed ones and long-unanswered requests. */
async function refundedPaise(trx: Transaction<Database>, paymentId: string, now: Date): Promise<number> {
  const row = await trx
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_paise'), eb.lit(0)).as('refunded'))
    .where('payment_id', '=', paymentId)
    .where((eb) => eb.or([eb('status', 'in', ['pending', 'processed']), eb.and([eb('status', '=', 'requested'), eb('created_at', '>', new Date(now.getTime() - REQUEST_HOLD_MS))])]))
    .executeTakeFirst();
  return Number(row?.refunded ?? 0);
}

/**
 * The GST credit note of a refund: the refunded amount split at the original invoice's rate and place of
 * supply, numbered next in the cloud's credit-note series (gap-free, like invoices), naming the invoice.
 */
async function issueCreditNote(trx: Transaction<Database>, ctx: GymContext, refund: RefundRow, payment: PaymentRow): Promise<CreditNote> {
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

const toCreditNote = (r: Selectable<CreditNoteTable>): CreditNote => ({
  id: r.id,
  number: r.number,
  invoiceId: r.invoice_id,
  issuedOn: r.issued_on,
  taxablePaise: r.taxable_paise,
  cgstPaise: r.cgst_paise,
  sgstPaise: r.sgst_paise,
  igstPaise: r.igst_paise,
  totalPaise: r.total_paise,
});

async function creditNoteOf(trx: Transaction<Database>, refundId: string): Promise<CreditNote | null> {
  const row = await trx.selectFrom('credit_notes').selectAll().where('refund_id', '=', refundId).executeTakeFirst();
  return row ? toCreditNote(row) : null;
}

function toRefundView(r: RefundRow, creditNote: CreditNote | null): RefundView {
  if (r.status !== 'pending' && r.status !== 'processed') throw new Error(`Refund ${r.id} has not been made (${r.status})`);
  return { id: r.id, paymentId: r.payment_id, amountPaise: r.amount_paise, status: r.status, razorpayRefundId: r.razorpay_refund_id, creditNote };
}

/**
 * A refund Razorpay has made: our row takes its id and status. Its credit note is issued once the money
 * has gone back (processed), now or when refund.processed says so: a pending refund can still fail, and a
 * credit note, once issued, stands.
 */
async function recordMadeRefund(trx: Transaction<Database>, ctx: GymContext, refund: RefundRow, payment: PaymentRow, made: MadeRefund): Promise<RefundView> {
  const row = await trx
    .updateTable('refunds')
    .set({ status: made.status, razorpay_refund_id: made.id, error: null, updated_at: ctx.now })
    .where('id', '=', refund.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const issued = (await creditNoteOf(trx, row.id)) ?? (made.status === 'processed' ? await issueCreditNote(trx, ctx, row, payment) : null);
  return toRefundView(row, issued);
}

/** A refund the owner asked for, as it is being asked of Razorpay. */
interface AskedRefund {
  id: string;
  paymentId: string;
  amountPaise: number;
  /** The Razorpay payment id. */
  reference: string;
  credentials: RazorpayCredentials;
}

/**
 * Checks the refund can be asked for (a Razorpay payment in the caller's scope, never beyond what is left
 * of it) and stores it as `requested`, so a concurrent request counts it and Razorpay's refund.processed
 * can find it by the id in its notes.
 */
async function requestRefund(
  trx: Transaction<Database>,
  access: Access,
  keyEncryptionKey: Buffer,
  paymentId: string,
  input: z.infer<typeof refundInputSchema>,
): Promise<AskedRefund> {
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', paymentId)
    .where(inScope(access, { member: 'payments.member_id', branch: 'payments.branch_id' }))
    .executeTakeFirst();
  if (!payment) throw errors.notFound('Payment');
  const account = await loadRazorpayAccount(trx, keyEncryptionKey);
  if (payment.method !== 'razorpay' || payment.reference === null || !account) throw errors.notRefundable();
  await lockRefundsOf(trx, payment.id);
  const left = payment.amount_paise - (await refundedPaise(trx, payment.id, new Date()));
  const amountPaise = input.amountPaise ?? left;
  if (left <= 0 || amountPaise > left) throw errors.refundExceedsPayment(formatInr(Math.max(0, left)));
  const id = uuid();
  await trx
    .insertInto('refunds')
    .values({ gym_id: access.caller.gymId, id, payment_id: payment.id, amount_paise: amountPaise, reason: input.reason ?? null, status: 'requested', razorpay_refund_id: null, staff_id: access.caller.userId })
    .execute();
  return { id, paymentId: payment.id, amountPaise, reference: payment.reference, credentials: account };
}

/**
 * Refunds a Razorpay payment, in full or in part, never beyond what is left of it, with a credit note
 * against its invoice once the money has gone back. Razorpay is asked between two short transactions, so
 * no connection or lock is held while it answers:
 * 1. the refund is stored as `requested` (its amount counts as refunded from then on);
 * 2. Razorpay is asked, with our refund's id as its receipt and in its notes;
 * 3. its refund is recorded (pending or processed, as Razorpay says; processed gets its credit note) with
 *    the audit row, unless Razorpay's own event got there first (then that is the answer). A refusal
 *    marks the request `failed` (nothing was refunded); no answer leaves it `requested`, since Razorpay
 *    may have made it: its refund.processed completes it, and after a quarter of an hour it stops holding
 *    its amount.
 * Offline money goes back over the counter, not through here.
 */
export async function refundPayment(db: Kysely<Database>, access: Access, deps: OrderDeps, paymentId: string, input: z.infer<typeof refundInputSchema>): Promise<RefundView> {
  const asked = await withTenant(db, access.caller, (trx) => requestRefund(trx, access, deps.keyEncryptionKey, paymentId, input));
  let made: MadeRefund;
  try {
    made = await deps.connect(asked.credentials).refund(asked.reference, { amountPaise: asked.amountPaise, receipt: asked.id, notes: { gym_id: access.caller.gymId, gymstack_refund_id: asked.id } });
  } catch (error) {
    if (error instanceof RazorpayError && error.refused) {
      await withTenant(db, access.caller, (trx) =>
        trx.updateTable('refunds').set({ status: 'failed', error: error.message, updated_at: new Date() }).where('id', '=', asked.id).where('status', '=', 'requested').execute(),
      );
    }
    throw error;
  }
  return withTenant(db, access.caller, async (trx) => {
    await lockRefundsOf(trx, asked.paymentId);
    const refund = await trx.selectFrom('refunds').selectAll().where('id', '=', asked.id).executeTakeFirstOrThrow();
    // Razorpay's own event about it got here first.
    if (refund.status === 'failed') throw new RazorpayError(`Razorpay could not refund the payment: ${refund.error ?? 'it failed'}`, true);
    const payment = await trx.selectFrom('payments').selectAll().where('id', '=', asked.paymentId).executeTakeFirstOrThrow();
    const view = refund.razorpay_refund_id !== null ? toRefundView(refund, await creditNoteOf(trx, refund.id)) : await recordMadeRefund(trx, await loadGym(trx), refund, payment, made);
    // The owner asked for it, whichever of the answer and the event recorded it.
    await appendAudit(trx, access.caller, { action: 'payment.refund', entity: 'payment', entityId: payment.id, old: null, new: view });
    return view;
  });
}

/** No person did this: the audit row names the system, as onboarding's operator rows do. */
const systemAudit = (ctx: GymContext, arrival: Arrival, action: string, paymentId: string, view: unknown) => ({
  gym_id: ctx.gym.id,
  id: uuid(),
  actor_id: null,
  actor_role: 'system' as const,
  device_id: null,
  ip: arrival.ip,
  action,
  entity: 'payment',
  entity_id: paymentId,
  old: null,
  new: JSON.stringify(view),
});

/**
 * Our refund of a payment that a refund event is about: by Razorpay's id once we know it, else by our id
 * in its notes (a refund the cloud asked for and heard nothing back about), for the same amount. Locked
 * for the payment's refunds, after waiting for an API refund of the payment that is recording Razorpay's
 * answer. Null payment: not a payment the cloud recorded.
 */
async function refundOfEvent(trx: Transaction<Database>, refunded: RazorpayRefund): Promise<{ payment: PaymentRow | undefined; refund: RefundRow | undefined }> {
  const payment = await trx.selectFrom('payments').selectAll().where('method', '=', 'razorpay').where('reference', '=', refunded.payment_id).executeTakeFirst();
  if (!payment) return { payment, refund: undefined };
  await lockRefundsOf(trx, payment.id);
  const ours = refunded.notes?.gymstack_refund_id;
  const refund = await trx
    .selectFrom('refunds')
    .selectAll()
    .where('payment_id', '=', payment.id)
    .where((eb) =>
      eb.or([
        eb('razorpay_refund_id', '=', refunded.id),
        ...(ours ? [eb.and([eb('id', '=', ours), eb('razorpay_refund_id', 'is', null), eb('amount_paise', '=', refunded.amount)])] : []),
      ]),
    )
    .executeTakeFirst();
  return { payment, refund };
}

/**
 * `refund.processed`: the money has gone back. Our refund becomes processed and gets its credit note; one
 * made elsewhere (Razorpay's dashboard) of a payment the cloud recorded is stored with its credit note as
 * well: the money has gone back either way.
 */
export async function applyProcessedRefund(trx: Transaction<Database>, ctx: GymContext, arrival: Arrival, refunded: RazorpayRefund): Promise<EventOutcome> {
  const { payment, refund } = await refundOfEvent(trx, refunded);
  if (!payment) return 'unmatched';
  if (refund?.status === 'processed') return 'applied';
  const row =
    refund ??
    (await trx
      .insertInto('refunds')
      .values({ gym_id: ctx.gym.id, id: uuid(), payment_id: payment.id, amount_paise: refunded.amount, reason: null, status: 'requested', razorpay_refund_id: null, staff_id: null })
      .returningAll()
      .executeTakeFirstOrThrow());
  const view = await recordMadeRefund(trx, ctx, row, payment, { id: refunded.id, status: 'processed' });
  await trx.insertInto('audit_log').values(systemAudit(ctx, arrival, 'payment.refund', payment.id, view)).execute();
  return 'applied';
}

/**
 * `refund.failed`: a refund Razorpay accepted could not be paid out (a closed account, say). Ours is kept
 * as failed and no longer counts against the payment; none was issued a credit note, as it never became
 * processed.
 */
export async function applyFailedRefund(trx: Transaction<Database>, ctx: GymContext, arrival: Arrival, refunded: RazorpayRefund): Promise<EventOutcome> {
  const { refund } = await refundOfEvent(trx, refunded);
  if (!refund) return 'unmatched';
  if (refund.status === 'processed') return 'ignored';
  await trx
    .updateTable('refunds')
    .set({ status: 'failed', razorpay_refund_id: refunded.id, error: 'Razorpay could not pay the refund out', updated_at: ctx.now })
    .where('id', '=', refund.id)
    .execute();
  await trx.insertInto('audit_log').values(systemAudit(ctx, arrival, 'payment.refund_failed', refund.payment_id, { refundId: refund.id, razorpayRefundId: refunded.id })).execute();
  return 'applied';
}

/** Refunds of the payments the caller's grant reaches (a member: their own), newest first, with their credit notes. */
export async function listRefunds(trx: Transaction<Database>, access: Access, query: z.infer<typeof refundListQuery>): Promise<Page<RefundListItem>> {
  const rows = trx
    .selectFrom('refunds')
    .innerJoin('payments', (join) => join.onRef('payments.gym_id', '=', 'refunds.gym_id').onRef('payments.id', '=', 'refunds.payment_id'))
    .selectAll('refunds')
    .select('payments.member_id')
    .where(inScope(access, { member: 'payments.member_id', branch: 'payments.branch_id' }))
    .$if(query.paymentId !== undefined, (q) => q.where('refunds.payment_id', '=', query.paymentId as string))
    .$if(query.memberId !== undefined, (q) => q.where('payments.member_id', '=', query.memberId as string))
    .$if(query.status !== undefined, (q) => q.where('refunds.status', '=', query.status as RefundRow['status']))
    .orderBy('refunds.created_at', 'desc')
    .orderBy('refunds.id', 'desc');
  const page = await paginate(trx, rows, query);
  const ids = page.items.map((r) => r.id);
  const notes = ids.length === 0 ? [] : await trx.selectFrom('credit_notes').selectAll().where('refund_id', 'in', ids).execute();
  const noteOf = new Map(notes.map((n) => [n.refund_id, toCreditNote(n)]));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      paymentId: r.payment_id,
      memberId: r.member_id,
      amountPaise: r.amount_paise,
      status: r.status,
      reason: r.reason,
      razorpayRefundId: r.razorpay_refund_id,
      error: r.error,
      requestedAt: r.created_at.toISOString(),
      creditNote: noteOf.get(r.id) ?? null,
    })),
    meta: page.meta,
  };
}
