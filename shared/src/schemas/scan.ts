import { cardNumber } from './checkin.js';
import { memberCode } from './member.js';

/** What every member pass token starts with, so a scanned string is recognisable without decoding it. */
export const passTokenPrefix = 'GP1.';

/** What a scanner read, decided by its shape alone (nothing is looked up). */
export type ScanRead =
  | { kind: 'pass'; token: string }
  /**
   * Most card numbers (e.g. `0004567890`) also fit a member code, so `card` is the same text as a
   * card number when it is one: look the code up first, then the card.
   */
  | { kind: 'member_code'; code: string; card: string | null }
  | { kind: 'card'; number: string }
  | { kind: 'unreadable' };

/** Sorts a scanner's read into a pass token, a member code or a card number; trailing CR/LF and spaces are ignored. */
export function classifyScan(read: string): ScanRead {
  const text = read.trim();
  if (text.startsWith(passTokenPrefix)) return { kind: 'pass', token: text };
  const card = cardNumber.safeParse(text);
  const code = memberCode.safeParse(text);
  if (code.success) return { kind: 'member_code', code: code.data, card: card.success ? card.data : null };
  if (card.success) return { kind: 'card', number: card.data };
  return { kind: 'unreadable' };
}
