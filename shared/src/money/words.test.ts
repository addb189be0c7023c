import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInWords } from './words.js';

describe('amountInWords', () => {
  it.each([
    [0, 'Rupees Zero Only'],
    [1, 'Rupees Zero and One Paise Only'],
    [100, 'Rupees One Only'],
    [1_500, 'Rupees Fifteen Only'],
    [2_000, 'Rupees Twenty Only'],
    [4_550, 'Rupees Forty Five and Fifty Paise Only'],
    [10_100, 'Rupees One Hundred One Only'],
    [11_000, 'Rupees One Hundred Ten Only'],
    [118_000, 'Rupees One Thousand One Hundred Eighty Only'],
    [10_000_100, 'Rupees One Lakh One Only'],
    [123_456_789, 'Rupees Twelve Lakh Thirty Four Thousand Five Hundred Sixty Seven and Eighty Nine Paise Only'],
    [1_000_000_000, 'Rupees One Crore Only'],
    [999_999_999, 'Rupees Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine and Ninety Nine Paise Only'],
    [123_456_789_000, 'Rupees One Hundred Twenty Three Crore Forty Five Lakh Sixty Seven Thousand Eight Hundred Ninety Only'],
    // 99,99,99,99,999 rupees
    [9_999_999_999_900, 'Rupees Nine Thousand Nine Hundred Ninety Nine Crore Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine Only'],
    // 1,00,000 crore
    [100_000_000_000_000, 'Rupees One Lakh Crore Only'],
  ])('spells %i paise', (paise, words) => {
    expect(amountInWords(paise)).toBe(words);
  });

  it('rejects negative or fractional paise', () => {
    expect(() => amountInWords(-100)).toThrow(RangeError);
    expect(() => amountInWords(1.5)).toThrow(RangeError);
  });
});

// An independent reader of the words back into a number, splitting at the last (outermost) scale word.
const VALUES = new Map<string, number>([
  ...'Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen Sixteen Seventeen Eighteen Nineteen'
    .split(' ')
    .map((w, i) => [w, i] as const),
  ...'Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety'.split(' ').map((w, i) => [w, 20 + 10 * i] as const),
]);
const SCALE: [string, number][] = [
  ['Crore', 10_000_000],
  ['Lakh', 100_000],
  ['Thousand', 1_000],
  ['Hundred', 100],
];

function readWords(words: string[]): number {
  for (const [name, size] of SCALE) {
    const at = words.lastIndexOf(name);
    if (at >= 0) return readWords(words.slice(0, at)) * size + readWords(words.slice(at + 1));
  }
  return words.reduce((sum, w) => {
    const v = VALUES.get(w);
    if (v === undefined) throw new Error(`unexpected word ${w}`);
    return sum + v;
  }, 0);
}

function readAmount(text: string): number {
  const match = /^Rupees ((?:[A-Z][a-z]+ ?)+?)(?: and ((?:[A-Z][a-z]+ ?)+) Paise)? Only$/.exec(text);
  if (!match) throw new Error(`unexpected shape: ${text}`);
  const [, rupees = '', paise] = match;
  return readWords(rupees.split(' ')) * 100 + (paise ? readWords(paise.split(' ')) : 0);
}

describe('amountInWords properties', () => {
  it('reads back to the same amount, for any safe number of paise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000_000_000 }), fc.maxSafeNat()), (paise) => {
        expect(readAmount(amountInWords(paise))).toBe(paise);
      }),
    );
  });

  it('uses each Indian scale word at most once below a crore, in descending order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (paise) => {
        const scales = amountInWords(paise).split(' ').filter((w) => ['Lakh', 'Thousand', 'Hundred'].includes(w));
        expect(scales).toEqual(['Lakh', 'Thousand', 'Hundred'].filter((s) => scales.includes(s)));
      }),
    );
  });
});
