import { hash, verify } from '@node-rs/argon2';

/** Argon2id (the library's default algorithm) with its default, OWASP-level cost. */
export const hashPin = (pin: string): Promise<string> => hash(pin);

export const verifyPin = (pinHash: string, pin: string): Promise<boolean> => verify(pinHash, pin);

/** Wrong PINs allowed in a row before the staff member is locked out. */
export const MAX_FAILED_PINS = 5;
export const PIN_LOCK_MINUTES = 5;
