import {
  branchSchema,
  checkinMethod,
  checkinSchema,
  fields,
  gymSchema,
  invoiceSchema,
  memberCode,
  memberInputSchema,
  memberSchema,
  membershipSchema,
  membershipStates,
  paymentInputSchema,
  paymentSchema,
} from '@gymstack/shared';
import { z } from 'zod';

/**
 * The cloud API's shapes, composed from the shared schemas (one source of truth with the desk) where
 * the cloud needs more: derived status beside a member, gym-wide desk rules, pages, staff logins.
 */
const { id, localDate, paise, instant, nonEmpty, email, phone } = fields;

export const idParams = z.object({ id });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});
export const pageMeta = z.object({ page: z.number().int(), perPage: z.number().int(), total: z.number().int() });

/** Query-string booleans: only `true` and `false`, so `?hasDues=0` is a validation error, not a surprise. */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Front-desk rules applied gym-wide: the desk's settings (except its own invoice prefix). */
export const gymSettingsSchema = z.object({
  antiPassbackMinutes: z.number().int().min(0).max(24 * 60),
  autoCheckoutHours: z.number().int().min(1).max(24),
  /** Deny check-in when dues exceed this; null never blocks. */
  duesBlockPaise: paise.nullable(),
  graceDays: z.number().int().min(0).max(60),
  expiringWithinDays: z.number().int().min(1).max(60),
});
export type GymSettings = z.infer<typeof gymSettingsSchema>;

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Must be an IANA time zone such as Asia/Kolkata');

export const gymConfigSchema = gymSchema.extend(gymSettingsSchema.shape);
export type GymConfig = z.infer<typeof gymConfigSchema>;
export const gymConfigPatchSchema = gymSchema
  .pick({ name: true, legalName: true, gstin: true, address: true, stateCode: true })
  .extend({ phone: phone.nullable(), timeZone })
  .extend(gymSettingsSchema.shape)
  .partial()
  // A misspelt field is an error, not a silent no-op.
  .strict();
export type GymConfigPatch = z.infer<typeof gymConfigPatchSchema>;

export const branchViewSchema = branchSchema.extend({ phone: z.string().nullable() });
export type BranchView = z.infer<typeof branchViewSchema>;
export const branchInputSchema = z.object({ name: nonEmpty('Branch name'), address: z.string().trim().max(400).nullish(), phone: phone.nullish() });
export type BranchInput = z.infer<typeof branchInputSchema>;

/** The seed's staff roles: the desk's three plus trainers, who use the companion app. */
export const cloudStaffRoles = ['owner', 'manager', 'frontdesk', 'trainer'] as const;
export const staffViewSchema = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(cloudStaffRoles),
  /** Empty: every branch. */
  branchIds: z.array(id),
  active: z.boolean(),
});
export type StaffView = z.infer<typeof staffViewSchema>;
export const staffInputSchema = z.object({
  name: nonEmpty('Name'),
  email: email.nullish(),
  phone: phone.nullish(),
  role: z.enum(cloudStaffRoles),
  branchIds: z.array(id).max(50).default([]),
  password: z.string().min(10, 'Password must be at least 10 characters').max(200).optional(),
});
export type StaffInput = z.infer<typeof staffInputSchema>;
export const staffPatchSchema = staffInputSchema.omit({ password: true }).partial();
export type StaffPatch = z.infer<typeof staffPatchSchema>;

export const assignmentSchema = z.object({ id, trainerId: id, memberId: id, startedAt: instant, endedAt: instant.nullable() });
export type Assignment = z.infer<typeof assignmentSchema>;
export const assignmentInputSchema = z.object({ trainerId: id, memberId: id });
export const assignmentQuery = pageQuery.extend({ trainerId: id.optional(), memberId: id.optional() });

export const memberStatusSchema = z.object({
  state: z.enum([...membershipStates, 'none']),
  membershipId: id.nullable(),
  planName: z.string().nullable(),
  end: localDate.nullable(),
  daysLeft: z.number().int(),
  duePaise: z.number().int().nonnegative(),
});
export type MemberStatus = z.infer<typeof memberStatusSchema>;
export const memberViewSchema = memberSchema.extend({ status: memberStatusSchema });
export type MemberView = z.infer<typeof memberViewSchema>;
export const memberCreateSchema = memberInputSchema.extend({ branchId: id.optional() });
export const memberPatchSchema = memberInputSchema.partial();

export const memberListQuery = pageQuery.extend({
  status: z.enum([...membershipStates, 'none']).optional(),
  /** Members whose current membership ends within this many days (and has not ended). */
  expiringWithinDays: z.coerce.number().int().min(0).max(365).optional(),
  hasDues: flag.optional(),
  /** Name, phone or member code, any part of it. */
  q: z.string().trim().min(1).max(100).optional(),
  branchId: id.optional(),
});
export type MemberListQuery = z.infer<typeof memberListQuery>;

export const planListQuery = pageQuery.extend({ includeArchived: flag.default(false) });

const saleInput = z.object({ memberId: id, planId: id, discountPaise: paise.default(0), payment: paymentInputSchema.nullish() });
export const sellInputSchema = saleInput.extend({ start: localDate.optional() });
export type SellInput = z.infer<typeof sellInputSchema>;
export const renewInputSchema = saleInput;
export const saleResultSchema = z.object({ membership: membershipSchema, payment: paymentSchema.nullable(), invoice: invoiceSchema.nullable() });
export const freezeInputSchema = z.object({ from: localDate, to: localDate, reason: z.string().trim().max(200).nullish() });
export const cancelInputSchema = z.object({ reason: nonEmpty('Reason', 200) });

export const recordPaymentSchema = z.object({ membershipId: id }).and(paymentInputSchema);
export const paymentResultSchema = z.object({ payment: paymentSchema, invoice: invoiceSchema });
export const paymentRowSchema = paymentSchema.extend({ invoiceNumber: z.string() });

const credential = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('card'), value: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{4,32}$/, 'Card number is 4 to 32 letters or digits') }),
  z.object({ kind: z.enum(['finger', 'qr']), value: z.string().min(1).max(512) }),
]);
export const checkinInputSchema = z
  .object({
    method: checkinMethod,
    memberId: id.optional(),
    memberCode: memberCode.optional(),
    credential: credential.optional(),
    /** Where the member is; a caller with one branch (a desk) may omit it. */
    branchId: id.optional(),
  })
  .refine((v) => [v.memberId, v.memberCode, v.credential].filter((x) => x !== undefined).length === 1, {
    message: 'Give exactly one of memberId, memberCode or credential',
  });
export type CheckinInput = z.infer<typeof checkinInputSchema>;
export const checkinViewSchema = checkinSchema.extend({ deviceId: z.string().nullable(), memberName: z.string().nullable(), memberCode: z.string().nullable() });
export type CheckinView = z.infer<typeof checkinViewSchema>;
export const checkinResultSchema = z.object({ checkin: checkinViewSchema, member: memberViewSchema.nullable(), reasonText: z.string().nullable() });
export const occupancyQuery = z.object({ branchId: id.optional() });
export const occupancySchema = z.object({ count: z.number().int(), since: instant });

export const auditEntrySchema = z.object({
  id,
  at: instant,
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  deviceId: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  old: z.unknown(),
  new: z.unknown(),
});
export type AuditView = z.infer<typeof auditEntrySchema>;
export const auditQuery = pageQuery.extend({ entity: z.string().max(40).optional(), entityId: id.optional() });
