import { type Checkin, checkinVerdict, denyReasonText, errors, memberStatus } from '@gymstack/shared';
import { type Selectable, type Transaction, sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { CheckinTable, Database } from '../db/schema.js';
import { auditRow } from './audit.js';
import type { GymContext } from './gym.js';
import { type MemberRow, findMember, toMember } from './members.js';
import { type Page, type PageRequest, paginate } from './page.js';
import type { CheckinInput, CheckinView, MemberView } from './schemas.js';
import { assertBranchInScope, inScope } from './scope.js';
import { loadFacts } from './status.js';

type CheckinRow = Selectable<CheckinTable> & { member_name: string | null; member_code: string | null };

const toCheckin = (r: CheckinRow): CheckinView => ({
  id: r.id,
  memberId: r.member_id,
  branchId: r.branch_id,
  method: r.method,
  verdict: r.verdict,
  reason: r.reason as Checkin['reason'],
  at: r.at.toISOString(),
  deviceId: r.device_id,
  staffId: r.staff_id,
  memberName: r.member_name,
  memberCode: r.member_code,
});

/** The member a check-in names, with their last allowed check-in (for anti-passback). */
type DoorMember = MemberRow & { last_allowed_at: Date | null };

/**
 * The door's look-ups in one statement (each round trip to Postgres costs more than the query itself):
 * the branch, which must be live, else NOT_FOUND; the member a scan or a pick names, among all the
 * gym's live members (the door decides by the plan's branch rules, the verdict, not by where the member
 * enrolled); and that member's last allowed check-in. A picked id must exist; an unknown code or
 * credential is null, which the verdict turns into UNKNOWN_CREDENTIAL.
 */
async function lookUp(trx: Transaction<Database>, branchId: string, by: CheckinInput): Promise<DoorMember | null> {
  const row = await trx
    .selectFrom('branches as b')
    .leftJoinLateral(
      (eb) => {
        const live = eb
          .selectFrom('members')
          .selectAll('members')
          .select((sub) =>
            sub
              .selectFrom('checkins as c')
              .select('c.at')
              .whereRef('c.member_id', '=', 'members.id')
              .where('c.verdict', '=', 'allow')
              .orderBy('c.at', 'desc')
              .limit(1)
              .as('last_allowed_at'),
          )
          .where('members.deleted_at', 'is', null);
        if (by.memberId !== undefined) return live.where('members.id', '=', by.memberId).limit(1).as('m');
        if (by.memberCode !== undefined) return live.where('members.code', '=', by.memberCode).limit(1).as('m');
        const { kind, value } = by.credential ?? { kind: 'card', value: '' };
        return live
          .innerJoin('member_credentials as mc', (join) => join.onRef('mc.gym_id', '=', 'members.gym_id').onRef('mc.member_id', '=', 'members.id'))
          .where('mc.kind', '=', kind)
          .where('mc.value', '=', value)
          .where('mc.deleted_at', 'is', null)
          .limit(1)
          .as('m');
      },
      (join) => join.onTrue(),
    )
    .selectAll('m')
    .where('b.id', '=', branchId)
    .where('b.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw errors.notFound('Branch');
  if (row.id === null) {
    if (by.memberId !== undefined) throw errors.notFound('Member');
    return null;
  }
  return row as DoorMember;
}

/** The branch of a check-in: as given, else the caller's only branch. */
function branchOf(access: Access, input: CheckinInput): string {
  const branchId = input.branchId ?? (access.caller.branchIds.length === 1 ? access.caller.branchIds[0] : undefined);
  if (!branchId) throw errors.validation([{ path: 'branchId', message: 'Say at which branch the member is checking in' }]);
  return branchId;
}

/**
 * The check-in: member, memberships with paid totals and freezes, the last allowed check-in, then the
 * shared verdict (the desk's function, DESIGN 3) and one insert. Denials are kept with their reason.
 */
export async function createCheckin(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  input: CheckinInput,
): Promise<{ checkin: CheckinView; member: MemberView | null; reasonText: string | null }> {
  const branchId = branchOf(access, input);
  assertBranchInScope(access, branchId);
  const member = await lookUp(trx, branchId, input);
  const { now, today, gym, settings } = ctx;
  const { status, current } = member ? memberStatus((await loadFacts(trx, [member.id])).get(member.id) ?? [], today, settings) : { status: null, current: null };
  const verdict = checkinVerdict({
    member: status && { state: status.state === 'none' ? null : status.state, duePaise: status.duePaise },
    access: current?.access ?? { allowedBranchIds: null, hours: null },
    branchId,
    now,
    timeZone: gym.time_zone,
    lastCheckinAt: member?.last_allowed_at ?? null,
    antiPassbackMinutes: settings.antiPassbackMinutes,
    duesBlockPaise: settings.duesBlockPaise,
  });
  const { caller } = access;
  const row = {
    gym_id: caller.gymId,
    id: uuid(),
    branch_id: branchId,
    member_id: member?.id ?? null,
    method: input.method,
    verdict: verdict.verdict,
    reason: verdict.verdict === 'deny' ? verdict.reason : null,
    at: now,
    on_date: today,
    device_id: caller.deviceId,
    staff_id: caller.role === 'desk' ? null : caller.userId,
  };
  const checkin = toCheckin({ ...row, created_at: now, member_name: member?.full_name ?? null, member_code: member?.code ?? null });
  // The check-in and its audit row in one statement (a data-modifying WITH runs whether or not it is read).
  await trx
    .with('c', (db) => db.insertInto('checkins').values(row))
    .insertInto('audit_log')
    .values(auditRow(caller, { action: 'checkin.create', entity: 'checkin', entityId: checkin.id, old: null, new: checkin }))
    .execute();
  const { last_allowed_at: _last, ...memberRow } = member ?? { last_allowed_at: null };
  return {
    checkin,
    member: member && status && { ...toMember(memberRow as MemberRow), status },
    reasonText: verdict.verdict === 'deny' ? denyReasonText[verdict.reason] : null,
  };
}

/** Check-ins with the member's name and code, in the caller's scope (a member's own, a trainer's clients'...). */
function scopedCheckins(trx: Transaction<Database>, access: Access) {
  return trx
    .selectFrom('checkins')
    .leftJoin('members', (join) => join.onRef('members.gym_id', '=', 'checkins.gym_id').onRef('members.id', '=', 'checkins.member_id'))
    .selectAll('checkins')
    .select(['members.full_name as member_name', 'members.code as member_code'])
    .where(inScope(access, { member: 'checkins.member_id', branch: 'checkins.branch_id' }))
    .orderBy('checkins.at', 'desc')
    .orderBy('checkins.id', 'desc');
}

const checkinPage = async (trx: Transaction<Database>, rows: ReturnType<typeof scopedCheckins>, query: PageRequest): Promise<Page<CheckinView>> => {
  const page = await paginate(trx, rows, query);
  return { items: page.items.map(toCheckin), meta: page.meta };
};

/** Today's check-ins (the gym's business date), newest first. */
export function todaysCheckins(trx: Transaction<Database>, access: Access, ctx: GymContext, query: PageRequest): Promise<Page<CheckinView>> {
  return checkinPage(trx, scopedCheckins(trx, access).where('checkins.on_date', '=', ctx.today), query);
}

export async function memberCheckins(trx: Transaction<Database>, access: Access, memberId: string, query: PageRequest): Promise<Page<CheckinView>> {
  await findMember(trx, access, memberId);
  return checkinPage(trx, scopedCheckins(trx, access).where('checkins.member_id', '=', memberId), query);
}

/**
 * Members in the building (as the desk counts them): an allowed check-in within the last
 * `autoCheckoutHours` with no check-out after it; older ones count as checked out.
 */
export async function occupancy(trx: Transaction<Database>, access: Access, ctx: GymContext, branchId: string | undefined): Promise<{ count: number; since: string }> {
  const since = new Date(ctx.now.getTime() - ctx.settings.autoCheckoutHours * 3_600_000);
  const row = await trx
    .selectFrom('checkins as c')
    .select(sql<number>`count(distinct c.member_id)::int`.as('n'))
    .where('c.at', '>=', since)
    .where('c.verdict', '=', 'allow')
    .where(inScope(access, { member: 'c.member_id', branch: 'c.branch_id' }))
    .$if(branchId !== undefined, (q) => q.where('c.branch_id', '=', branchId as string))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('checkouts as o').select('o.id').whereRef('o.member_id', '=', 'c.member_id').whereRef('o.at', '>=', 'c.at'))),
    )
    .executeTakeFirst();
  return { count: row?.n ?? 0, since: since.toISOString() };
}
