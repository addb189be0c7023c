import {
  AppError,
  ErrorCode,
  type LocalDate,
  type Membership,
  type PlanSnapshot,
  addDays,
  applyFreeze,
  compareLocalDate,
  errors,
  formatInr,
  grossPrice,
  planSnapshotOf,
  renewalStart,
  termEnd,
  unfreezeEarly,
} from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import type { HandlerInput } from '../contract.js';
import type { Context } from '../context.js';
import { findMember } from '../domain/members.js';
import { findLiveMembership, findMembership } from '../domain/memberships.js';
import { paymentMutationArgs, recordPayment } from '../domain/payments.js';
import { findPlan } from '../domain/plans.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

type SaleInput = HandlerInput<'memberships/renew'>;

const freezeError: Record<'FREEZE_LIMIT_EXCEEDED' | 'FREEZE_INVALID_RANGE', () => AppError> = {
  FREEZE_LIMIT_EXCEEDED: () => new AppError(ErrorCode.FreezeLimitExceeded, 'That is more freeze days than the plan has left'),
  FREEZE_INVALID_RANGE: () => new AppError(ErrorCode.FreezeInvalidRange, 'Choose freeze dates within the membership that do not overlap another freeze'),
};

/** The latest end among the member's live memberships: a renewal starts the day after it. */
function latestEnd(ctx: Context, memberId: string): LocalDate | null {
  const { store } = ctx;
  const row = store.first(
    store.db
      .selectFrom('memberships')
      .select('end_date')
      .where('member_id', '=', memberId)
      .where('cancelled_at', 'is', null)
      .where('deleted_at', 'is', null)
      .orderBy('end_date', 'desc')
      .limit(1),
  );
  return row?.end_date ?? null;
}

/** Sells a term of a plan from `start`, with an optional payment in the same transaction. */
function sell(ctx: Context, name: 'memberships/sell' | 'memberships/renew', input: SaleInput, start: LocalDate) {
  const { store, desk } = ctx;
  const member = findMember(ctx, input.memberId);
  const plan = findPlan(ctx, input.planId);
  if (!plan.active) throw errors.planInactive();
  if (input.discountPaise > plan.pricePaise) throw errors.validation([{ path: 'discountPaise', message: 'Discount cannot be more than the price' }]);
  const snapshot = planSnapshotOf(plan);
  const now = ctx.clock().toISOString();
  const membership: Membership = {
    id: uuid(),
    memberId: member.id,
    planId: plan.id,
    plan: snapshot satisfies PlanSnapshot,
    start,
    end: termEnd(start, plan.duration),
    pricePaise: grossPrice(plan, input.discountPaise),
    discountPaise: input.discountPaise,
    cancelledAt: null,
    cancelReason: null,
    createdAt: now,
  };
  return write(ctx, ['memberships', 'payments'], () => {
    store.run(
      store.db.insertInto('memberships').values({
        id: membership.id,
        gym_id: desk.gym.id,
        branch_id: desk.branch.id,
        member_id: member.id,
        plan_id: plan.id,
        plan: JSON.stringify(membership.plan),
        start_date: membership.start,
        end_date: membership.end,
        price_paise: membership.pricePaise,
        discount_paise: membership.discountPaise,
        cancelled_at: null,
        cancel_reason: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      }),
    );
    const paid = input.payment ? recordPayment(ctx, membership, member, input.payment) : null;
    const verb = name === 'memberships/renew' ? 'Renewed' : 'Sold';
    const payment = paid ? `; paid ${formatInr(paid.payment.amountPaise)} by ${paid.payment.method}, invoice ${paid.invoice.number}` : '';
    return {
      result: { membership, payment: paid?.payment ?? null, invoice: paid?.invoice ?? null },
      audit: {
        action: name === 'memberships/renew' ? 'membership.renew' : 'membership.sell',
        entity: 'membership',
        entityId: membership.id,
        summary: `${verb} ${plan.name} (${membership.start} to ${membership.end}) to ${member.fullName} (${member.code})${payment}`,
      },
      mutation: { name, args: { ...membership, payment: paid && paymentMutationArgs(paid) } },
    };
  });
}

export const membershipHandlers = defineHandlers({
  'memberships/sell': {
    access: 'frontdesk',
    run: (ctx, input) => sell(ctx, 'memberships/sell', input, input.start ?? ctx.today()),
  },

  'memberships/renew': {
    access: 'frontdesk',
    run: (ctx, input) => sell(ctx, 'memberships/renew', input, renewalStart(latestEnd(ctx, input.memberId), ctx.today())),
  },

  'memberships/freeze': {
    access: 'frontdesk',
    run(ctx, { membershipId, from, to, reason }) {
      const { store } = ctx;
      const view = findLiveMembership(ctx, membershipId);
      const overlaps = view.freezes.some((f) => compareLocalDate(from, f.to) <= 0 && compareLocalDate(f.from, to) <= 0);
      const applied = applyFreeze({ end: view.end, usedFreezeDays: view.freezeDaysUsed, maxFreezeDays: view.plan.maxFreezeDays, from, to });
      if (overlaps || compareLocalDate(from, view.start) < 0) throw freezeError.FREEZE_INVALID_RANGE();
      if (!applied.ok) throw freezeError[applied.code]();
      const freezeId = uuid();
      write(ctx, ['memberships'], () => {
        const now = ctx.clock().toISOString();
        store.run(
          store.db
            .insertInto('freezes')
            .values({ id: freezeId, gym_id: ctx.desk.gym.id, membership_id: membershipId, from_date: from, to_date: to, reason: reason ?? null, created_at: now, updated_at: now, deleted_at: null }),
        );
        store.run(store.db.updateTable('memberships').set({ end_date: applied.newEnd, updated_at: now }).where('id', '=', membershipId));
        return {
          result: null,
          audit: { action: 'membership.freeze', entity: 'membership', entityId: membershipId, summary: `Froze ${view.plan.name} ${from} to ${to}; now ends ${applied.newEnd}` },
          mutation: { name: 'memberships/freeze', args: { membershipId, freezeId, from, to, reason: reason ?? null } },
        };
      });
      return findLiveMembership(ctx, membershipId);
    },
  },

  // Ends the current (or a coming) freeze today: the days not used come off the end again.
  'memberships/unfreeze': {
    access: 'frontdesk',
    run(ctx, { membershipId }) {
      const { store } = ctx;
      const view = findLiveMembership(ctx, membershipId);
      const today = ctx.today();
      const freeze = view.freezes.find((f) => compareLocalDate(f.to, today) >= 0);
      if (!freeze) throw errors.notFrozen();
      const yesterday = addDays(today, -1);
      const actualTo = compareLocalDate(yesterday, freeze.from) < 0 ? addDays(freeze.from, -1) : yesterday;
      const ended = unfreezeEarly({ end: view.end, from: freeze.from, plannedTo: freeze.to, actualTo });
      if (!ended.ok) throw freezeError[ended.code]();
      write(ctx, ['memberships'], () => {
        const now = ctx.clock().toISOString();
        // A freeze that had not begun is withdrawn outright; one under way ends yesterday.
        const change = ended.days === 0 ? { deleted_at: now, updated_at: now } : { to_date: actualTo, updated_at: now };
        store.run(store.db.updateTable('freezes').set(change).where('id', '=', freeze.id));
        store.run(store.db.updateTable('memberships').set({ end_date: ended.newEnd, updated_at: now }).where('id', '=', membershipId));
        return {
          result: null,
          audit: { action: 'membership.unfreeze', entity: 'membership', entityId: membershipId, summary: `Unfroze ${view.plan.name}; now ends ${ended.newEnd}` },
          mutation: { name: 'memberships/unfreeze', args: { membershipId, freezeId: freeze.id, actualTo } },
        };
      });
      return findLiveMembership(ctx, membershipId);
    },
  },

  'memberships/cancel': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, { membershipId, reason }) {
      const { store } = ctx;
      const view = findLiveMembership(ctx, membershipId);
      const cancelledAt = ctx.clock().toISOString();
      write(ctx, ['memberships'], () => {
        store.run(store.db.updateTable('memberships').set({ cancelled_at: cancelledAt, cancel_reason: reason, updated_at: cancelledAt }).where('id', '=', membershipId));
        return {
          result: null,
          audit: { action: 'membership.cancel', entity: 'membership', entityId: membershipId, summary: `Cancelled ${view.plan.name}: ${reason}` },
          mutation: { name: 'memberships/cancel', args: { membershipId, reason, cancelledAt } },
        };
      });
      return findMembership(ctx, membershipId);
    },
  },
});
