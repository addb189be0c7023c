/**
 * The desk's typed handler API: one map of uniquely named handlers, each with a zod schema for its
 * arguments and its result. The core validates both at the boundary; the Electron IPC relay and the
 * browser-mode HTTP server carry exactly these names, so the renderer cannot tell which it is on.
 */
import { z } from 'zod';
import {
  type ErrorPayload,
  branchSchema,
  cancelInputSchema,
  cardNumber,
  checkinSchema,
  checkinTargetSchema,
  deskRulesSchema,
  fields,
  freezeInputSchema,
  gymSchema,
  hasOneCheckinTarget,
  memberInputSchema,
  memberSchema,
  memberStatusSchema,
  membershipViewSchema,
  notificationSchema,
  notificationFilters,
  oneCheckinTargetMessage,
  receivedPaymentMethods,
  paymentResultSchema,
  paymentRowSchema,
  pin,
  planInputSchema,
  planSchema,
  recordPaymentSchema,
  renewInputSchema,
  saleResultSchema,
  sellInputSchema,
  staffInputSchema,
  staffSchema,
} from '@gymstack/shared';

import { deviceConfigSchema, deviceKinds, devicePortsSchema, deviceViewSchema, enrollProgressSchema, fingerprintSchema, mqttLoginKinds, mqttLoginSchema } from './devices/contract.js';

export type { MemberStatus } from '@gymstack/shared';
export * from './devices/contract.js';

const { id, localDate, instant } = fields;
const empty = z.object({}).strict();
/** Sums across many members can pass the per-amount cap on `paise`. */
const totalPaise = z.number().int().nonnegative();
const ok = z.object({ ok: z.literal(true) });

/** Desk-wide settings a manager can change. */
export const settingsSchema = deskRulesSchema.extend({
  /** The desk's invoice series prefix, unique per desk so offline numbers never clash. */
  invoicePrefix: z.string().regex(/^[A-Z0-9-]{1,6}$/, '1 to 6 capital letters, digits or -'),
});
export type Settings = z.infer<typeof settingsSchema>;

export const memberSummarySchema = z.object({
  id,
  code: z.string(),
  fullName: z.string(),
  phone: z.string(),
  hasPhoto: z.boolean(),
  dateOfBirth: localDate.nullable(),
  status: memberStatusSchema,
});
export type MemberSummary = z.infer<typeof memberSummarySchema>;

export const memberFilter = z.enum(['all', 'active', 'expiring', 'expired', 'frozen', 'dues', 'pending']);

export const checkinRowSchema = checkinSchema.extend({
  memberName: z.string().nullable(),
  memberCode: z.string().nullable(),
});
export type CheckinRow = z.infer<typeof checkinRowSchema>;

const revenueSchema = z.object(Object.fromEntries(receivedPaymentMethods.map((m) => [m, totalPaise])) as Record<(typeof receivedPaymentMethods)[number], typeof totalPaise>).extend({
  total: totalPaise,
});

/** One mutation the cloud refused for a business reason (DESIGN 6): shown at the desk until resolved. */
export const syncRejectionSchema = z.object({
  mutationId: id,
  seq: z.number().int().positive(),
  /** The registry name, e.g. `memberships/renew`. */
  name: z.string(),
  /** What the desk did, in words, from the mutation's arguments. */
  summary: z.string(),
  code: z.string(),
  message: z.string(),
  /** When the desk made the change (its clock) and when the cloud's refusal reached it. */
  createdAt: instant,
  rejectedAt: instant,
});
export type SyncRejection = z.infer<typeof syncRejectionSchema>;

/** What the status bar shows about sync. `unpaired`: a standalone desk with no cloud. */
export const syncStatusSchema = z.object({
  state: z.enum(['unpaired', 'connecting', 'online', 'offline', 'error']),
  cloudUrl: z.string().nullable(),
  /** Outbox entries the cloud has not acknowledged yet. */
  pending: z.number().int().nonnegative(),
  /** Rejections not resolved yet. */
  rejected: z.number().int().nonnegative(),
  /** When the outbox was last drained with every table up to date. */
  lastSyncedAt: instant.nullable(),
  /** The last failure, in words, with its code (e.g. SCHEMA_VERSION_MISMATCH): null once sync recovers. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** A page of the cloud's WhatsApp messages (newest first) and how many match in all. */
const messagePage = { page: z.number().int().min(1).default(1), perPage: z.number().int().min(1).max(100).default(25) };
const messagesSchema = z.object({ items: z.array(notificationSchema), total: z.number().int().nonnegative() });

export const deskApi = {
  'desk/info': {
    input: empty,
    output: z.object({ gym: gymSchema, branch: branchSchema, deviceId: z.string(), settings: settingsSchema, today: localDate }),
  },

  'auth/staff': { input: empty, output: z.array(staffSchema) },
  'auth/login': { input: z.object({ staffId: id, pin }), output: staffSchema },
  'auth/session': { input: empty, output: staffSchema.nullable() },
  'auth/logout': { input: empty, output: ok },

  'staff/create': { input: staffInputSchema, output: staffSchema },
  'staff/setPin': { input: z.object({ staffId: id, pin }), output: ok },
  'staff/deactivate': { input: z.object({ staffId: id }), output: ok },

  'settings/get': { input: empty, output: settingsSchema },
  'settings/update': { input: settingsSchema.partial(), output: settingsSchema },
  'gym/update': { input: gymSchema.pick({ name: true, legalName: true, gstin: true, address: true, stateCode: true, phone: true }).partial(), output: gymSchema },

  'members/search': {
    input: z.object({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).default(10) }),
    output: z.array(memberSummarySchema),
  },
  'members/list': {
    input: z.object({ filter: memberFilter.default('all'), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({ items: z.array(memberSummarySchema), total: z.number().int() }),
  },
  'members/get': {
    input: z.object({ memberId: id }),
    output: z.object({
      member: memberSchema,
      status: memberStatusSchema,
      cards: z.array(z.string()),
      memberships: z.array(membershipViewSchema),
      payments: z.array(paymentRowSchema),
      checkins: z.array(checkinSchema),
    }),
  },
  'members/create': { input: memberInputSchema, output: memberSchema },
  'members/update': { input: z.object({ memberId: id, patch: memberInputSchema.partial() }), output: memberSchema },
  'members/photo': { input: z.object({ memberId: id }), output: z.object({ dataUrl: z.string().nullable() }) },
  'members/setPhoto': {
    input: z.object({
      memberId: id,
      /** A JPEG or PNG data URL of at most ~300 KB, or null to remove. */
      dataUrl: z.string().regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/, 'Must be a JPEG, PNG or WebP image').max(400_000, 'Photo is too large').nullable(),
    }),
    output: ok,
  },

  /** RFID / barcode membership cards, read at the desk by a wedge reader; the number maps to one member. */
  'cards/assign': { input: z.object({ memberId: id, number: cardNumber }), output: ok },
  'cards/revoke': { input: z.object({ memberId: id, number: cardNumber }), output: ok },

  'plans/list': { input: z.object({ includeArchived: z.boolean().default(false) }), output: z.array(planSchema) },
  'plans/create': { input: planInputSchema, output: planSchema },
  'plans/update': { input: z.object({ planId: id, patch: planInputSchema.partial() }), output: planSchema },
  'plans/archive': { input: z.object({ planId: id }), output: ok },

  'memberships/sell': { input: sellInputSchema, output: saleResultSchema },
  'memberships/renew': { input: renewInputSchema, output: saleResultSchema },
  'memberships/freeze': { input: z.object({ membershipId: id }).extend(freezeInputSchema.shape), output: membershipViewSchema },
  'memberships/unfreeze': { input: z.object({ membershipId: id }), output: membershipViewSchema },
  'memberships/cancel': { input: z.object({ membershipId: id }).extend(cancelInputSchema.shape), output: membershipViewSchema },

  'payments/record': { input: recordPaymentSchema, output: paymentResultSchema },

  'receipts/html': { input: z.object({ invoiceId: id }), output: z.object({ html: z.string(), number: z.string() }) },
  'receipts/pdf': { input: z.object({ invoiceId: id }), output: z.object({ base64: z.string(), fileName: z.string() }) },

  'checkins/create': {
    input: checkinTargetSchema.refine(hasOneCheckinTarget, oneCheckinTargetMessage),
    output: z.object({
      checkin: checkinSchema,
      member: memberSummarySchema.nullable(),
      reasonText: z.string().nullable(),
    }),
  },
  /** What a QR, barcode or card reader read (a wedge scanner in the window, or a scanner the core drives). */
  'checkins/scan': {
    input: z.object({ code: z.string().trim().min(1).max(512) }),
    output: z.object({ checkin: checkinSchema, member: memberSummarySchema.nullable(), reasonText: z.string().nullable() }),
  },
  'checkins/recent': { input: z.object({ limit: z.number().int().min(1).max(200).default(30) }), output: z.array(checkinRowSchema) },
  'checkins/occupancy': { input: empty, output: z.object({ count: z.number().int(), since: instant }) },
  'checkins/checkout': { input: z.object({ memberId: id }), output: ok },

  'dashboard/today': {
    input: empty,
    output: z.object({
      date: localDate,
      checkins: z.object({ allowed: z.number().int(), denied: z.number().int(), uniqueMembers: z.number().int() }),
      occupancy: z.number().int(),
      revenue: revenueSchema,
      expiringSoon: z.array(memberSummarySchema),
      dues: z.object({ count: z.number().int(), totalPaise, members: z.array(memberSummarySchema) }),
      birthdays: z.array(memberSummarySchema),
    }),
  },

  /** First run: whether this desk is set up (paired, or a standalone desk), so the window knows what to show. */
  'setup/status': { input: empty, output: z.object({ setUp: z.boolean() }) },
  /** First run: pairs with the cloud using an owner's pairing code, then downloads the gym before returning. */
  'setup/pair': {
    input: z.object({ cloudUrl: z.url({ protocol: /^https?$/ }), code: z.string().trim().min(4).max(32), deskName: fields.nonEmpty('Desk name').default('Front desk') }),
    output: z.object({ gymName: z.string(), branchName: z.string(), deskCode: z.string() }),
  },
  'sync/status': { input: empty, output: syncStatusSchema },
  'sync/rejections': { input: empty, output: z.array(syncRejectionSchema) },
  /** `retry` queues the change again (a new mutation); `dismiss` accepts the cloud's data and re-reads it. */
  'sync/resolve': { input: z.object({ mutationId: id, action: z.enum(['retry', 'dismiss']) }), output: ok },

  /** Every device this desk drives, with its state and recent events (the Devices screen). */
  'devices/list': { input: empty, output: z.object({ devices: z.array(deviceViewSchema), simulated: z.boolean() }) },
  'devices/config': { input: empty, output: deviceConfigSchema },
  'devices/ports': { input: empty, output: devicePortsSchema },
  /** Changes which devices the desk drives; they restart with the new settings. */
  'devices/configure': { input: deviceConfigSchema, output: deviceConfigSchema },
  /** A LAN device's own login on the desk's embedded broker; its password is shown once, here. */
  'devices/mqttLogin': {
    input: z.object({ kind: z.enum(mqttLoginKinds), deviceId: mqttLoginSchema.shape.deviceId }),
    output: z.object({ username: z.string(), password: z.string() }),
  },
  /** Reader: LED and template count; door: one pulse; scanner and MQTT: a round trip. */
  'devices/test': { input: z.object({ device: z.enum(deviceKinds) }), output: z.object({ message: z.string() }) },
  /** Drives the simulators (demo and tests): a member's finger on the reader, or a code at the scanner. */
  'devices/simulate': {
    input: z.discriminatedUnion('action', [
      z.object({ action: z.literal('finger'), memberId: id }),
      z.object({ action: z.literal('stranger') }),
      z.object({ action: z.literal('scan'), code: z.string().min(1).max(512) }),
    ]),
    output: ok,
  },

  /** Three presses on the reader; the template is sealed, stored and synced. Consent is required and recorded. */
  'fingerprints/enroll': { input: z.object({ memberId: id, consent: z.literal(true, 'The member must consent to storing their fingerprint') }), output: fingerprintSchema },
  'fingerprints/cancel': { input: empty, output: ok },
  'fingerprints/list': { input: z.object({ memberId: id }), output: z.array(fingerprintSchema) },
  'fingerprints/remove': { input: z.object({ memberId: id, fingerprintId: id }), output: ok },

  /** A member pass QR signed with the gym's key, valid for a minute (shown on screen to scan or print). */
  'passes/issue': { input: z.object({ memberId: id }), output: z.object({ token: z.string(), expiresAt: instant }) },

  // The WhatsApp messages the cloud sends (DESIGN 5), asked of it: NOT_PAIRED on a standalone desk, UNAVAILABLE offline.
  'messages/list': {
    input: notificationFilters.pick({ status: true, template: true }).extend(messagePage),
    output: messagesSchema,
  },
  /** One member's messages, for their profile. */
  'messages/member': { input: z.object({ memberId: id, ...messagePage }), output: messagesSchema },
  /** Queues a dead-lettered message again (CONFLICT for any other). */
  'messages/retry': { input: z.object({ messageId: id }), output: notificationSchema },

  'audit/list': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }),
    output: z.array(
      z.object({ id, at: instant, staffId: id.nullable(), staffName: z.string().nullable(), action: z.string(), entity: z.string(), entityId: z.string(), summary: z.string() }),
    ),
  },
} as const;

export type DeskApi = typeof deskApi;
export type HandlerName = keyof DeskApi;
/** What a caller passes: defaults may be omitted. */
export type HandlerArgs<N extends HandlerName> = z.input<DeskApi[N]['input']>;
/** What a handler receives after validation. */
export type HandlerInput<N extends HandlerName> = z.output<DeskApi[N]['input']>;
export type HandlerResult<N extends HandlerName> = z.output<DeskApi[N]['output']>;

export const handlerNames = Object.keys(deskApi) as HandlerName[];
export const isHandlerName = (name: string): name is HandlerName => Object.hasOwn(deskApi, name);

/** Pushed by the core to every connected window, so screens refresh without polling. */
export const deskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('checkin'), checkin: checkinRowSchema, reasonText: z.string().nullable() }),
  z.object({ type: z.literal('changed'), entities: z.array(z.enum(['members', 'plans', 'memberships', 'payments', 'checkins', 'settings', 'staff', 'gym'])) }),
  z.object({ type: z.literal('session'), staff: staffSchema.nullable() }),
  z.object({ type: z.literal('sync'), status: syncStatusSchema }),
  z.object({ type: z.literal('enroll'), progress: enrollProgressSchema }),
  z.object({ type: z.literal('devices') }),
]);
export type DeskEvent = z.infer<typeof deskEventSchema>;

/** What every transport carries back: a result, or an error payload (never a stack trace). */
export type DeskReply = { ok: true; data: unknown } | { ok: false; error: ErrorPayload };
