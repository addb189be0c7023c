import { type InvoiceSnapshot, errors } from '@gymstack/shared';
import { type Receipt, receiptOf } from '@gymstack/shared/invoices';
import type { Context } from '../context.js';
import { toInvoice } from '../db/rows.js';

/** An invoice of this desk's database as printed (the model and the PDF are shared with the cloud). */
export function loadReceipt(ctx: Context, invoiceId: string): Receipt {
  const { store } = ctx;
  const row = store.first(store.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).where('deleted_at', 'is', null));
  if (!row) throw errors.notFound('Invoice');
  return receiptOf(toInvoice(row), JSON.parse(row.snapshot) as InvoiceSnapshot, ctx.desk.gym.locale);
}
