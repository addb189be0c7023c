import { randomBytes } from 'node:crypto';
import { SEAL_KEY_BYTES } from '@gymstack/shared/crypto';
import type { FastifyBaseLogger } from 'fastify';
import { InvoiceLinks } from './invoice-links.js';
import { generateSigningKeys } from './keys.js';
import { type AuthLimits, DEFAULT_AUTH_LIMITS } from './limits.js';
import { LogOtpSender, type OtpSender } from './otp.js';
import { type Argon2Params, PasswordHasher, STANDARD_ARGON2 } from './passwords.js';
import { type SigningKeys, TokenService } from './tokens.js';

/** How the auth layer is set up; server.ts fills it from the config, tests with small numbers. */
export interface AuthSettings {
  /** Default: a new pair for this app only (tokens from anywhere else fail). */
  keys?: SigningKeys;
  /** Default: STANDARD_ARGON2. */
  argon2?: Argon2Params;
  /** Default: DEFAULT_AUTH_LIMITS. */
  limits?: AuthLimits;
  /** Default: the code goes to the log. */
  otpSender?: OtpSender;
  /** Seals the gyms' keys at rest (KEY_ENCRYPTION_KEY). Default: a new one for this app only (what it seals opens nowhere else). */
  keyEncryptionKey?: Buffer;
}

/** What the auth routes, the authenticate hook and the gym-key routes share. */
export interface Auth {
  tokens: TokenService;
  passwords: PasswordHasher;
  limits: AuthLimits;
  otp: OtpSender;
  keyEncryptionKey: Buffer;
  /** Share links to invoice PDFs, signed with the access tokens' key for an audience of their own. */
  invoiceLinks: InvoiceLinks;
}

export function createAuth(settings: AuthSettings, log: FastifyBaseLogger): Auth {
  const keys = settings.keys ?? generateSigningKeys();
  return {
    tokens: new TokenService(keys),
    passwords: new PasswordHasher(settings.argon2 ?? STANDARD_ARGON2),
    limits: settings.limits ?? DEFAULT_AUTH_LIMITS,
    otp: settings.otpSender ?? new LogOtpSender(log),
    keyEncryptionKey: settings.keyEncryptionKey ?? randomBytes(SEAL_KEY_BYTES),
    invoiceLinks: new InvoiceLinks(keys),
  };
}
