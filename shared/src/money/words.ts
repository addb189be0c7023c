import { assertInteger } from '../rules/assert.js';

const ONES = [
  '', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten',
  'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen',
];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

function belowHundred(n: number): string[] {
  if (n < 20) return n === 0 ? [] : [ONES[n] ?? ''];
  return [TENS[Math.floor(n / 10)] ?? '', ...belowHundred(n % 10)];
}

// Indian scale; a crore count of 100 or more is itself spelled out ("One Hundred Crore", "Ten Lakh Crore").
const SCALES: [size: number, name: string][] = [
  [10_000_000, 'Crore'],
  [100_000, 'Lakh'],
  [1_000, 'Thousand'],
  [100, 'Hundred'],
];

function indianWords(n: number): string[] {
  for (const [size, name] of SCALES) {
    if (n >= size) return [...indianWords(Math.floor(n / size)), name, ...indianWords(n % size)];
  }
  return belowHundred(n);
}

/** For invoices: 123456789 → `Rupees Twelve Lakh Thirty Four Thousand Five Hundred Sixty Seven and Eighty Nine Paise Only`. */
export function amountInWords(paise: number): string {
  assertInteger(paise, 'paise', 0);
  const rupees = Math.floor(paise / 100);
  const rest = paise % 100;
  const rupeeWords = rupees === 0 ? 'Zero' : indianWords(rupees).join(' ');
  const paiseWords = rest === 0 ? '' : ` and ${belowHundred(rest).join(' ')} Paise`;
  return `Rupees ${rupeeWords}${paiseWords} Only`;
}
