import { assertInteger } from '../rules/assert.js';

/** Indian digit grouping: the last three digits, then pairs (12,34,567). */
function groupIndian(digits: string): string {
  const head = digits.slice(0, -3);
  const tail = digits.slice(-3);
  return head === '' ? tail : `${head.replace(/\B(?=(\d{2})+$)/g, ',')},${tail}`;
}

/** `₹1,23,456.00`; negatives as `-₹1,23,456.00`. */
export function formatInr(paise: number): string {
  assertInteger(paise, 'paise');
  const abs = Math.abs(paise);
  const amount = `₹${groupIndian(String(Math.floor(abs / 100)))}.${String(abs % 100).padStart(2, '0')}`;
  return paise < 0 ? `-${amount}` : amount;
}

const RUPEES = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a typed rupee amount (`1234`, `1234.5`, `1234.50`, surrounding spaces allowed) into paise.
 * Null for anything else: signs, separators, symbols, a third decimal, or more than fits a safe integer.
 */
export function rupeesToPaise(input: string): number | null {
  const match = RUPEES.exec(input.trim());
  if (!match) return null;
  const [, rupees = '', fraction = ''] = match;
  const paise = Number(rupees) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(paise) ? paise : null;
}
