import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInr, rupeesToPaise } from './format.js';

describe('formatInr', () => {
  it.each([
    [0, '₹0.00'],
    [5, '₹0.05'],
    [100, '₹1.00'],
    [99_999, '₹999.99'],
    [100_000, '₹1,000.00'],
    [12_345_600, '₹1,23,456.00'],
    [123_456_789, '₹12,34,567.89'],
    [100_000_000_000, '₹1,00,00,00,000.00'],
    [-12_345, '-₹123.45'],
    [-100_000, '-₹1,000.00'],
  ])('formats %i paise as %s', (paise, text) => {
    expect(formatInr(paise)).toBe(text);
  });

  it('formats -0 as zero', () => {
    expect(formatInr(-0)).toBe('₹0.00');
  });

  it('rejects non-integer paise', () => {
    expect(() => formatInr(10.5)).toThrow(RangeError);
    expect(() => formatInr(Number.NaN)).toThrow(RangeError);
  });
});

describe('rupeesToPaise', () => {
  it.each([
    ['1234.5', 123_450],
    ['1234', 123_400],
    ['1234.05', 123_405],
    ['0.5', 50],
    ['0', 0],
    [' 12 ', 1200],
    ['007.10', 710],
  ])('reads %j as %i paise', (input, paise) => {
    expect(rupeesToPaise(input)).toBe(paise);
  });

  it.each(['', ' ', 'abc', '1.234', '-5', '+5', '1,234', '₹5', '1e3', '.5', '5.', '1 000', 'Infinity', '0x10', '12.3.4', '99999999999999999'])(
    'rejects %j',
    (input) => {
      expect(rupeesToPaise(input)).toBeNull();
    },
  );
});

describe('money format properties', () => {
  const paiseArb = fc.oneof(fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }), fc.maxSafeInteger(), fc.maxSafeNat().map((n) => -n));

  it('groups digits the Indian way', () => {
    fc.assert(
      fc.property(paiseArb, (paise) => {
        expect(formatInr(paise)).toMatch(/^-?₹(\d{1,3}|\d{1,2}(,\d{2})*,\d{3})\.\d{2}$/);
        expect(formatInr(paise).startsWith('-')).toBe(paise < 0);
      }),
    );
  });

  it('round-trips through rupeesToPaise', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (paise) => {
        expect(rupeesToPaise(formatInr(paise).replace(/[₹,]/g, ''))).toBe(paise);
      }),
    );
  });

  it('reads every one- or two-decimal amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 99 }), (rupees, fraction) => {
        expect(rupeesToPaise(`${rupees}.${String(fraction).padStart(2, '0')}`)).toBe(rupees * 100 + fraction);
        expect(rupeesToPaise(`${rupees}.${fraction % 10}`)).toBe(rupees * 100 + (fraction % 10) * 10);
      }),
    );
  });

  it('returns null or a safe integer for any string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const paise = rupeesToPaise(s);
        expect(paise === null || (Number.isSafeInteger(paise) && paise >= 0)).toBe(true);
      }),
    );
  });
});
