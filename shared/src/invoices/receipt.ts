import { amountInWords } from '../money/words.js';
import type { Invoice } from '../schemas/payment.js';
import type { InvoiceSnapshot } from '../rules/tax-invoice.js';

/** One invoice as printed, whatever the medium: HTML for the desk's screen and printer, PDF to share. */
export interface Receipt {
  invoice: Invoice;
  snapshot: InvoiceSnapshot;
  /** `Tax invoice`, or `Bill of supply` from a gym not registered under GST (it charges none). */
  title: string;
  /** `GSTIN: …`, or that the gym is not registered. */
  sellerTaxId: string;
  /** What a bill of supply must say of the missing tax; null on a tax invoice. */
  taxNote: string | null;
  issuedOn: string;
  period: string;
  methodLabel: string;
  /** Tax heads with their rates, e.g. `CGST @ 9%`; only those that apply. */
  taxes: { label: string; paise: number }[];
  totalInWords: string;
}

const methodLabels: Record<InvoiceSnapshot['payment']['method'], string> = { cash: 'Cash', upi_offline: 'UPI', card_terminal: 'Card', razorpay: 'Online (Razorpay)' };

const percent = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** A business date as the gym reads it, e.g. `21 Nov 2026`. */
function formatDate(date: string, locale: string): string {
  // A LocalDate is a calendar day, not an instant: format it at UTC midnight in UTC.
  return new Intl.DateTimeFormat(locale, { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** What the desk and the cloud print for an issued invoice and its snapshot, in the gym's locale. */
export function receiptOf(invoice: Invoice, snapshot: InvoiceSnapshot, locale: string): Receipt {
  // A bill of supply charges no tax. An invoice a gym without a GSTIN issued before those existed did, and
  // prints as the tax invoice it was.
  const taxInvoice = snapshot.seller.gstin !== null || invoice.rateBps > 0;
  const half = percent(invoice.rateBps / 2);
  const taxes = !taxInvoice
    ? []
    : invoice.placeOfSupply === snapshot.seller.stateCode
      ? [
          { label: `CGST @ ${half}`, paise: invoice.cgstPaise },
          { label: `SGST @ ${half}`, paise: invoice.sgstPaise },
        ]
      : [{ label: `IGST @ ${percent(invoice.rateBps)}`, paise: invoice.igstPaise }];
  return {
    invoice,
    snapshot,
    title: taxInvoice ? 'Tax invoice' : 'Bill of supply',
    sellerTaxId: snapshot.seller.gstin ? `GSTIN: ${snapshot.seller.gstin}` : 'Not registered under GST',
    taxNote: taxInvoice ? null : 'Supplied by a person not registered under GST: no tax is charged.',
    issuedOn: formatDate(invoice.issuedOn, locale),
    period: `${formatDate(snapshot.item.start, locale)} to ${formatDate(snapshot.item.end, locale)}`,
    methodLabel: methodLabels[snapshot.payment.method],
    taxes,
    totalInWords: amountInWords(invoice.totalPaise),
  };
}

/** `invoice-D1-2627-00042.pdf`: the number without its slashes, which no file system takes. */
export const invoiceFileName = (number: string): string => `invoice-${number.replaceAll('/', '-')}.pdf`;
