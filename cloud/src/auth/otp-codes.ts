import { timingSafeEqual } from 'node:crypto';
import { normalizePhone } from '@gymstack/shared';
import { z } from 'zod';
import { sha256 } from './secrets.js';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;
export const OTP_MAX_SENDS_PER_HOUR = 5;

/** A phone number as members have it on file: E.164, via the shared rule. */
export const phoneSchema = z
  .string()
  .max(32)
  .transform((input, ctx) => normalizePhone(input) ?? (ctx.addIssue({ code: 'custom', message: 'Not a valid phone number' }), z.NEVER));

/** Bound to its row, so equal codes of two requests hash apart. */
export const otpHash = (otpId: string, code: string): Buffer => sha256(`${otpId}:${code}`);

export const otpMatches = (stored: Buffer, otpId: string, code: string): boolean => timingSafeEqual(stored, otpHash(otpId, code));
