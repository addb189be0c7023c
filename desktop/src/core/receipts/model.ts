import { type Invoice, type InvoiceSnapshot, amountInWords, errors } from '@gymstack/shared';
import type { Context } from '../context.js';
import { toInvoice } from '../db/rows.js';

/** One invoice as printed, whatever the medium: HTML for the screen and printer, PDF to share. */
export interface Receipt {
  invoice: Invoice;
  snapshot: InvoiceSnapshot;
  issuedOn: string;
  period: string;
  methodLabel: string;
  /** Tax heads with their rates, e.g. `CGST @ 9%`; only those that apply. */
  taxes: { label: string; paise: number }[];
  totalInWords: string;
}

const methodLabels = { cash: 'Cash', upi_offline: 'UPI', card_terminal: 'Card', razorpay: 'Online (Razorpay)' } as const;

const percent = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** A business date as the gym reads it, e.g. `21 Nov 2026`. */
function formatDate(date: string, locale: string): string {
  // A LocalDate is a calendar day, not an instant: format it at UTC midnight in UTC.
  return new Intl.DateTimeFormat(locale, { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export function loadReceipt(ctx: Context, invoiceId: string): Receipt {
  const { store } = ctx;
  const row = store.first(store.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).where('deleted_at', 'is', null));
  if (!row) throw errors.notFound('Invoice');
  const invoice = toInvoice(row);
  const snapshot = JSON.parse(row.snapshot) as InvoiceSnapshot;
  const locale = ctx.desk.gym.locale;
  const half = percent(invoice.rateBps / 2);
  const taxes =
    invoice.placeOfSupply === snapshot.seller.stateCode
      ? [
          { label: `CGST @ ${half}`, paise: invoice.cgstPaise },
          { label: `SGST @ ${half}`, paise: invoice.sgstPaise },
        ]
      : [{ label: `IGST @ ${percent(invoice.rateBps)}`, paise: invoice.igstPaise }];
  return {
    invoice,
    snapshot,
    issuedOn: formatDate(invoice.issuedOn, locale),
    period: `${formatDate(snapshot.item.start, locale)} to ${formatDate(snapshot.item.end, locale)}`,
    methodLabel: methodLabels[snapshot.payment.method],
    taxes,
    totalInWords: amountInWords(invoice.totalPaise),
  };
}
