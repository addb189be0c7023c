import type { ReceivedPaymentMethod } from '../schemas/payment.js';
import type { Invoice } from '../schemas/payment.js';
import { isIntraState, placeOfSupply, splitGst } from './gst.js';
import type { LocalDate } from './local-date.js';

/**
 * What a member owes for a membership: the plan price less the discount, plus GST when the plan is
 * priced tax-exclusive. Dues and every invoice are then in the same, tax-inclusive unit.
 */
export function grossPrice(plan: { pricePaise: number; taxInclusive: boolean; gstRateBps: number }, discountPaise: number): number {
  const net = plan.pricePaise - discountPaise;
  return plan.taxInclusive ? net : splitGst({ amountPaise: net, inclusive: false, rateBps: plan.gstRateBps, intraState: true }).totalPaise;
}

export interface TaxInvoiceInput {
  id: string;
  number: string;
  payment: { id: string; memberId: string; amountPaise: number };
  issuedOn: LocalDate;
  issuedAt: string;
  /** From the membership's plan snapshot, as sold. */
  plan: { sac: string; gstRateBps: number };
  memberStateCode: string | null;
  gymStateCode: string;
  /** The gym's GSTIN; null when it is not registered under GST, and then charges none. */
  sellerGstin: string | null;
}

/**
 * The GST tax invoice for one payment, desk or cloud alike. Prices are tax-inclusive (`grossPrice`),
 * so each payment is split as such and every invoice totals exactly what was paid; the member's
 * state, else the gym's, is the place of supply and decides CGST+SGST or IGST. A gym not registered
 * under GST may not charge it: its document is a bill of supply, the whole amount its value, at rate 0.
 */
export function taxInvoice(input: TaxInvoiceInput): Invoice {
  const supply = { memberStateCode: input.memberStateCode, gymStateCode: input.gymStateCode };
  const rateBps = input.sellerGstin === null ? 0 : input.plan.gstRateBps;
  const split = splitGst({ amountPaise: input.payment.amountPaise, inclusive: true, rateBps, intraState: isIntraState(supply) });
  return {
    id: input.id,
    number: input.number,
    paymentId: input.payment.id,
    memberId: input.payment.memberId,
    issuedOn: input.issuedOn,
    issuedAt: input.issuedAt,
    sac: input.plan.sac,
    rateBps,
    placeOfSupply: placeOfSupply(supply),
    taxablePaise: split.taxablePaise,
    cgstPaise: split.cgstPaise,
    sgstPaise: split.sgstPaise,
    igstPaise: split.igstPaise,
    totalPaise: split.totalPaise,
  };
}

/** What a printed invoice shows, frozen at issue: later edits to the gym, member or plan never change it. */
export interface InvoiceSnapshot {
  seller: { name: string; legalName: string; gstin: string | null; address: string; stateCode: string; phone: string | null };
  /** `gstin`: a business buyer's, printed on its invoice; absent from desk invoices and those issued before. */
  buyer: { name: string; code: string; phone: string; stateCode: string | null; gstin?: string | null };
  item: { description: string; start: LocalDate; end: LocalDate };
  payment: { method: ReceivedPaymentMethod; reference: string | null };
  timeZone: string;
}
