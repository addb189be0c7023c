import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Compares a presented secret (a session token, a webhook's URL token) with the expected one in constant
 * time; hashing both first makes it independent of the presented one's length too.
 */
export const tokenMatches = (presented: string | null | undefined, expected: string): boolean =>
  presented != null && timingSafeEqual(digest(presented), digest(expected));
