import { z } from 'zod';
import { denyReasons } from '../rules/checkin-verdict.js';
import { id, instant } from './common.js';
import { memberCode } from './member.js';

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
  /** The desk that recorded it; null when recorded at the cloud (the dashboard). */
  deviceId: z.string().nullable(),
  staffId: id.nullable(),
});
export type Checkin = z.infer<typeof checkinSchema>;

export const cardNumber = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{4,32}$/, 'Card number is 4 to 32 letters or digits');

/** What a scanner read: a card number is normalised so a reader's case never matters. */
export const credentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('card'), value: cardNumber }),
  z.object({ kind: z.enum(['finger', 'qr']), value: z.string().min(1).max(512) }),
]);

/** Who is checking in: exactly one of a picked member, a typed code or a scanned credential. */
export const checkinTargetSchema = z.object({
  method: checkinMethod,
  memberId: id.optional(),
  memberCode: memberCode.optional(),
  credential: credentialSchema.optional(),
});
/** For `.refine`: a check-in names its member exactly one way. */
export const hasOneCheckinTarget = (v: { memberId?: unknown; memberCode?: unknown; credential?: unknown }): boolean =>
  [v.memberId, v.memberCode, v.credential].filter((x) => x !== undefined).length === 1;
export const oneCheckinTargetMessage = { message: 'Give exactly one of memberId, memberCode or credential' };
