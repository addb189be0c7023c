import { AppError, type Checkin, type CheckinVerdictResult, type DenyReason, ErrorCode, checkinVerdict, classifyScan, denyReasonText, errors, memberStatus } from '@gymstack/shared';
import { type PassDenyReason, verifyPass } from '@gymstack/shared/passes';
import type { Insertable, Kysely } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { CheckinRow, HandlerInput, HandlerResult } from '../contract.js';
import type { Context } from '../context.js';
import { toCheckin } from '../db/rows.js';
import { type Param, defineQuery } from '../db/prepared.js';
import type { CheckinTable, Database } from '../db/schema.js';
import { type SummaryRow, loadMemberFacts, summaryColumns, toSummary } from '../domain/member-status.js';
import { findMember } from '../domain/members.js';
import { occupancy } from '../domain/occupancy.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

// The check-in hot path's queries, compiled and prepared once per connection.
const liveSummaries = (db: Kysely<Database>) => db.selectFrom('members').select(summaryColumns).where('members.deleted_at', 'is', null);
const memberById = defineQuery((db, p: Param<{ id: string }>) => liveSummaries(db).where('members.id', '=', p('id')));
const memberByCode = defineQuery((db, p: Param<{ code: string }>) => liveSummaries(db).where('members.code', '=', p('code')));
const memberByCredential = defineQuery((db, p: Param<{ kind: 'card' | 'finger' | 'qr'; value: string }>) =>
  liveSummaries(db)
    .innerJoin('member_credentials as mc', 'mc.member_id', 'members.id')
    .where('mc.kind', '=', p('kind'))
    .where('mc.value', '=', p('value'))
    .where('mc.deleted_at', 'is', null),
);
const lastAllowedCheckin = defineQuery((db, p: Param<{ memberId: string }>) =>
  db.selectFrom('checkins').select('at').where('member_id', '=', p('memberId')).where('verdict', '=', 'allow').orderBy('at', 'desc').limit(1),
);
type CheckinColumns = Omit<Insertable<CheckinTable>, 'deleted_at'>;
const insertCheckin = defineQuery((db, p: Param<CheckinColumns>) =>
  db.insertInto('checkins').values({
    id: p('id'),
    gym_id: p('gym_id'),
    branch_id: p('branch_id'),
    member_id: p('member_id'),
    method: p('method'),
    verdict: p('verdict'),
    reason: p('reason'),
    at: p('at'),
    on_date: p('on_date'),
    device_id: p('device_id'),
    staff_id: p('staff_id'),
    created_at: p('created_at'),
    updated_at: p('updated_at'),
    deleted_at: null,
  }),
);

/**
 * The member a scan or a click names; null when a code or credential matches no one. A QR pass is
 * verified offline with the gym's key first: an expired or forged one names nobody, for its reason.
 */
function resolveMember(ctx: Context, by: HandlerInput<'checkins/create'>): { member: SummaryRow | null; passDenied: PassDenyReason | null } {
  const { store } = ctx;
  const found = (member: SummaryRow | undefined) => ({ member: member ?? null, passDenied: null });
  if (by.memberId !== undefined) {
    const row = store.prepared(memberById).first({ id: by.memberId });
    if (!row) throw errors.notFound('Member'); // picked on screen, so it must exist
    return found(row);
  }
  if (by.memberCode !== undefined) return found(store.prepared(memberByCode).first({ code: by.memberCode }));
  const { kind, value } = by.credential ?? { kind: 'card', value: '' };
  if (kind !== 'qr') return found(store.prepared(memberByCredential).first({ kind, value }));
  const keys = ctx.gymKeys;
  if (!keys) throw new AppError(ErrorCode.Unavailable, 'This desk has no pass key yet: it arrives from the cloud once the desk is online');
  const pass = verifyPass(value, { now: ctx.clock(), publicKeyFor: (keyId) => (keyId === keys.pass.keyId ? keys.pass.publicKey : null) });
  if (!pass.ok) return { member: null, passDenied: pass.reason };
  return found(store.prepared(memberById).first({ id: pass.memberId }));
}

/** A scanned code as a check-in: a QR pass, else a member code (printed cards carry it), else a card number. */
export function scanTarget(ctx: Context, code: string): HandlerInput<'checkins/create'> {
  const read = classifyScan(code);
  switch (read.kind) {
    case 'pass':
      return { method: 'qr', credential: { kind: 'qr', value: read.token } };
    case 'member_code':
      if (read.card === null || ctx.store.prepared(memberByCode).first({ code: read.code })) return { method: 'card', memberCode: read.code };
      return { method: 'card', credential: { kind: 'card', value: read.card } };
    case 'card':
      return { method: 'card', credential: { kind: 'card', value: read.number } };
    case 'unreadable':
      throw errors.validation([{ path: 'code', message: 'Not a member pass, member code or card number' }]);
  }
}

/**
 * The hot path: a handful of indexed queries (member, memberships with paid totals and freezes,
 * last allowed check-in), the shared verdict, one insert plus its outbox row. Denials are kept
 * with their reason. Check-ins are themselves an append-only log, so they add no audit line.
 * The devices (a finger, a scanner, a bridge) call it directly: they check members in whether or not
 * anyone is logged in at the desk.
 */
export function checkIn(ctx: Context, input: HandlerInput<'checkins/create'>): HandlerResult<'checkins/create'> {
  const { store, desk } = ctx;
  const { settings } = desk;
  const { member, passDenied } = resolveMember(ctx, input);
  const now = ctx.clock();
  const today = ctx.today(now);
  const { status, current } = member ? memberStatus(loadMemberFacts(store, member.id), today, settings) : { status: null, current: null };
  const verdictWith = (lastCheckinAt: Date | null) =>
    checkinVerdict({
      member: status && { state: status.state === 'none' ? null : status.state, duePaise: status.duePaise },
      access: current?.access ?? { allowedBranchIds: null, hours: null },
      branchId: desk.branch.id,
      now,
      timeZone: desk.gym.timeZone,
      lastCheckinAt,
      antiPassbackMinutes: settings.antiPassbackMinutes,
      duesBlockPaise: settings.duesBlockPaise,
    });
  // The shared rule checks the repeat last, so a member it turns away without their last
  // check-in is turned away for the same reason with it: only a member it would let in needs
  // that read (for a long-lapsed member it walks back through every denial to the last entry).
  let verdict: CheckinVerdictResult | { verdict: 'deny'; reason: DenyReason } = passDenied ? { verdict: 'deny', reason: passDenied } : verdictWith(null);
  if (member && verdict.verdict === 'allow') {
    const last = store.prepared(lastAllowedCheckin).first({ memberId: member.id });
    if (last) verdict = verdictWith(new Date(last.at));
  }
  const checkin: Checkin = {
    id: uuid(),
    memberId: member?.id ?? null,
    branchId: desk.branch.id,
    method: input.method,
    verdict: verdict.verdict,
    reason: verdict.verdict === 'deny' ? verdict.reason : null,
    at: now.toISOString(),
    deviceId: desk.deviceId,
    staffId: ctx.session?.id ?? null,
  };
  write(ctx, [], () => {
    store.prepared(insertCheckin).run({
      id: checkin.id,
      gym_id: desk.gym.id,
      branch_id: checkin.branchId,
      member_id: checkin.memberId,
      method: checkin.method,
      verdict: checkin.verdict,
      reason: checkin.reason,
      at: checkin.at,
      on_date: today,
      device_id: checkin.deviceId,
      staff_id: checkin.staffId,
      created_at: checkin.at,
      updated_at: checkin.at,
    });
    return { result: null, audit: null, mutation: { name: 'checkins/create', args: checkin } };
  });
  const reasonText = verdict.verdict === 'deny' ? denyReasonText[verdict.reason] : null;
  const row: CheckinRow = { ...checkin, memberName: member?.full_name ?? null, memberCode: member?.code ?? null };
  ctx.events.emit({ type: 'checkin', checkin: row, reasonText });
  return { checkin, member: member && status && toSummary(member, status), reasonText };
}

export const checkinHandlers = defineHandlers({
  'checkins/create': { access: 'frontdesk', run: checkIn },
  'checkins/scan': { access: 'frontdesk', run: (ctx, { code }) => checkIn(ctx, scanTarget(ctx, code)) },

  'checkins/recent': {
    access: 'frontdesk',
    run(ctx, { limit }) {
      const { store } = ctx;
      return store
        .all(
          store.db
            .selectFrom('checkins')
            .leftJoin('members', 'members.id', 'checkins.member_id')
            .selectAll('checkins')
            .select(['members.full_name as member_name', 'members.code as member_code'])
            .where('checkins.branch_id', '=', ctx.desk.branch.id)
            .orderBy('checkins.at', 'desc')
            .limit(limit),
        )
        .map((r): CheckinRow => ({ ...toCheckin(r), memberName: r.member_name, memberCode: r.member_code }));
    },
  },

  'checkins/occupancy': {
    access: 'frontdesk',
    run: (ctx) => occupancy(ctx),
  },

  'checkins/checkout': {
    access: 'frontdesk',
    run(ctx, { memberId }) {
      const { store, desk } = ctx;
      const member = findMember(ctx, memberId);
      const at = ctx.clock().toISOString();
      const id = uuid();
      const staffId = ctx.session?.id ?? null;
      return write(ctx, ['checkins'], () => {
        store.run(
          store.db.insertInto('checkouts').values({
            id,
            gym_id: desk.gym.id,
            branch_id: desk.branch.id,
            member_id: memberId,
            at,
            device_id: desk.deviceId,
            staff_id: staffId,
            created_at: at,
            updated_at: at,
            deleted_at: null,
          }),
        );
        return {
          result: { ok: true as const },
          audit: { action: 'checkin.checkout', entity: 'member', entityId: memberId, summary: `Checked out ${member.fullName} (${member.code})` },
          mutation: { name: 'checkins/checkout', args: { id, memberId, at, staffId } },
        };
      });
    },
  },
});
