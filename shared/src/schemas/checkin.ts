import { z } from 'zod';
import { id, instant } from './common.js';

export const checkinMethods = ['finger', 'qr', 'card', 'manual'] as const;
export const checkinMethod = z.enum(checkinMethods);
export type CheckinMethod = z.infer<typeof checkinMethod>;

export const denyReasons = [
  'UNKNOWN_CREDENTIAL',
  'CANCELLED',
  'NO_MEMBERSHIP',
  'FROZEN',
  'NOT_STARTED',
  'EXPIRED',
  'DUES_BLOCK',
  'BRANCH_NOT_ALLOWED',
  'OUTSIDE_HOURS',
  'ANTI_PASSBACK',
] as const;

export const checkinSchema = z.object({
  id,
  memberId: id.nullable(),
  branchId: id,
  method: checkinMethod,
  verdict: z.enum(['allow', 'deny']),
  reason: z.enum(denyReasons).nullable(),
  at: instant,
  deviceId: z.string(),
  staffId: id.nullable(),
});
export type Checkin = z.infer<typeof checkinSchema>;
