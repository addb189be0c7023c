import {
  AppError,
  ErrorCode,
  type Freeze,
  type Invoice,
  type LocalDate,
  type Membership,
  type MembershipView,
  type Payment,
  type PaymentInput,
  type PlanSnapshot,
  type SellInput,
  addDays,
  applyFreeze,
  compareLocalDate,
  deriveMembershipState,
  errors,
  freezeDays,
  grossPrice,
  planSnapshotOf,
  renewalStart,
  termEnd,
  unfreezeEarly,
} from '@gymstack/shared';
import type { Selectable, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { Database, FreezeTable, MembershipTable } from '../db/schema.js';
import { appendAudit, auditRow } from './audit.js';
import type { GymContext } from './gym.js';
import { type MemberRow, findMember } from './members.js';
import { type Page, type PageRequest, paginate } from './page.js';
import { type DeskPayment, type PaidInvoice, type PaymentDraft, recordPayment } from './payments.js';
import { findPlan } from './plans.js';
import { inScope } from './scope.js';
import { cancelStaleReminders } from '../notifications/stale.js';

type MembershipRow = Selectable<MembershipTable>;

const freezeError = {
  FREEZE_LIMIT_EXCEEDED: () => new AppError(ErrorCode.FreezeLimitExceeded, 'That is more freeze days than the plan has left'),
  FREEZE_INVALID_RANGE: () => new AppError(ErrorCode.FreezeInvalidRange, 'Choose freeze dates within the membership that do not overlap another freeze'),
};

const toMembership = (r: MembershipRow): Membership => ({
  id: r.id,
  memberId: r.member_id,
  planId: r.plan_id,
  plan: r.plan as PlanSnapshot,
  start: r.start_date,
  end: r.end_date,
  pricePaise: r.price_paise,
  discountPaise: r.discount_paise,
  cancelledAt: r.cancelled_at?.toISOString() ?? null,
  cancelReason: r.cancel_reason,
  createdAt: r.created_at.toISOString(),
});

const toFreeze = (r: Selectable<FreezeTable>): Freeze => ({
  id: r.id,
  membershipId: r.membership_id,
  from: r.from_date,
  to: r.to_date,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
});

/** Live memberships whose member the caller's grant reaches. */
const scopedMemberships = (trx: Transaction<Database>, access: Access) =>
  trx
    .selectFrom('memberships')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where(inScope(access, { member: 'memberships.member_id', branch: 'memberships.branch_id' }));

/** Memberships with derived state, paid totals and freezes: two more queries however many rows (no N+1). */
async function viewsOf(trx: Transaction<Database>, ctx: GymContext, rows: readonly MembershipRow[]): Promise<MembershipView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const freezes = (await trx.selectFrom('freezes').selectAll().where('membership_id', 'in', ids).where('deleted_at', 'is', null).orderBy('from_date').execute()).map(toFreeze);
  const paid = new Map(
    (
      await trx
        .selectFrom('payments')
        .select((eb) => ['membership_id', eb.fn.sum<string>('amount_paise').as('paid')])
        .where('membership_id', 'in', ids)
        .groupBy('membership_id')
        .execute()
    ).map((r) => [r.membership_id, Number(r.paid)]),
  );
  const { today, settings } = ctx;
  return rows.map((row) => {
    const membership = toMembership(row);
    const own = freezes.filter((f) => f.membershipId === row.id);
    const paidPaise = paid.get(row.id) ?? 0;
    const derived = deriveMembershipState({ ...membership, freezes: own, paidPaise, today, ...settings });
    return { ...membership, ...derived, paidPaise, freezes: own, freezeDaysUsed: own.reduce((sum, f) => sum + freezeDays(f.from, f.to), 0) };
  });
}

async function findMembership(trx: Transaction<Database>, access: Access, ctx: GymContext, membershipId: string): Promise<MembershipView> {
  const row = await scopedMemberships(trx, access).where('id', '=', membershipId).executeTakeFirst();
  if (!row) throw errors.notFound('Membership');
  return (await viewsOf(trx, ctx, [row]))[0] as MembershipView;
}

/** A membership that can still be changed or paid for. */
async function findLiveMembership(trx: Transaction<Database>, access: Access, ctx: GymContext, membershipId: string): Promise<MembershipView> {
  const view = await findMembership(trx, access, ctx, membershipId);
  if (view.cancelledAt !== null) throw errors.membershipCancelled();
  return view;
}

export async function listMemberMemberships(trx: Transaction<Database>, access: Access, ctx: GymContext, memberId: string, query: PageRequest): Promise<Page<MembershipView>> {
  await findMember(trx, access, memberId);
  const rows = scopedMemberships(trx, access).where('member_id', '=', memberId).orderBy('start_date', 'desc').orderBy('id', 'desc');
  const page = await paginate(trx, rows, query);
  return { items: await viewsOf(trx, ctx, page.items), meta: page.meta };
}

/** The latest end among the member's live memberships: a renewal starts the day after it. */
export async function latestEnd(trx: Transaction<Database>, memberId: string): Promise<LocalDate | null> {
  const row = await trx
    .selectFrom('memberships')
    .select('end_date')
    .where('member_id', '=', memberId)
    .where('cancelled_at', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('end_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.end_date ?? null;
}

type SaleResult = { membership: Membership; payment: Payment | null; invoice: Invoice | null };

/**
 * Sells a term of a plan (from `start`, today by default) or renews (from the day after the latest live
 * term, or today once it has lapsed), with an optional first payment in the same transaction.
 */
export async function sellMembership(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  kind: 'sell' | 'renew',
  input: Omit<SellInput, 'start' | 'payment'> & { start?: LocalDate | undefined; payment?: PaymentDraft | null | undefined },
): Promise<SaleResult> {
  const plan = await findPlan(trx, input.planId);
  if (!plan.active) throw errors.planInactive();
  if (input.discountPaise > plan.pricePaise) throw errors.validation([{ path: 'discountPaise', message: 'Discount cannot be more than the price' }]);
  return sellPlanSnapshot(trx, access, ctx, kind, { ...input, plan: planSnapshotOf(plan) });
}

/**
 * `sellMembership` of a plan as it was when quoted (an online order sells what the member paid for,
 * whatever the gym has changed since): the term and price follow from the snapshot.
 */
export async function sellPlanSnapshot(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  kind: 'sell' | 'renew',
  input: { memberId: string; planId: string; plan: PlanSnapshot; discountPaise: number; start?: LocalDate | undefined; payment?: PaymentDraft | null | undefined },
): Promise<SaleResult> {
  const member = await findMember(trx, access, input.memberId);
  const start = kind === 'renew' ? renewalStart(await latestEnd(trx, member.id), ctx.today) : (input.start ?? ctx.today);
  const membership: Membership = {
    id: uuid(),
    memberId: member.id,
    planId: input.planId,
    plan: input.plan,
    start,
    end: termEnd(start, input.plan.duration),
    pricePaise: grossPrice(input.plan, input.discountPaise),
    discountPaise: input.discountPaise,
    cancelledAt: null,
    cancelReason: null,
    createdAt: ctx.now.toISOString(),
  };
  return insertSale(trx, access, ctx, kind, member, membership, input.payment ?? null);
}

/** Inserts a sold term with its audit row and optional first payment, in the caller's transaction. */
async function insertSale(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  kind: 'sell' | 'renew',
  member: MemberRow,
  membership: Membership,
  payment: PaymentDraft | null,
  deskPayment?: DeskPayment,
): Promise<SaleResult> {
  const createdAt = new Date(membership.createdAt);
  // The term and its audit row in one statement (one round trip).
  await trx
    .with('m', (db) =>
      db.insertInto('memberships').values({
        gym_id: access.caller.gymId,
        id: membership.id,
        branch_id: member.branch_id,
        member_id: member.id,
        plan_id: membership.planId,
        plan: membership.plan,
        start_date: membership.start,
        end_date: membership.end,
        price_paise: membership.pricePaise,
        discount_paise: membership.discountPaise,
        cancelled_at: null,
        cancel_reason: null,
        created_at: createdAt,
        updated_at: createdAt,
        deleted_at: null,
      }),
    )
    .insertInto('audit_log')
    .values(auditRow(access.caller, { action: `membership.${kind}`, entity: 'membership', entityId: membership.id, old: null, new: membership }))
    .execute();
  // A later term moves the member's end date: reminders queued for the old one would nag a paid-up member.
  await cancelStaleReminders(trx, ctx.now, member.id);
  // A term sold just now has nothing paid against it yet.
  const paid = payment ? await recordPayment(trx, access, ctx, { ...membership, paidPaise: 0 }, member, payment, deskPayment) : null;
  return { membership, payment: paid?.payment ?? null, invoice: paid?.invoice ?? null };
}

/** A membership and first payment as a desk sold them offline (sync push). */
export type DeskSale = Membership & {
  payment: {
    id: string;
    invoiceId: string;
    invoiceNumber: string;
    method: PaymentInput['method'];
    reference: string | null;
    amountPaise: number;
    receivedAt: string;
    staffId: string | null;
  } | null;
};

/**
 * Applies a sale made at a desk with the REST API's rules (a live member in the desk's scope, a live
 * plan, a discount within the price, the payment's dues and invoice rules), keeping the desk's ids, plan
 * snapshot, term and price: the desk sold exactly that, so the term and price must follow from the
 * snapshot by the shared rules, else the sale is refused.
 */
export async function applyDeskSale(trx: Transaction<Database>, access: Access, ctx: GymContext, kind: 'sell' | 'renew', sale: DeskSale): Promise<SaleResult> {
  const { payment, ...membership } = sale;
  const member = await findMember(trx, access, membership.memberId);
  const plan = await findPlan(trx, membership.planId);
  if (!plan.active) throw errors.planInactive();
  const invalid = (path: string, message: string) => errors.validation([{ path, message }]);
  if (membership.discountPaise > membership.plan.pricePaise) throw invalid('discountPaise', 'Discount cannot be more than the price');
  if (membership.end !== termEnd(membership.start, membership.plan.duration)) throw invalid('end', 'The term does not follow from the plan duration');
  if (membership.pricePaise !== grossPrice(membership.plan, membership.discountPaise)) throw invalid('pricePaise', 'The price does not follow from the plan and discount');
  if (membership.cancelledAt !== null) throw invalid('cancelledAt', 'A sale cannot arrive cancelled');
  const draft = payment && { method: payment.method, amountPaise: payment.amountPaise, reference: payment.reference };
  const born = payment
    ? { paymentId: payment.id, invoiceId: payment.invoiceId, invoiceNumber: payment.invoiceNumber, receivedAt: new Date(payment.receivedAt), staffId: payment.staffId }
    : undefined;
  return insertSale(trx, access, ctx, kind, member, membership, draft, born);
}

/** Freezes `from..to`: the end moves out by the frozen days, within the plan's allowance (shared `applyFreeze`). */
export async function freezeMembership(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  membershipId: string,
  { from, to, reason }: { from: LocalDate; to: LocalDate; reason?: string | null | undefined },
  freezeId?: string,
): Promise<MembershipView> {
  const view = await findLiveMembership(trx, access, ctx, membershipId);
  const overlaps = view.freezes.some((f) => compareLocalDate(from, f.to) <= 0 && compareLocalDate(f.from, to) <= 0);
  const applied = applyFreeze({ end: view.end, usedFreezeDays: view.freezeDaysUsed, maxFreezeDays: view.plan.maxFreezeDays, from, to });
  if (overlaps || compareLocalDate(from, view.start) < 0) throw freezeError.FREEZE_INVALID_RANGE();
  if (!applied.ok) throw freezeError[applied.code]();
  await trx.insertInto('freezes').values({ gym_id: access.caller.gymId, id: freezeId ?? uuid(), membership_id: membershipId, from_date: from, to_date: to, reason: reason ?? null, deleted_at: null }).execute();
  await trx.updateTable('memberships').set({ end_date: applied.newEnd, updated_at: ctx.now }).where('id', '=', membershipId).execute();
  const after = await findLiveMembership(trx, access, ctx, membershipId);
  await appendAudit(trx, access.caller, { action: 'membership.freeze', entity: 'membership', entityId: membershipId, old: view, new: after });
  return after;
}

/** Ends the current (or a coming) freeze today: the days not used come off the end again. */
/** `desk`: the freeze a desk ended offline and the last frozen day it chose (its own today), for sync push. */
export async function unfreezeMembership(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  membershipId: string,
  desk?: { freezeId: string; actualTo: LocalDate },
): Promise<MembershipView> {
  const view = await findLiveMembership(trx, access, ctx, membershipId);
  const freeze = desk ? view.freezes.find((f) => f.id === desk.freezeId) : view.freezes.find((f) => compareLocalDate(f.to, ctx.today) >= 0);
  if (!freeze) throw errors.notFrozen();
  const yesterday = addDays(ctx.today, -1);
  const actualTo = desk ? desk.actualTo : compareLocalDate(yesterday, freeze.from) < 0 ? addDays(freeze.from, -1) : yesterday;
  const ended = unfreezeEarly({ end: view.end, from: freeze.from, plannedTo: freeze.to, actualTo });
  if (!ended.ok) throw freezeError[ended.code]();
  // A freeze that had not begun is withdrawn outright; one under way ends yesterday.
  const change = ended.days === 0 ? { deleted_at: ctx.now, updated_at: ctx.now } : { to_date: actualTo, updated_at: ctx.now };
  await trx.updateTable('freezes').set(change).where('id', '=', freeze.id).execute();
  await trx.updateTable('memberships').set({ end_date: ended.newEnd, updated_at: ctx.now }).where('id', '=', membershipId).execute();
  const after = await findLiveMembership(trx, access, ctx, membershipId);
  await appendAudit(trx, access.caller, { action: 'membership.unfreeze', entity: 'membership', entityId: membershipId, old: view, new: after });
  return after;
}

export async function cancelMembership(trx: Transaction<Database>, access: Access, ctx: GymContext, membershipId: string, reason: string, at?: Date): Promise<MembershipView> {
  const view = await findLiveMembership(trx, access, ctx, membershipId);
  await trx.updateTable('memberships').set({ cancelled_at: at ?? ctx.now, cancel_reason: reason, updated_at: ctx.now }).where('id', '=', membershipId).execute();
  const after = await findMembership(trx, access, ctx, membershipId);
  await appendAudit(trx, access.caller, { action: 'membership.cancel', entity: 'membership', entityId: membershipId, old: view, new: after });
  return after;
}

/** POST /payments/record-offline: cash, UPI or card-terminal money received against a live membership. */
export async function recordOfflinePayment(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  { membershipId, ...draft }: PaymentDraft & { membershipId: string },
  desk?: DeskPayment,
): Promise<PaidInvoice> {
  const membership = await findLiveMembership(trx, access, ctx, membershipId);
  const member = await findMember(trx, access, membership.memberId);
  return recordPayment(trx, access, ctx, membership, member, draft, desk);
}
