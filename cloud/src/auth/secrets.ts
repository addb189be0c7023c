import { createHash, randomBytes, randomInt } from 'node:crypto';

/** An opaque bearer secret: 32 random bytes, base64url. Only its hash is stored. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Crockford base32 without I, L, O, U: nothing to misread when typing a code off a screen. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A pairing code: 10 symbols (50 bits) shown as `XXXXX-XXXXX`. */
export function newPairingCode(): string {
  const symbols = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/** How a typed pairing code is compared: case and separators do not matter. */
export const canonicalPairingCode = (code: string): string => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** A 6-digit one-time password, leading zeros kept. */
export const newOtp = (): string => String(randomInt(1_000_000)).padStart(6, '0');
