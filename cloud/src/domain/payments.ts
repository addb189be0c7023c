import {
  type Invoice,
  type InvoiceSnapshot,
  type LocalDate,
  type Membership,
  type Payment,
  type PaymentInput,
  type ReceivedPaymentMethod,
  errors,
  financialYearOf,
  formatInr,
  formatInvoiceNumber,
  localDateAt,
  parseInvoiceNumber,
  seriesInvoiceNumber,
  taxInvoice,
} from '@gymstack/shared';
import type { Selectable, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { Database, PaymentTable } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { enqueueNotification, isNews } from '../notifications/enqueue.js';
import { messageAmount, messageDate } from '../notifications/scan.js';
import { auditRow } from './audit.js';
import { deskStaffId } from './desk-rows.js';
import type { GymContext } from './gym.js';
import { type MemberRow, findMember } from './members.js';
import { type Page, type PageRequest, paginate } from './page.js';
import { inScope } from './scope.js';

/** The cloud's own invoice series (DESIGN 3): desks have theirs, so numbers never clash or leave gaps. */
const CLOUD_SERIES_PREFIX = 'WEB';
/** The cloud's credit notes (refunds of online payments): a series of their own, gap-free like invoices. */
export const CREDIT_NOTE_SERIES_PREFIX = 'WCN';

export type PaidInvoice = { payment: Payment; invoice: Invoice };

/**
 * Money received (at the counter, or `razorpay` from the webhook: online-payments.ts), and the GSTIN of
 * a business buyer who wants it on the invoice.
 */
export type PaymentDraft = Omit<PaymentInput, 'method'> & { method: ReceivedPaymentMethod; buyerGstin?: string | null };

/**
 * The next number of a cloud series (invoices, unless `prefix` names another) in the financial year of
 * `today`. The upsert takes the series row's lock until commit, so concurrent payments queue for it and
 * a rolled-back payment frees its number: consecutive and gap-free.
 */
export async function nextInvoiceNumber(trx: Transaction<Database>, gymId: string, today: LocalDate, prefix = CLOUD_SERIES_PREFIX): Promise<{ seriesId: string; number: string }> {
  const { startYear } = financialYearOf(today);
  // The year's first number makes the series.
  const series = await trx
    .insertInto('invoice_series')
    .values({ gym_id: gymId, id: uuid(), device_id: null, prefix, fy_start_year: startYear, last_seq: 1, deleted_at: null })
    .onConflict((oc) => oc.columns(['gym_id', 'prefix', 'fy_start_year']).doUpdateSet((eb) => ({ last_seq: eb('invoice_series.last_seq', '+', 1), updated_at: new Date() })))
    .returning(['id', 'last_seq'])
    .executeTakeFirstOrThrow();
  return { seriesId: series.id, number: seriesInvoiceNumber({ prefix, startYear, seq: series.last_seq }) };
}


/** What a desk recorded offline (sync push): its ids, its instant and the number from its own series. */
export interface DeskPayment {
  paymentId: string;
  invoiceId: string;
  invoiceNumber: string;
  receivedAt: Date;
  /** The staff member signed in at the desk who took it (the desk's claim; see deskStaffId). */
  staffId: string | null;
}

/**
 * Takes a desk's invoice number into its series (DESIGN 3: each desk has its own prefix): the number must
 * be in the canonical `PREFIX/YYYY/NNNNN` form for the financial year of the payment, the prefix the
 * pushing desk's own desk code (allocated at pairing; its series is registered to it on first use; never
 * the cloud's), and next in the series. Stored as given. A number it refuses leaves the series untouched:
 * every check comes before the one write (a refused payment's number is voided through it: sync/push-apply.ts).
 */
export async function deskInvoiceNumber(trx: Transaction<Database>, gymId: string, deviceId: string, number: string, today: LocalDate): Promise<{ seriesId: string; number: string }> {
  const invalid = (message: string) => errors.validation([{ path: 'invoiceNumber', message }]);
  const parts = parseInvoiceNumber(number);
  if (!parts) throw invalid(`${number} is not an invoice number of the form PREFIX/YYYY/NNNNN`);
  if (parts.prefix === CLOUD_SERIES_PREFIX) throw invalid(`${CLOUD_SERIES_PREFIX} is the cloud's own series; a desk numbers from its own prefix`);
  const device = await trx.selectFrom('devices').select('code').where('gym_id', '=', gymId).where('id', '=', deviceId).executeTakeFirst();
  if (!device) throw errors.forbidden('paired desk');
  if (parts.prefix !== device.code) {
    throw invalid(`${number} is not in this desk's series: a desk numbers its invoices with its desk code ${device.code} as the prefix, not ${parts.prefix}`);
  }
  const { startYear, label } = financialYearOf(today);
  if (parts.startYear !== startYear) throw invalid(`${number} is not in financial year ${label}, when the payment was received`);
  const series = await trx
    .selectFrom('invoice_series')
    .select(['id', 'device_id', 'last_seq'])
    .where('prefix', '=', parts.prefix)
    .where('fy_start_year', '=', startYear)
    .forUpdate()
    .executeTakeFirst();
  if (series && series.device_id !== deviceId) throw invalid(`Invoice series ${parts.prefix} belongs to another desk`);
  const lastSeq = series?.last_seq ?? 0;
  if (parts.seq <= lastSeq) throw errors.conflict(`Invoice number ${number} was already issued in series ${parts.prefix}`);
  if (parts.seq !== lastSeq + 1) {
    throw invalid(`${number} is not consecutive: the next number in series ${parts.prefix} is ${formatInvoiceNumber({ ...parts, seq: lastSeq + 1 })}`);
  }
  if (series) {
    await trx.updateTable('invoice_series').set({ last_seq: parts.seq, updated_at: new Date() }).where('id', '=', series.id).execute();
    return { seriesId: series.id, number };
  }
  // The year's first number registers the series to the desk. A desk's pushes queue on its sync row, so
  // no other transaction races this insert; were one to, its unique key refuses the second.
  const seriesId = uuid();
  await trx
    .insertInto('invoice_series')
    .values({ gym_id: gymId, id: seriesId, device_id: deviceId, prefix: parts.prefix, fy_start_year: startYear, last_seq: parts.seq, deleted_at: null })
    .execute();
  return { seriesId, number };
}

/**
 * Who received a payment: the signed-in person's staff id; for a desk's, the staff member signed in at
 * the desk when the cloud knows them; and always the caller's device.
 */
async function receivedBy(trx: Transaction<Database>, caller: TenantScope, desk?: DeskPayment): Promise<{ staffId: string | null; deviceId: string | null }> {
  const staffId = desk ? await deskStaffId(trx, desk.staffId) : caller.role === 'desk' || caller.role === 'member' ? null : caller.userId;
  return { staffId, deviceId: caller.deviceId };
}

/**
 * Records a payment against a membership (given with what was paid against it so far) and issues its GST
 * tax invoice, in the caller's transaction.
 * Every amount is split as tax-inclusive at the plan's rate (the price is gross), so each invoice, partial
 * or not, totals exactly what was paid; place of supply is the member's state, else the gym's.
 */
export async function recordPayment(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  membership: Membership & { paidPaise: number },
  member: MemberRow,
  draft: PaymentDraft,
  desk?: DeskPayment,
): Promise<PaidInvoice> {
  const duePaise = membership.pricePaise - membership.paidPaise;
  if (draft.amountPaise > duePaise) throw errors.overpayment(formatInr(Math.max(0, duePaise)));

  const { gym } = ctx;
  // A desk's payment keeps its instant (its business date follows from it) and its own series' number.
  const now = desk?.receivedAt ?? ctx.now;
  const today = desk ? localDateAt(now, gym.time_zone) : ctx.today;
  const at = now.toISOString();
  const deviceId = access.caller.deviceId;
  if (desk && !deviceId) throw errors.forbidden('paired desk');
  const { seriesId, number } = desk && deviceId
    ? await deskInvoiceNumber(trx, gym.id, deviceId, desk.invoiceNumber, today)
    : await nextInvoiceNumber(trx, gym.id, today);
  const by = await receivedBy(trx, access.caller, desk);
  const payment: Payment = {
    id: desk?.paymentId ?? uuid(),
    memberId: member.id,
    membershipId: membership.id,
    method: draft.method,
    reference: draft.reference ?? null,
    amountPaise: draft.amountPaise,
    receivedAt: at,
    staffId: by.staffId,
    invoiceId: desk?.invoiceId ?? uuid(),
  };
  const invoice = taxInvoice({
    id: payment.invoiceId,
    number,
    payment,
    issuedOn: today,
    issuedAt: at,
    plan: membership.plan,
    // A registered buyer's place of supply is its own state, the first two digits of its GSTIN.
    memberStateCode: draft.buyerGstin ? draft.buyerGstin.slice(0, 2) : member.state_code,
    gymStateCode: gym.state_code,
    sellerGstin: gym.gstin,
  });
  // What the printed invoice shows, frozen at issue: later edits to the gym, member or plan never change it.
  const snapshot: InvoiceSnapshot = {
    seller: { name: gym.name, legalName: gym.legal_name, gstin: gym.gstin, address: gym.address, stateCode: gym.state_code, phone: gym.phone },
    buyer: { name: member.full_name, code: member.code, phone: member.phone, stateCode: member.state_code, gstin: draft.buyerGstin ?? null },
    item: { description: `${membership.plan.name} membership`, start: membership.start, end: membership.end },
    payment: { method: payment.method, reference: payment.reference },
    timeZone: gym.time_zone,
  };
  const common = { gym_id: gym.id, branch_id: member.branch_id };
  // The payment, its invoice and the audit row in one statement (one round trip). The payment names its
  // invoice, whose row the same statement inserts; that foreign key is deferred to commit.
  await trx
    .with('p', (db) =>
      db.insertInto('payments').values({
        ...common,
        id: payment.id,
        member_id: member.id,
        membership_id: membership.id,
        method: payment.method,
        reference: payment.reference,
        amount_paise: payment.amountPaise,
        received_at: at,
        received_on: today,
        staff_id: by.staffId,
        device_id: by.deviceId,
        invoice_id: invoice.id,
      }),
    )
    .with('i', (db) =>
      db.insertInto('invoices').values({
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
    )
    .insertInto('audit_log')
    .values(auditRow(access.caller, { action: 'payment.record', entity: 'payment', entityId: payment.id, old: null, new: { payment, invoice } }))
    .execute();
  // Every payment, at a desk or online, gets its WhatsApp receipt, dated when the money was received.
  if (isNews(now, ctx.now)) {
    await enqueueNotification(trx, {
      gymId: gym.id,
      memberId: member.id,
      memberName: member.full_name,
      template: 'payment_receipt',
      dueAt: now,
      data: { amount: messageAmount(payment.amountPaise), plan: membership.plan.name, date: messageDate(membership.end) },
      ref: payment.id,
    });
  }
  return { payment, invoice };
}

export const toPayment = (r: Selectable<PaymentTable>): Payment => ({
  id: r.id,
  memberId: r.member_id,
  membershipId: r.membership_id,
  method: r.method,
  reference: r.reference,
  amountPaise: r.amount_paise,
  receivedAt: r.received_at.toISOString(),
  staffId: r.staff_id,
  invoiceId: r.invoice_id,
});

/** A member's payments, newest first, each with its invoice number. */
export async function listMemberPayments(trx: Transaction<Database>, access: Access, memberId: string, query: PageRequest): Promise<Page<Payment & { invoiceNumber: string }>> {
  await findMember(trx, access, memberId);
  const rows = trx
    .selectFrom('payments')
    .innerJoin('invoices', (join) => join.onRef('invoices.gym_id', '=', 'payments.gym_id').onRef('invoices.id', '=', 'payments.invoice_id'))
    .selectAll('payments')
    .select('invoices.number as invoice_number')
    .where('payments.member_id', '=', memberId)
    .where(inScope(access, { member: 'payments.member_id', branch: 'payments.branch_id' }))
    .orderBy('payments.received_at', 'desc')
    .orderBy('payments.id', 'desc');
  const page = await paginate(trx, rows, query);
  return { items: page.items.map((r) => ({ ...toPayment(r), invoiceNumber: r.invoice_number })), meta: page.meta };
}
