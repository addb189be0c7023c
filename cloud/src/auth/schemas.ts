import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

// Request and response shapes the auth routes share.

/** A password being checked: any length we are willing to hash. */
export const passwordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH);
/** A password being set. */
export const newPasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export const sessionSchema = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
});

export const refreshBodySchema = z.object({ refreshToken: z.string().min(1).max(128) });

export const staffUserSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(['owner', 'manager', 'frontdesk', 'trainer']),
  branchIds: z.array(z.uuid()),
});

export const gymRefSchema = z.object({ id: z.uuid(), name: z.string() });

export const staffSessionSchema = sessionSchema.extend({ user: staffUserSchema, gym: gymRefSchema });
