import { describe, expect, it } from 'vitest';
import { type InvoiceSnapshot, taxInvoice } from '../rules/tax-invoice.js';
import { receiptOf } from './receipt.js';

const snapshot = (gstin: string | null): InvoiceSnapshot => ({
  seller: { name: 'Iron Temple', legalName: 'Iron Temple LLP', gstin, address: '1 MG Road', stateCode: '27', phone: null },
  buyer: { name: 'Asha', code: 'M1', phone: '+919800000001', stateCode: null },
  item: { description: 'Monthly membership', start: '2026-11-21', end: '2026-12-20' },
  payment: { method: 'cash', reference: null },
  timeZone: 'Asia/Kolkata',
});
const invoiceFor = (sellerGstin: string | null) =>
  taxInvoice({
    id: 'inv',
    number: 'D1/2627/00001',
    payment: { id: 'pay', memberId: 'm', amountPaise: 150_000 },
    issuedOn: '2026-11-21',
    issuedAt: '2026-11-21T05:30:00.000Z',
    plan: { sac: '999723', gstRateBps: 1800 },
    memberStateCode: null,
    gymStateCode: '27',
    sellerGstin,
  });

describe('what an invoice prints as', () => {
  it('a tax invoice with CGST and SGST from a registered gym', () => {
    const r = receiptOf(invoiceFor('27AAACA1234B1Z5'), snapshot('27AAACA1234B1Z5'), 'en-IN');
    expect([r.title, r.sellerTaxId, r.taxNote]).toEqual(['Tax invoice', 'GSTIN: 27AAACA1234B1Z5', null]);
    expect(r.taxes.map((t) => t.label)).toEqual(['CGST @ 9%', 'SGST @ 9%']);
  });

  it('a bill of supply with no tax lines from a gym not registered under GST', () => {
    const r = receiptOf(invoiceFor(null), snapshot(null), 'en-IN');
    expect([r.title, r.sellerTaxId, r.taxes]).toEqual(['Bill of supply', 'Not registered under GST', []]);
    expect(r.taxNote).toContain('not registered under GST');
  });

  it('the tax invoice it was, for one an unregistered gym issued with GST before bills of supply existed', () => {
    const r = receiptOf(invoiceFor('27AAACA1234B1Z5'), snapshot(null), 'en-IN');
    expect([r.title, r.sellerTaxId]).toEqual(['Tax invoice', 'Not registered under GST']);
    expect(r.taxes.map((t) => t.paise)).toEqual([11_441, 11_440]);
  });
});
