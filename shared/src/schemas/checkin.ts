import { z } from 'zod';
import { denyReasons } from '../rules/checkin-verdict.js';
import { id, instant } from './common.js';

export const checkinMethods = ['finger', 'qr', 'card', 'manual'] as const;
export const checkinMethod = z.enum(checkinMethods);
export type CheckinMethod = z.infer<typeof checkinMethod>;

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
