import type { Invoice, Payment } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import type { Access } from '../auth/permissions.js';
import type { Database } from '../db/schema.js';
import { toInvoice } from './invoices.js';
import { type Page, paginate } from './page.js';
import { toPayment } from './payments.js';
import type { LedgerQuery } from './schemas.js';
import { inScope } from './scope.js';

/**
 * The owner's ledger: payments, and the invoices issued for them (one each), filtered alike by business
 * date (`from`/`to`, inclusive), method, member and desk, newest first, within the caller's grant.
 */
function ledger(trx: Transaction<Database>, access: Access, q: LedgerQuery) {
  let rows = trx
    .selectFrom('payments')
    .innerJoin('invoices', (join) => join.onRef('invoices.gym_id', '=', 'payments.gym_id').onRef('invoices.id', '=', 'payments.invoice_id'))
    .where(inScope(access, { member: 'payments.member_id', branch: 'payments.branch_id' }))
    .orderBy('payments.received_at', 'desc')
    .orderBy('payments.id', 'desc');
  if (q.from) rows = rows.where('payments.received_on', '>=', q.from);
  if (q.to) rows = rows.where('payments.received_on', '<=', q.to);
  if (q.method) rows = rows.where('payments.method', '=', q.method);
  if (q.memberId) rows = rows.where('payments.member_id', '=', q.memberId);
  if (q.deviceId) rows = rows.where('payments.device_id', '=', q.deviceId);
  return rows;
}

export type LedgerPayment = Payment & { invoiceNumber: string; deviceId: string | null };
export type LedgerInvoice = Invoice & { method: Payment['method']; deviceId: string | null };

export async function listPayments(trx: Transaction<Database>, access: Access, q: LedgerQuery): Promise<Page<LedgerPayment>> {
  const page = await paginate(trx, ledger(trx, access, q).selectAll('payments').select('invoices.number as invoice_number'), q);
  return {
    items: page.items.map((r) => ({ ...toPayment(r), invoiceNumber: r.invoice_number, deviceId: r.device_id })),
    meta: page.meta,
  };
}

export async function listInvoices(trx: Transaction<Database>, access: Access, q: LedgerQuery): Promise<Page<LedgerInvoice>> {
  const page = await paginate(trx, ledger(trx, access, q).selectAll('invoices').select(['payments.method', 'payments.device_id as payment_device_id']), q);
  return { items: page.items.map((r) => ({ ...toInvoice(r), method: r.method, deviceId: r.payment_device_id })), meta: page.meta };
}
