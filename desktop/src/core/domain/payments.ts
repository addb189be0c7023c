import {
  AppError,
  ErrorCode,
  type Invoice,
  InvoiceNumberError,
  type LocalDate,
  type Member,
  type Membership,
  type Payment,
  type PaymentMethod,
  errors,
  financialYearOf,
  formatInr,
  formatInvoiceNumber,
  isIntraState,
  placeOfSupply,
  splitGst,
} from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import type { Context } from '../context.js';

export interface PaymentDraft {
  method: PaymentMethod;
  amountPaise: number;
  reference?: string | null | undefined;
}

/** What a printed invoice shows, frozen at issue: later edits to the gym, member or plan never change it. */
export interface InvoiceSnapshot {
  seller: { name: string; legalName: string; gstin: string | null; address: string; stateCode: string; phone: string | null };
  buyer: { name: string; code: string; phone: string; stateCode: string | null };
  item: { description: string; start: LocalDate; end: LocalDate };
  payment: { method: PaymentMethod; reference: string | null };
  timeZone: string;
}

/**
 * The next number of this desk's series in the financial year of `today`. The series row is bumped
 * inside the caller's transaction, so numbers are consecutive: a rolled-back payment frees its number.
 */
function nextInvoiceNumber(ctx: Context, today: LocalDate): { seriesId: string; number: string } {
  const { store, desk } = ctx;
  const prefix = desk.settings.invoicePrefix;
  const { startYear } = financialYearOf(today);
  const now = ctx.clock().toISOString();
  store.run(
    store.db
      .insertInto('invoice_series')
      .values({ id: uuid(), gym_id: desk.gym.id, device_id: desk.deviceId, prefix, fy_start_year: startYear, last_seq: 0, created_at: now, updated_at: now, deleted_at: null })
      .onConflict((oc) => oc.columns(['prefix', 'fy_start_year']).doNothing()),
  );
  store.run(
    store.db
      .updateTable('invoice_series')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1), updated_at: now }))
      .where('prefix', '=', prefix)
      .where('fy_start_year', '=', startYear),
  );
  const series = store.first(store.db.selectFrom('invoice_series').select(['id', 'last_seq']).where('prefix', '=', prefix).where('fy_start_year', '=', startYear));
  if (!series) throw new Error('Invoice series vanished inside its transaction');
  try {
    return { seriesId: series.id, number: formatInvoiceNumber({ prefix, startYear, seq: series.last_seq }) };
  } catch (error) {
    if (error instanceof InvoiceNumberError && error.code === 'INVOICE_SERIES_EXHAUSTED') {
      throw new AppError(ErrorCode.InvoiceSeriesExhausted, `Invoice series ${prefix} is full for ${startYear}-${startYear + 1}; set a new prefix`);
    }
    throw error;
  }
}

/**
 * Records a payment against a membership and issues its GST tax invoice; call inside a write.
 * The membership's price already includes GST (see `grossPrice`), so every payment is split as a
 * tax-inclusive amount at the plan's rate: each invoice totals exactly what was paid, partial or not.
 */
export function recordPayment(ctx: Context, membership: Membership, member: Member, draft: PaymentDraft): { payment: Payment; invoice: Invoice } {
  const { store, desk } = ctx;
  const paid = store.first(
    store.db
      .selectFrom('payments')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_paise'), eb.lit(0)).as('paid'))
      .where('membership_id', '=', membership.id)
      .where('deleted_at', 'is', null),
  );
  const duePaise = membership.pricePaise - (paid?.paid ?? 0);
  if (draft.amountPaise > duePaise) throw errors.overpayment(formatInr(Math.max(0, duePaise)));

  const now = ctx.clock();
  const at = now.toISOString();
  const today = ctx.today(now);
  const { gym } = desk;
  const supply = { memberStateCode: member.stateCode, gymStateCode: gym.stateCode };
  const { seriesId, number } = nextInvoiceNumber(ctx, today);
  const split = splitGst({ amountPaise: draft.amountPaise, inclusive: true, rateBps: membership.plan.gstRateBps, intraState: isIntraState(supply) });
  const payment: Payment = {
    id: uuid(),
    memberId: member.id,
    membershipId: membership.id,
    method: draft.method,
    reference: draft.reference ?? null,
    amountPaise: draft.amountPaise,
    receivedAt: at,
    staffId: ctx.session?.id ?? null,
    invoiceId: uuid(),
  };
  const invoice: Invoice = {
    id: payment.invoiceId,
    number,
    paymentId: payment.id,
    memberId: member.id,
    issuedOn: today,
    issuedAt: at,
    sac: membership.plan.sac,
    rateBps: membership.plan.gstRateBps,
    placeOfSupply: placeOfSupply(supply),
    taxablePaise: split.taxablePaise,
    cgstPaise: split.cgstPaise,
    sgstPaise: split.sgstPaise,
    igstPaise: split.igstPaise,
    totalPaise: split.totalPaise,
  };
  const snapshot: InvoiceSnapshot = {
    seller: { name: gym.name, legalName: gym.legalName, gstin: gym.gstin, address: gym.address, stateCode: gym.stateCode, phone: gym.phone },
    buyer: { name: member.fullName, code: member.code, phone: member.phone, stateCode: member.stateCode },
    item: { description: `${membership.plan.name} membership`, start: membership.start, end: membership.end },
    payment: { method: payment.method, reference: payment.reference },
    timeZone: gym.timeZone,
  };
  const common = { gym_id: gym.id, branch_id: desk.branch.id, created_at: at, updated_at: at, deleted_at: null };
  store.run(
    store.db.insertInto('payments').values({
      ...common,
      id: payment.id,
      member_id: payment.memberId,
      membership_id: payment.membershipId,
      method: payment.method,
      reference: payment.reference,
      amount_paise: payment.amountPaise,
      received_at: at,
      received_on: today,
      staff_id: payment.staffId,
      device_id: desk.deviceId,
      invoice_id: invoice.id,
    }),
  );
  store.run(
    store.db.insertInto('invoices').values({
      ...common,
      id: invoice.id,
      series_id: seriesId,
      number,
      payment_id: payment.id,
      member_id: member.id,
      membership_id: membership.id,
      issued_on: today,
      issued_at: at,
      sac: invoice.sac,
      rate_bps: invoice.rateBps,
      place_of_supply: invoice.placeOfSupply,
      taxable_paise: invoice.taxablePaise,
      cgst_paise: invoice.cgstPaise,
      sgst_paise: invoice.sgstPaise,
      igst_paise: invoice.igstPaise,
      total_paise: invoice.totalPaise,
      snapshot: JSON.stringify(snapshot),
    }),
  );
  return { payment, invoice };
}

/** Outbox args for a payment: the cloud replays it with the same ids and invoice number. */
export const paymentMutationArgs = ({ payment, invoice }: { payment: Payment; invoice: Invoice }) => ({
  ...payment,
  invoiceNumber: invoice.number,
});

/**
 * What the member owes for a membership: the plan price less the discount, plus GST when the plan
 * is priced tax-exclusive. Storing the gross keeps dues and every invoice in the same unit.
 */
export function grossPrice(plan: { pricePaise: number; taxInclusive: boolean; gstRateBps: number }, discountPaise: number): number {
  const net = plan.pricePaise - discountPaise;
  return plan.taxInclusive ? net : splitGst({ amountPaise: net, inclusive: false, rateBps: plan.gstRateBps, intraState: true }).totalPaise;
}
