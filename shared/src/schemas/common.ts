import { z } from 'zod';
import { isLocalDate } from '../rules/local-date.js';
import { normalizePhone } from '../rules/phone.js';

export const id = z.uuid({ version: 'v7', message: 'Must be a UUIDv7' });
export const localDate = z.string().refine(isLocalDate, 'Must be a date as YYYY-MM-DD');
export const instant = z.iso.datetime({ offset: true, message: 'Must be an ISO-8601 instant' });
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be a time as HH:MM');
/** Integer paise; money is never a float. */
export const paise = z.number().int('Must be whole paise').nonnegative('Cannot be negative').max(10_000_000_00, 'Amount too large');
export const positivePaise = paise.refine((v) => v > 0, 'Must be more than zero');
/** A phone number as typed; India is the default country. Parses to E.164. */
export const phone = z
  .string()
  .trim()
  .min(1, 'Phone is required')
  .transform((v, ctx) => {
    const e164 = normalizePhone(v);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'Enter a valid mobile number' });
      return z.NEVER;
    }
    return e164;
  });
export const email = z.email('Enter a valid email address').max(254);
/** Indian state code as in GSTIN, two digits (e.g. 27 Maharashtra, 29 Karnataka). */
export const stateCode = z.string().regex(/^\d{2}$/, 'Must be a 2-digit GST state code');
export const gstin = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, 'Enter a valid 15-character GSTIN');
export const nonEmpty = (label: string, max = 120) => z.string().trim().min(1, `${label} is required`).max(max, `${label} is too long`);
/** An IANA time zone the runtime knows, e.g. Asia/Kolkata. */
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Must be an IANA time zone such as Asia/Kolkata');
