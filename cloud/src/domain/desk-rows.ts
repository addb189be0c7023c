import { type AppError, type Checkin, errors, isAppError, localDateAt } from '@gymstack/shared';
import type { Insertable, Transaction } from 'kysely';
import type { Access } from '../auth/permissions.js';
import type { AuditLogTable, CheckinTable, Database } from '../db/schema.js';
import { appendAudit, auditRow } from './audit.js';
import type { GymContext } from './gym.js';
import { assertBranch, findMember } from './members.js';
import { assertBranchInScope } from './scope.js';

/**
 * Rows a paired desk decided offline and pushes (sync, DESIGN 6), with the REST API's scope rules.
 * Check-ins and check-outs are append-only, so they never conflict: they are stored as the desk decided.
 */

/** A member row of the gym, live or not: an append-only row about a member erased since still lands. */
async function assertMemberExists(trx: Transaction<Database>, memberId: string): Promise<void> {
  const row = await trx.selectFrom('members').select('id').where('id', '=', memberId).executeTakeFirst();
  if (!row) throw errors.notFound('Member');
}

/**
 * Who a desk says did this: the staff member logged in at the desk with their PIN (a paired desk holds the
 * cloud's staff rows, ids and all). Kept when it names a staff row of the caller's gym (RLS hides every
 * other gym's) in any state, since one deactivated or removed since still did it; else null. Attribution
 * never fails a push: an id the cloud does not know is dropped, not refused.
 */
export async function deskStaffId(trx: Transaction<Database>, staffId: string | null | undefined): Promise<string | null> {
  if (!staffId) return null;
  const row = await trx.selectFrom('staff').select('id').where('id', '=', staffId).executeTakeFirst();
  return row?.id ?? null;
}

function assertOwnDevice(access: Access, deviceId: string | null): void {
  if (deviceId !== access.caller.deviceId) throw errors.validation([{ path: 'deviceId', message: 'A desk records only its own check-ins' }]);
}

/** A check-in with the verdict the desk computed (offline, from its replicated state), kept as decided. */
export async function recordDeskCheckin(trx: Transaction<Database>, access: Access, ctx: GymContext, checkin: Checkin): Promise<void> {
  const [refused] = await recordDeskCheckins(trx, access, ctx, [checkin]);
  if (refused) throw refused;
}

/** The ids of `table`'s rows among `ids` that the caller's gym has (RLS hides every other gym's). */
async function existing(trx: Transaction<Database>, table: 'members' | 'staff' | 'branches', ids: Iterable<string>, liveOnly = false): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  let query = trx.selectFrom(table).select('id').where('id', 'in', wanted);
  if (liveOnly) query = query.where('deleted_at', 'is', null);
  return new Set((await query.execute()).map((r) => r.id));
}

/**
 * Check-ins a desk decided, as `recordDeskCheckin` takes one, for any number at once (a desk back from
 * days offline sends thousands): checked together in three queries, then inserted with their audit rows
 * in one statement. Returns, in the same order, why each was refused, exactly as one at a time would
 * refuse it (another desk's check-in, a branch out of reach, an unknown member), or null: stored.
 */
export async function recordDeskCheckins(trx: Transaction<Database>, access: Access, ctx: GymContext, checkins: readonly Checkin[]): Promise<(AppError | null)[]> {
  const { caller } = access;
  const branches = await existing(trx, 'branches', checkins.map((c) => c.branchId), true);
  const members = await existing(trx, 'members', checkins.flatMap((c) => (c.memberId === null ? [] : [c.memberId])));
  // Who was signed in at the desk (with their PIN), kept when the cloud knows them (see deskStaffId).
  const staff = await existing(trx, 'staff', checkins.flatMap((c) => (c.staffId ? [c.staffId] : [])));
  const refused: (AppError | null)[] = [];
  const rows: Insertable<CheckinTable>[] = [];
  const audits: Insertable<AuditLogTable>[] = [];
  for (const checkin of checkins) {
    try {
      assertOwnDevice(access, checkin.deviceId);
      assertBranchInScope(access, checkin.branchId);
      if (!branches.has(checkin.branchId)) throw errors.notFound('Branch');
      if (checkin.memberId !== null && !members.has(checkin.memberId)) throw errors.notFound('Member');
    } catch (error) {
      if (!isAppError(error)) throw error;
      refused.push(error);
      continue;
    }
    refused.push(null);
    const at = new Date(checkin.at);
    const staffId = checkin.staffId && staff.has(checkin.staffId) ? checkin.staffId : null;
    rows.push({
      gym_id: caller.gymId,
      id: checkin.id,
      branch_id: checkin.branchId,
      member_id: checkin.memberId,
      method: checkin.method,
      verdict: checkin.verdict,
      reason: checkin.reason,
      at,
      on_date: localDateAt(at, ctx.gym.time_zone),
      device_id: caller.deviceId,
      staff_id: staffId,
      created_at: at,
    });
    audits.push(auditRow(caller, { action: 'checkin.create', entity: 'checkin', entityId: checkin.id, old: null, new: { ...checkin, staffId } }));
  }
  if (rows.length > 0) await trx.with('c', (db) => db.insertInto('checkins').values(rows)).insertInto('audit_log').values(audits).execute();
  return refused;
}

/** A check-out made at the desk, by the staff member signed in there (older desks do not say: null). */
export async function recordDeskCheckout(
  trx: Transaction<Database>,
  access: Access,
  checkout: { id: string; memberId: string; at: string; staffId?: string | null | undefined },
): Promise<void> {
  const { caller } = access;
  const branchId = caller.branchIds[0];
  if (!branchId) throw errors.validation([{ path: 'branchId', message: 'The desk has no branch' }]);
  await assertBranch(trx, access, branchId);
  await assertMemberExists(trx, checkout.memberId);
  const at = new Date(checkout.at);
  const staffId = await deskStaffId(trx, checkout.staffId);
  await trx
    .insertInto('checkouts')
    .values({ gym_id: caller.gymId, id: checkout.id, branch_id: branchId, member_id: checkout.memberId, at, device_id: caller.deviceId, staff_id: staffId, created_at: at })
    .execute();
}

const liveCards = (trx: Transaction<Database>, number: string) =>
  trx.selectFrom('member_credentials').select(['id', 'member_id']).where('kind', '=', 'card').where('value', '=', number).where('deleted_at', 'is', null);

/** A card handed to a member at the desk; a card opens the door for exactly one member. */
export async function assignCard(trx: Transaction<Database>, access: Access, card: { id: string; memberId: string; number: string }): Promise<void> {
  const member = await findMember(trx, access, card.memberId);
  const holder = await liveCards(trx, card.number).executeTakeFirst();
  if (holder) throw errors.conflict(holder.member_id === member.id ? 'This card is already assigned to this member' : 'This card belongs to another member');
  await trx
    .insertInto('member_credentials')
    .values({ gym_id: access.caller.gymId, id: card.id, member_id: member.id, kind: 'card', value: card.number, template: null, key_id: null, consented_at: null, deleted_at: null })
    .execute();
  await appendAudit(trx, access.caller, { action: 'card.assign', entity: 'member', entityId: member.id, old: null, new: { card: card.number } });
}

/** A card taken back at the desk (soft delete: it syncs as a tombstone). */
export async function revokeCard(trx: Transaction<Database>, access: Access, card: { memberId: string; number: string }): Promise<void> {
  const member = await findMember(trx, access, card.memberId);
  const row = await liveCards(trx, card.number).where('member_id', '=', member.id).executeTakeFirst();
  if (!row) throw errors.notFound('Card');
  const now = new Date();
  await trx.updateTable('member_credentials').set({ deleted_at: now, updated_at: now }).where('id', '=', row.id).execute();
  await appendAudit(trx, access.caller, { action: 'card.revoke', entity: 'member', entityId: member.id, old: { card: card.number }, new: null });
}
