import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GST_RATE_BPS, DEFAULT_SAC, isIntraState, placeOfSupply, splitGst } from './gst.js';

const split = (amountPaise: number, inclusive: boolean, intraState = true, rateBps = DEFAULT_GST_RATE_BPS) =>
  splitGst({ amountPaise, inclusive, rateBps, intraState });

describe('splitGst', () => {
  it('has the gym defaults', () => {
    expect(DEFAULT_SAC).toBe('999723');
    expect(DEFAULT_GST_RATE_BPS).toBe(1800);
  });

  it('adds 18% on top of an exclusive price, split 9% + 9% within the state', () => {
    expect(split(100_000, false)).toEqual({ taxablePaise: 100_000, cgstPaise: 9000, sgstPaise: 9000, igstPaise: 0, taxPaise: 18_000, totalPaise: 118_000 });
  });

  it('takes 18% out of an inclusive price', () => {
    expect(split(118_000, true)).toEqual({ taxablePaise: 100_000, cgstPaise: 9000, sgstPaise: 9000, igstPaise: 0, taxPaise: 18_000, totalPaise: 118_000 });
    // ₹1,000 inclusive: 100000 / 1.18 = 84745.76 → 84746.
    expect(split(100_000, true)).toEqual({ taxablePaise: 84_746, cgstPaise: 7627, sgstPaise: 7627, igstPaise: 0, taxPaise: 15_254, totalPaise: 100_000 });
  });

  it('charges IGST across states', () => {
    expect(split(100_000, false, false)).toEqual({ taxablePaise: 100_000, cgstPaise: 0, sgstPaise: 0, igstPaise: 18_000, taxPaise: 18_000, totalPaise: 118_000 });
  });

  it('gives the odd paisa to CGST', () => {
    // 1003 × 18% = 180.54 → 181.
    expect(split(1003, false)).toMatchObject({ taxPaise: 181, cgstPaise: 91, sgstPaise: 90 });
  });

  it('rounds half up', () => {
    expect(split(25, false).taxPaise).toBe(5); // 4.5
    expect(split(3, true, true, 10_000).taxablePaise).toBe(2); // 3 / 2 = 1.5
    expect(split(24, false).taxPaise).toBe(4); // 4.32
  });

  it('handles zero amounts and zero rates', () => {
    expect(split(0, true)).toEqual({ taxablePaise: 0, cgstPaise: 0, sgstPaise: 0, igstPaise: 0, taxPaise: 0, totalPaise: 0 });
    expect(split(9999, false, true, 0)).toMatchObject({ taxablePaise: 9999, taxPaise: 0, totalPaise: 9999 });
  });

  it('stays exact beyond 2^53 intermediate products', () => {
    const amountPaise = 9_000_000_000_000; // ₹9,000 crore: amount × 10000 overflows a double's integers
    expect(split(amountPaise, false)).toMatchObject({ taxPaise: 1_620_000_000_000, totalPaise: 10_620_000_000_000 });
  });

  it('rejects negative, fractional or unsafe input', () => {
    expect(() => split(-1, true)).toThrow(RangeError);
    expect(() => split(10.5, true)).toThrow(RangeError);
    expect(() => split(100, true, true, 18.5)).toThrow(RangeError);
    expect(() => split(Number.MAX_SAFE_INTEGER, false)).toThrow(RangeError);
  });
});

describe('place of supply', () => {
  it('is the member’s state when known, else the gym’s', () => {
    expect(placeOfSupply({ memberStateCode: '29', gymStateCode: '27' })).toBe('29');
    expect(placeOfSupply({ memberStateCode: null, gymStateCode: '27' })).toBe('27');
    expect(placeOfSupply({ memberStateCode: '  ', gymStateCode: '27' })).toBe('27');
  });

  it('is intra-state when it matches the gym’s state', () => {
    expect(isIntraState({ memberStateCode: '27', gymStateCode: '27' })).toBe(true);
    expect(isIntraState({ memberStateCode: null, gymStateCode: '27' })).toBe(true);
    expect(isIntraState({ memberStateCode: '29', gymStateCode: '27' })).toBe(false);
    expect(isIntraState({ memberStateCode: ' mh ', gymStateCode: 'MH' })).toBe(true);
  });

  it('is intra-state exactly when the member’s state is unknown or the gym’s', () => {
    const code = fc.constantFrom('07', '27', '29', '33');
    fc.assert(
      fc.property(fc.option(code, { nil: null }), code, (memberStateCode, gymStateCode) => {
        expect(isIntraState({ memberStateCode, gymStateCode })).toBe(memberStateCode === null || memberStateCode === gymStateCode);
      }),
    );
  });
});

const gstArb = fc.record({
  amountPaise: fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 1e14 })),
  inclusive: fc.boolean(),
  rateBps: fc.oneof(fc.constantFrom(0, 500, 1200, 1800, 2800), fc.integer({ min: 0, max: 10_000 })),
  intraState: fc.boolean(),
});

describe('GST properties', () => {
  it('the heads always add up to the total', () => {
    fc.assert(
      fc.property(gstArb, (input) => {
        const r = splitGst(input);
        expect(r.taxablePaise + r.cgstPaise + r.sgstPaise + r.igstPaise).toBe(r.totalPaise);
        expect(r.cgstPaise + r.sgstPaise + r.igstPaise).toBe(r.taxPaise);
        for (const v of Object.values(r)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
      }),
    );
  });

  it('intra-state halves the tax within a paisa; inter-state is all IGST', () => {
    fc.assert(
      fc.property(gstArb, (input) => {
        const r = splitGst(input);
        if (input.intraState) {
          expect(r.igstPaise).toBe(0);
          expect(Math.abs(r.cgstPaise - r.sgstPaise)).toBeLessThanOrEqual(1);
        } else {
          expect(r.cgstPaise).toBe(0);
          expect(r.sgstPaise).toBe(0);
          expect(r.igstPaise).toBe(r.taxPaise);
        }
      }),
    );
  });

  it('keeps the given side of the price and lands within half a paisa of the exact figure', () => {
    fc.assert(
      fc.property(gstArb, (input) => {
        const r = splitGst(input);
        const rate = BigInt(input.rateBps);
        if (input.inclusive) {
          expect(r.totalPaise).toBe(input.amountPaise);
          // |taxable − total·10000/(10000+rate)| ≤ ½, scaled by 2·(10000+rate).
          const error = 2n * (BigInt(r.taxablePaise) * (10_000n + rate) - BigInt(r.totalPaise) * 10_000n);
          expect(error <= 10_000n + rate && -error <= 10_000n + rate).toBe(true);
        } else {
          expect(r.taxablePaise).toBe(input.amountPaise);
          const error = 2n * (BigInt(r.taxPaise) * 10_000n - BigInt(r.taxablePaise) * rate);
          expect(error <= 10_000n && -error <= 10_000n).toBe(true);
        }
      }),
    );
  });
});
