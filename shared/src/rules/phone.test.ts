import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['98765 43210', '+919876543210'],
    ['9876543210', '+919876543210'],
    ['09876543210', '+919876543210'],
    ['+91 98765-43210', '+919876543210'],
    ['(987) 654-3210', '+919876543210'],
    ['+1 415 555 2671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalises %j to %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it('reads national numbers in the given country', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it.each(['', 'abc', '98765', '55555 55555', '0000000000', '+91 98765 4321', '+91 98765 432100', '+999 123456'])('rejects %j', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('throws on an unsupported default country', () => {
    expect(() => normalizePhone('9876543210', 'XX')).toThrow(RangeError);
  });
});

describe('normalizePhone properties', () => {
  const mobileArb = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `98${String(n).padStart(8, '0')}`);

  it('gives the same E.164 for any way of typing an Indian mobile', () => {
    const typed = fc.tuple(mobileArb, fc.constantFrom('', '0', '+91', '+91 ', '91'), fc.array(fc.constantFrom(' ', '-'), { minLength: 9, maxLength: 9 }));
    fc.assert(
      fc.property(typed, ([digits, lead, separators]) => {
        const spaced = [...digits].map((d, i) => d + (separators[i] ?? '')).join('');
        expect(normalizePhone(lead + spaced)).toBe(`+91${digits}`);
      }),
    );
  });

  it('returns null or an idempotent E.164 number for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ()-]{0,16}$/)), (input) => {
        const e164 = normalizePhone(input);
        if (e164 !== null) {
          expect(e164).toMatch(/^\+[1-9]\d{6,14}$/);
          expect(normalizePhone(e164)).toBe(e164);
        }
      }),
    );
  });
});
