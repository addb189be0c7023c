import { z } from 'zod';
import { AppError, ErrorCode, issuesFromZod } from '../errors.js';
import { cardNumber, checkinSchema } from '../schemas/checkin.js';
import { id, instant, localDate, positivePaise } from '../schemas/common.js';
import { gymSchema } from '../schemas/gym.js';
import { memberCode, memberInputSchema } from '../schemas/member.js';
import { membershipSchema } from '../schemas/membership.js';
import { paymentMethod, paymentSchema } from '../schemas/payment.js';
import { planInputSchema } from '../schemas/plan.js';
import { cancelInputSchema, freezeInputSchema } from '../schemas/sale.js';
import { deskRulesSchema } from '../schemas/settings.js';
import { staffRole } from '../schemas/staff.js';

/**
 * The sync protocol's version (DESIGN 6): bump it when a mutation's arguments change incompatibly. A
 * desk sends it with every push and the cloud refuses one it cannot read (SCHEMA_VERSION_MISMATCH).
 */
export const SYNC_SCHEMA_VERSION = 1;
/** The oldest desk schema the cloud still applies. */
export const MIN_SYNC_SCHEMA_VERSION = 1;
export const isCompatibleSchemaVersion = (v: number): boolean => Number.isInteger(v) && v >= MIN_SYNC_SCHEMA_VERSION && v <= SYNC_SCHEMA_VERSION;

/** A payment as the desk recorded it: its ids, instant and the number it took from the desk's invoice series. */
export const paymentArgsSchema = paymentSchema.extend({
  // Desks take counter payments only; online ones are the cloud's.
  method: paymentMethod,
  amountPaise: positivePaise,
  invoiceNumber: z.string().min(1).max(16),
});
export type PaymentArgs = z.infer<typeof paymentArgsSchema>;

/** A membership sold or renewed at the desk: the whole row (id, snapshot, term, price) and its first payment, if any. */
const saleArgs = membershipSchema.extend({ payment: paymentArgsSchema.nullable() });

/** A desk's own settings (DESIGN 4): the gym-wide rules plus its invoice prefix. */
const deskSettingsPatch = deskRulesSchema.extend({ invoicePrefix: z.string().regex(/^[A-Z0-9-]{1,6}$/, '1 to 6 capital letters, digits or -') }).partial();

/**
 * Every desk write that syncs, by name (the desk handler's name), with the schema of the arguments the
 * desk appends to its outbox. The arguments carry every id and instant born on the desk, so the cloud
 * creates the same rows. Desk and cloud import this one registry: the desk validates inside the write
 * (a desk bug fails the write rather than poisoning the queue) and the cloud validates on push.
 */
export const mutationSchemas = {
  'members/create': memberInputSchema.extend({ id, code: memberCode, branchId: id.optional(), createdAt: instant.optional() }),
  'members/update': z.object({ memberId: id, patch: memberInputSchema.partial() }),
  'members/setPhoto': z.object({ memberId: id, dataUrl: z.string().max(400_000).nullable() }),
  'cards/assign': z.object({ id, memberId: id, number: cardNumber }),
  'cards/revoke': z.object({ memberId: id, number: cardNumber }),
  // A template sealed with the gym's template key (base64: nonce, tag, ciphertext); taken with consent.
  'fingerprints/enroll': z.object({ id, memberId: id, template: z.base64().max(2_048), keyId: z.string().min(1).max(32), consentedAt: instant }),
  'fingerprints/remove': z.object({ id, memberId: id }),
  'plans/create': planInputSchema.extend({ id }),
  'plans/update': z.object({ planId: id, patch: planInputSchema.partial() }),
  'plans/archive': z.object({ planId: id }),
  'memberships/sell': saleArgs,
  'memberships/renew': saleArgs,
  'memberships/freeze': z.object({ membershipId: id, freezeId: id }).extend(freezeInputSchema.shape).extend({ reason: z.string().trim().max(200).nullable() }),
  'memberships/unfreeze': z.object({ membershipId: id, freezeId: id, actualTo: localDate }),
  'memberships/cancel': z.object({ membershipId: id, cancelledAt: instant }).extend(cancelInputSchema.shape),
  'payments/record': paymentArgsSchema,
  'checkins/create': checkinSchema,
  // staffId: who was signed in at the desk; optional, as desks before it was added do not send it.
  'checkins/checkout': z.object({ id, memberId: id, at: instant, staffId: id.nullable().optional() }),
  'staff/create': z.object({ id, name: z.string().trim().min(1).max(120), role: staffRole, pinHash: z.string().min(1).max(512) }),
  'staff/setPin': z.object({ staffId: id, pinHash: z.string().min(1).max(512) }),
  'staff/deactivate': z.object({ staffId: id }),
  'settings/update': deskSettingsPatch,
  'gym/update': gymSchema.pick({ name: true, legalName: true, gstin: true, address: true, stateCode: true, phone: true }).partial(),
} as const satisfies Record<string, z.ZodType>;

export type MutationName = keyof typeof mutationSchemas;
export const mutationNames = Object.keys(mutationSchemas) as MutationName[];
export const isMutationName = (name: string): name is MutationName => Object.hasOwn(mutationSchemas, name);

/** The arguments of `N` as written (zod input) and as read (zod output). */
export type MutationArgsInput<N extends MutationName> = z.input<(typeof mutationSchemas)[N]>;
export type MutationArgs<N extends MutationName> = z.output<(typeof mutationSchemas)[N]>;

/** One outbox mutation as a handler hands it to the write path: a union discriminated by name. */
export type Mutation = { [N in MutationName]: { name: N; args: MutationArgsInput<N> } }[MutationName];
/** A mutation whose arguments have been parsed by the registry. */
export type ParsedMutation = { [N in MutationName]: { name: N; args: MutationArgs<N> } }[MutationName];

/**
 * Checks `args` against the registry: the parsed mutation, or an AppError (UNKNOWN_MUTATION for a name
 * not registered, VALIDATION_ERROR naming the failing fields).
 */
export function parseMutation(name: string, args: unknown): ParsedMutation {
  if (!isMutationName(name)) throw new AppError(ErrorCode.UnknownMutation, `No mutation named '${name}'`);
  const parsed = mutationSchemas[name].safeParse(args);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    throw new AppError(ErrorCode.ValidationError, `${name}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, issues);
  }
  return { name, args: parsed.data } as ParsedMutation;
}
