import { z } from 'zod';
import { membershipStates } from '../rules/membership-state.js';
import { id, instant, localDate, paise } from './common.js';
import { planSnapshotSchema } from './plan.js';

export const freezeSchema = z.object({
  id,
  membershipId: id,
  from: localDate,
  to: localDate,
  reason: z.string().nullable(),
  createdAt: instant,
});
export type Freeze = z.infer<typeof freezeSchema>;

export const membershipSchema = z.object({
  id,
  memberId: id,
  planId: id,
  plan: planSnapshotSchema,
  start: localDate,
  end: localDate,
  /** The price charged: plan price less any discount. Dues are this less payments. */
  pricePaise: paise,
  discountPaise: paise,
  cancelledAt: instant.nullable(),
  cancelReason: z.string().nullable(),
  createdAt: instant,
});
export type Membership = z.infer<typeof membershipSchema>;

/** A membership with its derived state; state is never stored (DESIGN 3). */
export const membershipViewSchema = membershipSchema.extend({
  state: z.enum(membershipStates),
  daysLeft: z.number().int(),
  paidPaise: paise,
  duePaise: paise,
  freezes: z.array(freezeSchema),
  freezeDaysUsed: z.number().int(),
});
export type MembershipView = z.infer<typeof membershipViewSchema>;

/** A member's standing today, derived from the membership that governs access ('none' when they have none). */
export const memberStatusSchema = z.object({
  state: z.enum([...membershipStates, 'none']),
  membershipId: id.nullable(),
  planName: z.string().nullable(),
  end: localDate.nullable(),
  daysLeft: z.number().int(),
  duePaise: z.number().int().nonnegative(),
});
export type MemberStatus = z.infer<typeof memberStatusSchema>;
