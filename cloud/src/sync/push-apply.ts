import { type AppError, type Checkin, type ParsedMutation, type PaymentArgs, type PushEntry, errors, isAppError, localDateAt } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import { type Access, type Permission, grantFor } from '../auth/permissions.js';
import type { Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { assignCard, recordDeskCheckin, recordDeskCheckins, recordDeskCheckout, revokeCard } from '../domain/desk-rows.js';
import type { GymContext, GymRow } from '../domain/gym.js';
import { enrollFingerprint, removeFingerprint } from '../domain/fingerprints.js';
import { createMember, findMember, updateMember } from '../domain/members.js';
import { applyDeskSale, cancelMembership, freezeMembership, recordOfflinePayment, unfreezeMembership } from '../domain/memberships.js';
import { deskInvoiceNumber } from '../domain/payments.js';

/**
 * What each desk mutation needs in the permission matrix (auth/permissions.ts), as its REST route
 * declares it. A desk is refused what the matrix refuses it (plans, staff, gym settings, cancelling):
 * those mutations are recorded as rejected (FORBIDDEN) and shown at the desk.
 */
const permissionOf: Record<ParsedMutation['name'], Permission> = {
  'members/create': { resource: 'members', action: 'create' },
  'members/update': { resource: 'members', action: 'update' },
  'members/setPhoto': { resource: 'members', action: 'update' },
  'cards/assign': { resource: 'members', action: 'update' },
  'cards/revoke': { resource: 'members', action: 'update' },
  'fingerprints/enroll': { resource: 'members', action: 'update' },
  'fingerprints/remove': { resource: 'members', action: 'update' },
  'plans/create': { resource: 'plans', action: 'create' },
  'plans/update': { resource: 'plans', action: 'update' },
  'plans/archive': { resource: 'plans', action: 'delete' },
  'memberships/sell': { resource: 'memberships', action: 'create' },
  'memberships/renew': { resource: 'memberships', action: 'create' },
  'memberships/freeze': { resource: 'memberships', action: 'update' },
  'memberships/unfreeze': { resource: 'memberships', action: 'update' },
  'memberships/cancel': { resource: 'memberships', action: 'delete' },
  'payments/record': { resource: 'payments', action: 'create' },
  'checkins/create': { resource: 'checkins', action: 'create' },
  'checkins/checkout': { resource: 'checkins', action: 'create' },
  'staff/create': { resource: 'staff', action: 'create' },
  'staff/setPin': { resource: 'staff', action: 'update' },
  'staff/deactivate': { resource: 'staff', action: 'update' },
  'settings/update': { resource: 'gymConfig', action: 'update' },
  'gym/update': { resource: 'gymConfig', action: 'update' },
};

/** The caller's access for `permission`, or FORBIDDEN exactly as the route's hook would answer. */
function accessFor(caller: TenantScope, permission: Permission): Access {
  const grant = grantFor(caller.role, permission);
  if (!grant) throw errors.forbidden(`${permission.action} on ${permission.resource} (a ${caller.role} may not)`);
  return { scope: grant.scope, caller };
}

/**
 * Applies one registry-checked desk mutation through the cloud's domain services, in `trx`, with the
 * desk-born ids and instants, for the gym in `ctx`. Throws an AppError for a business rejection.
 */
export async function applyMutation(trx: Transaction<Database>, caller: TenantScope, ctx: GymContext, mutation: ParsedMutation): Promise<void> {
  const access = accessFor(caller, permissionOf[mutation.name]);
  switch (mutation.name) {
    case 'members/create': {
      const { id, createdAt, ...input } = mutation.args;
      await createMember(trx, access, { ...input, branchId: input.branchId ?? caller.branchIds[0] }, { id, at: createdAt ? new Date(createdAt) : ctx.now });
      return;
    }
    case 'members/update':
      // Field by field: what the patch leaves out stays; the later applied (server order) wins.
      await updateMember(trx, access, mutation.args.memberId, mutation.args.patch);
      return;
    case 'members/setPhoto':
      // Photos stay on the desks for now (the cloud holds none): the member must still be there.
      await findMember(trx, access, mutation.args.memberId);
      return;
    case 'cards/assign':
      await assignCard(trx, access, mutation.args);
      return;
    case 'cards/revoke':
      await revokeCard(trx, access, mutation.args);
      return;
    case 'fingerprints/enroll':
      await enrollFingerprint(trx, access, mutation.args);
      return;
    case 'fingerprints/remove':
      await removeFingerprint(trx, access, mutation.args);
      return;
    case 'memberships/sell':
    case 'memberships/renew':
      await applyDeskSale(trx, access, ctx, mutation.name === 'memberships/renew' ? 'renew' : 'sell', mutation.args);
      return;
    case 'memberships/freeze': {
      const { membershipId, freezeId, ...range } = mutation.args;
      await freezeMembership(trx, access, ctx, membershipId, range, freezeId);
      return;
    }
    case 'memberships/unfreeze':
      await unfreezeMembership(trx, access, ctx, mutation.args.membershipId, { freezeId: mutation.args.freezeId, actualTo: mutation.args.actualTo });
      return;
    case 'memberships/cancel':
      await cancelMembership(trx, access, ctx, mutation.args.membershipId, mutation.args.reason, new Date(mutation.args.cancelledAt));
      return;
    case 'payments/record': {
      const p = mutation.args;
      await recordOfflinePayment(trx, access, ctx, { membershipId: p.membershipId, method: p.method, amountPaise: p.amountPaise, reference: p.reference }, {
        paymentId: p.id,
        invoiceId: p.invoiceId,
        invoiceNumber: p.invoiceNumber,
        receivedAt: new Date(p.receivedAt),
        staffId: p.staffId,
      });
      return;
    }
    case 'checkins/create':
      await recordDeskCheckin(trx, access, ctx, mutation.args);
      return;
    case 'checkins/checkout':
      await recordDeskCheckout(trx, access, mutation.args);
      return;
    case 'plans/create':
    case 'plans/update':
    case 'plans/archive':
    case 'staff/create':
    case 'staff/setPin':
    case 'staff/deactivate':
    case 'settings/update':
    case 'gym/update':
      // The matrix grants a desk none of these today (accessFor refused above); should it ever, they
      // need desk-born ids wired through their services first, so refuse rather than half-apply.
      throw errors.forbidden(`${permissionOf[mutation.name].resource} changes from the cloud dashboard`);
  }
}

/**
 * Applies a run of `checkins/create` mutations together (see recordDeskCheckins): in the same order,
 * the reason each was refused, as it would be alone, or null.
 */
export async function applyCheckins(trx: Transaction<Database>, caller: TenantScope, ctx: GymContext, checkins: readonly Checkin[]): Promise<(AppError | null)[]> {
  let access: Access;
  try {
    access = accessFor(caller, permissionOf['checkins/create']);
  } catch (error) {
    return checkins.map(() => error as AppError);
  }
  return recordDeskCheckins(trx, access, ctx, checkins);
}

/** The payment a desk mutation carries, numbered from the desk's own invoice series, if any. */
function deskPaymentOf(mutation: ParsedMutation): PaymentArgs | null {
  switch (mutation.name) {
    case 'payments/record':
      return mutation.args;
    case 'memberships/sell':
    case 'memberships/renew':
      return mutation.args.payment;
    default:
      return null;
  }
}

/**
 * Takes the invoice number of the desk payment in a refused `mutation` into the desk's series as void,
 * with what the desk recorded and why it was refused (`rejection`). The desk printed that number and never
 * reuses it: left out, it would make every later number of the desk "not consecutive" for the rest of the
 * financial year. A number deskInvoiceNumber refuses (form, prefix, year, not next in the series) is not
 * voided and leaves the series as it was: a payment refused for its number in the first place is refused
 * here again, and only refused. Returns the number voided, if one was.
 */
export async function voidDeskInvoiceNumber(
  trx: Transaction<Database>,
  caller: TenantScope,
  gym: GymRow,
  entry: Pick<PushEntry, 'mutationId' | 'seq'>,
  mutation: ParsedMutation,
  rejection: { code: string; message: string },
): Promise<string | null> {
  const payment = deskPaymentOf(mutation);
  if (!payment || !caller.deviceId) return null;
  const receivedAt = new Date(payment.receivedAt);
  const receivedOn = localDateAt(receivedAt, gym.time_zone);
  let seriesId: string;
  try {
    ({ seriesId } = await deskInvoiceNumber(trx, gym.id, caller.deviceId, payment.invoiceNumber, receivedOn));
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
  await trx
    .insertInto('voided_invoice_numbers')
    .values({
      gym_id: gym.id,
      id: uuid(),
      series_id: seriesId,
      number: payment.invoiceNumber,
      device_id: caller.deviceId,
      mutation_id: entry.mutationId,
      seq: entry.seq,
      method: payment.method,
      reference: payment.reference,
      amount_paise: payment.amountPaise,
      received_at: receivedAt,
      received_on: receivedOn,
      error_code: rejection.code,
      error_message: rejection.message,
    })
    .execute();
  return payment.invoiceNumber;
}
