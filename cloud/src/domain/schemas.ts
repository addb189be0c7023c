import {
  type DeskRules,
  branchSchema,
  checkinSchema,
  checkinTargetSchema,
  deskRulesSchema,
  fields,
  gymSchema,
  hasOneCheckinTarget,
  invoiceSchema,
  memberInputSchema,
  memberSchema,
  memberStatusSchema,
  membershipStates,
  oneCheckinTargetMessage,
  paymentRowSchema,
  pin,
  receivedPaymentMethod,
  recordPaymentSchema,
} from '@gymstack/shared';
import { z } from 'zod';
import { INVOICE_LINK_DEFAULT_DAYS, INVOICE_LINK_MAX_DAYS } from '../auth/invoice-links.js';

/**
 * The cloud API's shapes, composed from the shared schemas (one source of truth with the desk) where
 * the cloud needs more: derived status beside a member, gym-wide desk rules, pages, staff logins.
 */
const { id, instant, localDate, gstin, nonEmpty, email, phone, timeZone } = fields;

export const idParams = z.object({ id });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});
export const pageMeta = z.object({ page: z.number().int(), perPage: z.number().int(), total: z.number().int() });

/** Query-string booleans: only `true` and `false`, so `?hasDues=0` is a validation error, not a surprise. */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Front-desk rules applied gym-wide: the desk's settings (except its own invoice prefix). */
export const gymSettingsSchema = deskRulesSchema;
export type GymSettings = DeskRules;

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
  /** Whether the person can log in at a desk. The PIN and its hash are never answered. */
  hasPin: z.boolean(),
});
export type StaffView = z.infer<typeof staffViewSchema>;
export const staffInputSchema = z.object({
  name: nonEmpty('Name'),
  email: email.nullish(),
  phone: phone.nullish(),
  role: z.enum(cloudStaffRoles),
  branchIds: z.array(id).max(50).default([]),
  password: z.string().min(10, 'Password must be at least 10 characters').max(200).optional(),
  /** The desk login PIN (the desk's own rule), stored only as an argon2id hash that desks sync down. */
  pin: pin.optional(),
});
export type StaffInput = z.infer<typeof staffInputSchema>;
/**
 * A field merge: only what is sent changes. `branchIds` is restated without the create's default, which
 * `.partial()` would keep and so reset every update to every branch. `pin: null` clears the PIN: the
 * person can no longer log in at any desk.
 */
export const staffPatchSchema = staffInputSchema
  .omit({ password: true, pin: true })
  .partial()
  .extend({ branchIds: z.array(id).max(50).optional(), pin: pin.nullable().optional() });
export type StaffPatch = z.infer<typeof staffPatchSchema>;

export const assignmentSchema = z.object({ id, trainerId: id, memberId: id, startedAt: instant, endedAt: instant.nullable() });
export type Assignment = z.infer<typeof assignmentSchema>;
export const assignmentInputSchema = z.object({ trainerId: id, memberId: id });
export const assignmentQuery = pageQuery.extend({ trainerId: id.optional(), memberId: id.optional() });

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


export const checkinInputSchema = checkinTargetSchema
  .extend({
    /** Where the member is; a caller with one branch (a desk) may omit it. */
    branchId: id.optional(),
  })
  .refine(hasOneCheckinTarget, oneCheckinTargetMessage);
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

/** A payment taken in the cloud; a business buyer may have its GSTIN printed on the invoice. */
export const recordOfflinePaymentSchema = recordPaymentSchema.and(z.object({ buyerGstin: gstin.nullish() }));

/** The owner's ledger filters (payments and invoices alike): business dates inclusive, method, member, desk. */
export const ledgerQuery = pageQuery.extend({
  from: localDate.optional(),
  to: localDate.optional(),
  method: receivedPaymentMethod.optional(),
  memberId: id.optional(),
  deviceId: id.optional(),
});
export type LedgerQuery = z.infer<typeof ledgerQuery>;
export const ledgerPaymentSchema = paymentRowSchema.extend({ deviceId: id.nullable() });
export const ledgerInvoiceSchema = invoiceSchema.extend({ method: receivedPaymentMethod, deviceId: id.nullable() });

export const shareLinkInputSchema = z.object({
  expiresInDays: z.number().int().min(1).max(INVOICE_LINK_MAX_DAYS).default(INVOICE_LINK_DEFAULT_DAYS),
});
export const shareLinkSchema = z.object({
  /** Opens the PDF without a login until `expiresAt`. */
  url: z.string(),
  token: z.string(),
  expiresAt: instant,
});
/** Links shared before `revokedAt` no longer open. */
export const revokedLinksSchema = z.object({ invoiceId: id, revokedAt: instant });

export const reconciliationQuery = z.object({ date: localDate.optional(), deviceId: id.optional() });
/** One payment to match against a UPI or card slip (or an online settlement). */
const slipSchema = z.object({ paymentId: id, reference: z.string().nullable(), amountPaise: z.number().int(), invoiceNumber: z.string(), receivedAt: instant });
const takings = {
  cashPaise: z.number().int(),
  upiPaise: z.number().int(),
  cardPaise: z.number().int(),
  onlinePaise: z.number().int(),
  totalPaise: z.number().int(),
};
const reconciliationShiftSchema = z.object({
  staffId: id.nullable(),
  staffName: z.string().nullable(),
  from: instant,
  to: instant,
  count: z.number().int(),
  upi: z.array(slipSchema),
  card: z.array(slipSchema),
  online: z.array(slipSchema.extend({ method: z.string() })),
  ...takings,
});
/**
 * A desk's invoice number voided because the cloud refused its payment (sync push): money the desk took
 * that no payment here counts, and the reason, to match the drawer or a slip by hand.
 */
const voidedInvoiceSchema = z.object({
  invoiceNumber: z.string(),
  method: z.string(),
  reference: z.string().nullable(),
  amountPaise: z.number().int(),
  receivedAt: instant,
  reason: z.object({ code: z.string(), message: z.string() }),
  voidedAt: instant,
});
const reconciliationDeskSchema = z.object({
  /** null: payments taken in the cloud rather than at a desk. */
  deviceId: id.nullable(),
  deviceName: z.string().nullable(),
  deviceCode: z.string().nullable(),
  shifts: z.array(reconciliationShiftSchema),
  voided: z.array(voidedInvoiceSchema),
  ...takings,
});
export const reconciliationSchema = z.object({ date: localDate, desks: z.array(reconciliationDeskSchema), ...takings });
export type ReconciliationShift = z.infer<typeof reconciliationShiftSchema>;
export type ReconciliationDesk = z.infer<typeof reconciliationDeskSchema>;
export type Reconciliation = z.infer<typeof reconciliationSchema>;
