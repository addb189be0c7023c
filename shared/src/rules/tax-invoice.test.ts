import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grossPrice, taxInvoice } from './tax-invoice.js';

const base = {
  id: 'inv',
  number: 'D1/2627/00001',
  issuedOn: '2026-11-21',
  issuedAt: '2026-11-21T05:30:00.000Z',
  plan: { sac: '999723', gstRateBps: 1800 },
  gymStateCode: '27',
  sellerGstin: '27AAACA1234B1Z5',
};

describe('tax invoice for a payment', () => {
  it('splits a payment within the state into CGST and SGST, totalling what was paid', () => {
    const invoice = taxInvoice({ ...base, payment: { id: 'pay', memberId: 'm', amountPaise: 150_000 }, memberStateCode: null });
    expect(invoice).toMatchObject({ placeOfSupply: '27', taxablePaise: 127_119, cgstPaise: 11_441, sgstPaise: 11_440, igstPaise: 0, totalPaise: 150_000 });
    expect(invoice).toMatchObject({ paymentId: 'pay', memberId: 'm', sac: '999723', rateBps: 1800 });
  });

  it('charges IGST when the member is from another state', () => {
    const invoice = taxInvoice({ ...base, payment: { id: 'pay', memberId: 'm', amountPaise: 150_000 }, memberStateCode: '29' });
    expect(invoice).toMatchObject({ placeOfSupply: '29', cgstPaise: 0, sgstPaise: 0, igstPaise: 22_881, totalPaise: 150_000 });
  });

  it('charges no GST for a gym not registered under it: the whole amount is the value, at rate 0', () => {
    const invoice = taxInvoice({ ...base, sellerGstin: null, payment: { id: 'pay', memberId: 'm', amountPaise: 150_000 }, memberStateCode: '29' });
    expect(invoice).toMatchObject({ rateBps: 0, taxablePaise: 150_000, cgstPaise: 0, sgstPaise: 0, igstPaise: 0, totalPaise: 150_000 });
  });

  it('always totals exactly the amount paid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom('27', '29', null),
        fc.constantFrom(0, 500, 1200, 1800, 2800),
        fc.constantFrom(base.sellerGstin, null),
        (amountPaise, state, rate, sellerGstin) => {
          const i = taxInvoice({ ...base, sellerGstin, plan: { sac: '999723', gstRateBps: rate }, payment: { id: 'p', memberId: 'm', amountPaise }, memberStateCode: state });
          expect(i.totalPaise).toBe(amountPaise);
          expect(i.taxablePaise + i.cgstPaise + i.sgstPaise + i.igstPaise).toBe(amountPaise);
        },
      ),
    );
  });
});

describe('gross price', () => {
  it('is the discounted price for a tax-inclusive plan, and adds GST to a tax-exclusive one', () => {
    expect(grossPrice({ pricePaise: 150_000, taxInclusive: true, gstRateBps: 1800 }, 10_000)).toBe(140_000);
    expect(grossPrice({ pricePaise: 100_000, taxInclusive: false, gstRateBps: 1800 }, 0)).toBe(118_000);
  });
});
