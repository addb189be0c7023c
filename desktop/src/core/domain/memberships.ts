import { type MembershipView, deriveMembershipState, errors, freezeDays } from '@gymstack/shared';
import type { Context } from '../context.js';
import { toFreeze, toMembership } from '../db/rows.js';

/**
 * Memberships with their derived state, payments and freezes, newest first; three queries however
 * many memberships (no N+1).
 */
export function membershipViews(ctx: Context, by: { memberId: string } | { membershipId: string }): MembershipView[] {
  const { store } = ctx;
  const rows = store.all(
    store.db
      .selectFrom('memberships')
      .selectAll()
      .where('deleted_at', 'is', null)
      .$call((q) => ('memberId' in by ? q.where('member_id', '=', by.memberId) : q.where('id', '=', by.membershipId)))
      .orderBy('start_date', 'desc')
      .orderBy('id', 'desc'),
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const freezes = store.all(store.db.selectFrom('freezes').selectAll().where('membership_id', 'in', ids).where('deleted_at', 'is', null).orderBy('from_date')).map(toFreeze);
  const paid = new Map(
    store
      .all(
        store.db
          .selectFrom('payments')
          .select((eb) => ['membership_id', eb.fn.sum<number>('amount_paise').as('paid')])
          .where('membership_id', 'in', ids)
          .where('deleted_at', 'is', null)
          .groupBy('membership_id'),
      )
      .map((r) => [r.membership_id, r.paid]),
  );
  const today = ctx.today();
  const { expiringWithinDays, graceDays } = ctx.desk.settings;
  return rows.map((row) => {
    const membership = toMembership(row);
    const own = freezes.filter((f) => f.membershipId === row.id);
    const paidPaise = paid.get(row.id) ?? 0;
    const derived = deriveMembershipState({ ...membership, freezes: own, paidPaise, today, expiringWithinDays, graceDays });
    return { ...membership, ...derived, paidPaise, freezes: own, freezeDaysUsed: own.reduce((sum, f) => sum + freezeDays(f.from, f.to), 0) };
  });
}

export function findMembership(ctx: Context, membershipId: string): MembershipView {
  const [view] = membershipViews(ctx, { membershipId });
  if (!view) throw errors.notFound('Membership');
  return view;
}

/** A membership that can still be changed or paid for. */
export function findLiveMembership(ctx: Context, membershipId: string): MembershipView {
  const view = findMembership(ctx, membershipId);
  if (view.cancelledAt !== null) throw errors.membershipCancelled();
  return view;
}
