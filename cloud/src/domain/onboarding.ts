import { errors, fields, issuesFromZod, pin } from '@gymstack/shared';
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordHasher } from '../auth/passwords.js';
import type { Database } from '../db/schema.js';
import { type TenantScope, withTenant } from '../db/tenant.js';
import { type AuditEntry, appendAudit } from './audit.js';
import { unique } from './unique.js';

// Onboarding (issue 3, item 5): a new gym, its first branch and its owner, written in one tenant
// transaction opened on the gym's freshly minted id (see withTenant). Used by the public sign-up
// (POST /api/v1/gyms) and by the operator command (`npm run cloud:admin -- create-gym`).

const { nonEmpty, gstin, stateCode, email, phone } = fields;

export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const timeZone = z.string().trim().min(1).refine(isTimeZone, 'Must be an IANA time zone such as Asia/Kolkata');

/** What a sign-up sends. Strict at every level: a misspelt field is an error, not silently dropped. */
export const onboardingSchema = z.strictObject({
  gym: z
    .strictObject({
      name: nonEmpty('Gym name'),
      legalName: nonEmpty('Legal name', 200),
      gstin: gstin.nullish(),
      stateCode,
      address: nonEmpty('Address', 400),
      timeZone: timeZone.default(DEFAULT_TIME_ZONE),
    })
    // A GSTIN begins with the code of the state it is registered in.
    .refine((g) => !g.gstin || g.gstin.slice(0, 2) === g.stateCode, { path: ['gstin'], message: 'The GSTIN must begin with the state code' }),
  branch: z.strictObject({
    name: nonEmpty('Branch name'),
    address: z.string().trim().max(400, 'Address is too long').nullish(),
  }),
  owner: z.strictObject({
    name: nonEmpty('Name'),
    /** Logins compare emails case-insensitively; stored lower-case. */
    email: email.transform((v) => v.toLowerCase()),
    /** E.164 (a national number is read as Indian). */
    phone,
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`),
    /** The owner's desk PIN (the desk's rule), so they can log in at a desk as soon as it is paired. */
    pin: pin.optional(),
  }),
});
export type OnboardingInput = z.input<typeof onboardingSchema>;
export type Onboarding = z.output<typeof onboardingSchema>;

/** The rows onboarding made. */
export interface Onboarded {
  gymId: string;
  branchId: string;
  ownerId: string;
}

/**
 * Who asks. A sign-up is the new owner acting from the client's address; the operator command acts as
 * `system` (audit actor null, no address), since no person of the gym is behind it.
 */
export type Requester = { kind: 'signup'; ip: string } | { kind: 'operator' };

export interface OnboardingOptions {
  passwords: PasswordHasher;
  requester: Requester;
}

/** Runs inside the onboarding transaction once the rows exist (the sign-up starts the owner's session). */
export type AfterOnboarding<T> = (trx: Transaction<Database>, onboarded: Onboarded, owner: TenantScope) => Promise<T>;

/** The input, validated; a 400 VALIDATION_ERROR with field paths (`owner.email`) otherwise. */
export function parseOnboarding(input: unknown): Onboarding {
  const parsed = onboardingSchema.safeParse(input);
  if (!parsed.success) throw errors.validation(issuesFromZod(parsed.error.issues));
  return parsed.data;
}

/** Email and phone log staff in across every gym (unique indexes of the auth migration). */
const loginTaken = (owner: Onboarding['owner']) => ({
  staff_login_email: () => errors.conflict(`An account already logs in with ${owner.email}; log in instead, or use another email`),
  staff_login_phone: () => errors.conflict(`An account already logs in with ${owner.phone}; log in instead, or use another phone number`),
});

/**
 * Creates a gym, its first branch, and its owner (every branch; an argon2id password, and an argon2id
 * desk PIN when given) with its audit rows (`gym.create`, then `staff.pin` for a PIN), all in ONE
 * transaction: a duplicate login (409 CONFLICT) or any failure leaves nothing behind.
 * `after` runs in that same transaction, as the owner. No invoice series is made here: the schema has
 * none per gym, only one per prefix and financial year, which payments.ts creates with the year's
 * first cloud invoice.
 */
export async function createGym(db: Kysely<Database>, input: unknown, options: OnboardingOptions): Promise<Onboarded>;
export async function createGym<T>(
  db: Kysely<Database>,
  input: unknown,
  options: OnboardingOptions,
  after: AfterOnboarding<T>,
): Promise<Onboarded & { after: T }>;
export async function createGym<T>(
  db: Kysely<Database>,
  input: unknown,
  options: OnboardingOptions,
  after?: AfterOnboarding<T>,
): Promise<Onboarded | (Onboarded & { after: T })> {
  const data = parseOnboarding(input);
  const { requester } = options;
  // Hashed before the transaction opens: no connection is held for argon2's work.
  const passwordHash = await options.passwords.hash(data.owner.password);
  const pinHash = data.owner.pin === undefined ? null : await options.passwords.hash(data.owner.pin);
  const ids = { gymId: uuid(), branchId: uuid(), ownerId: uuid() };
  const owner: TenantScope = {
    gymId: ids.gymId,
    userId: ids.ownerId,
    role: 'owner',
    branchIds: [],
    memberId: null,
    deviceId: null,
    // Only a sign-up's audit row carries an address; the operator's is written without one.
    ip: requester.kind === 'signup' ? requester.ip : '127.0.0.1',
  };
  const tenant = { gym_id: ids.gymId };

  return withTenant(db, owner, async (trx) => {
    // The gyms policy admits the row whose id is the scope's: the gym is created inside its own tenant.
    await trx
      .insertInto('gyms')
      .values({
        id: ids.gymId,
        name: data.gym.name,
        legal_name: data.gym.legalName,
        gstin: data.gym.gstin ?? null,
        address: data.gym.address,
        state_code: data.gym.stateCode,
        phone: null,
        time_zone: data.gym.timeZone,
      })
      .execute();
    await trx.insertInto('branches').values({ ...tenant, id: ids.branchId, name: data.branch.name, address: data.branch.address ?? null, phone: null }).execute();
    await unique(
      trx
        .insertInto('staff')
        .values({
          ...tenant,
          id: ids.ownerId,
          name: data.owner.name,
          email: data.owner.email,
          phone: data.owner.phone,
          password_hash: passwordHash,
          pin_hash: pinHash,
          role: 'owner',
          branch_ids: [],
          password_changed_at: null,
        })
        .execute(),
      loginTaken(data.owner),
    );

    const audit = async (entry: AuditEntry) => {
      if (requester.kind === 'signup') {
        await appendAudit(trx, owner, entry);
        return;
      }
      // appendAudit takes a caller of the API; the operator is none, so its row names the system actor.
      await trx
        .insertInto('audit_log')
        .values({
          ...tenant,
          id: uuid(),
          actor_id: null,
          actor_role: 'system',
          device_id: null,
          ip: null,
          action: entry.action,
          entity: entry.entity,
          entity_id: entry.entityId,
          old: null,
          new: JSON.stringify(entry.new),
        })
        .execute();
    };
    const hasPin = pinHash !== null;
    await audit({
      action: 'gym.create',
      entity: 'gym',
      entityId: ids.gymId,
      old: null,
      new: {
        via: requester.kind,
        gym: { id: ids.gymId, ...data.gym, gstin: data.gym.gstin ?? null },
        branch: { id: ids.branchId, name: data.branch.name, address: data.branch.address ?? null },
        owner: { id: ids.ownerId, name: data.owner.name, email: data.owner.email, phone: data.owner.phone, role: 'owner', hasPin },
      },
    });
    // As for any PIN set (domain/staff.ts): that it was set, never the PIN or its hash.
    if (hasPin) await audit({ action: 'staff.pin', entity: 'staff', entityId: ids.ownerId, old: null, new: { hasPin } });

    return after ? { ...ids, after: await after(trx, ids, owner) } : ids;
  });
}
