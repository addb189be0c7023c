import {
  type Invoice,
  type InvoiceSnapshot,
  type LocalDate,
  type Member,
  type Membership,
  type Payment,
  type PaymentMethod,
  errors,
  financialYearOf,
  formatInr,
  seriesInvoiceNumber,
  taxInvoice,
} from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import type { Context } from '../context.js';

export interface PaymentDraft {
  method: PaymentMethod;
  amountPaise: number;
  reference?: string | null | undefined;
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
  return { seriesId: series.id, number: seriesInvoiceNumber({ prefix, startYear, seq: series.last_seq }) };
}

/**
 * Records a payment against a membership and issues its GST tax invoice; call inside a write.
 * The membership's price already includes GST (see `grossPrice`), so every payment is split as a
 * tax-inclusive amount at the plan's rate: each invoice totals exactly what was paid, partial or not.
 */
/** A payment taken at this desk: always a counter method. */
export type DeskPayment = Payment & { method: PaymentMethod };

export function recordPayment(ctx: Context, membership: Membership, member: Member, draft: PaymentDraft): { payment: DeskPayment; invoice: Invoice } {
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
  const { seriesId, number } = nextInvoiceNumber(ctx, today);
  const payment: DeskPayment = {
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
  const invoice = taxInvoice({
    id: payment.invoiceId,
    number,
    payment,
    issuedOn: today,
    issuedAt: at,
    plan: membership.plan,
    memberStateCode: member.stateCode,
    gymStateCode: gym.stateCode,
    sellerGstin: gym.gstin,
  });
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
export const paymentMutationArgs = ({ payment, invoice }: { payment: DeskPayment; invoice: Invoice }) => ({
  ...payment,
  invoiceNumber: invoice.number,
});

