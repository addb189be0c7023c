import { errors, fields, grossPrice, planSnapshotOf } from '@gymstack/shared';
import type { Selectable, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import type { Access } from '../auth/permissions.js';
import type { Database, RazorpayOrderTable } from '../db/schema.js';
import { enqueueNotification } from '../notifications/enqueue.js';
import { messageAmount } from '../notifications/scan.js';
import type { RazorpayConnector } from '../razorpay/gateway.js';
import { appendAudit } from './audit.js';
import type { GymContext } from './gym.js';
import { findMember } from './members.js';
import { latestEnd } from './memberships.js';
import { findPlan } from './plans.js';
import { loadRazorpayAccount } from './razorpay-accounts.js';

export const onlineOrderInputSchema = z.object({ memberId: fields.id, planId: fields.id });
export const paymentLinkInputSchema = z.object({ planId: fields.id });

export const onlineOrderSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['order', 'payment_link']),
  sale: z.enum(['sell', 'renew']),
  memberId: z.uuid(),
  planId: z.uuid(),
  amountPaise: z.number().int(),
  currency: z.string(),
  status: z.enum(['created', 'simulated', 'paid']),
  /** What Razorpay Checkout opens (`order_…`) or the link's id (`plink_…`); null when simulated. */
  razorpayId: z.string().nullable(),
  /** The page a payment link opens; null for an order. */
  shortUrl: z.string().nullable(),
  /** The gym's key id, which Razorpay Checkout needs beside the order id; null when simulated. */
  keyId: z.string().nullable(),
});
export type OnlineOrder = z.infer<typeof onlineOrderSchema>;

export type OrderRow = Selectable<RazorpayOrderTable>;

const toOnlineOrder = (r: OrderRow, keyId: string | null): OnlineOrder => ({
  id: r.id,
  kind: r.kind,
  sale: r.sale,
  memberId: r.member_id,
  planId: r.plan_id,
  amountPaise: r.amount_paise,
  currency: r.currency,
  status: r.status,
  razorpayId: r.razorpay_id,
  shortUrl: r.short_url,
  keyId,
});

/** Queues the link to the member on WhatsApp; `ref` keeps it apart from the daily scan's reminder of the same day. */
async function sendLink(trx: Transaction<Database>, ctx: GymContext, link: OrderRow, planName: string): Promise<void> {
  await enqueueNotification(trx, {
    gymId: ctx.gym.id,
    memberId: link.member_id,
    template: 'payment_link',
    dueAt: ctx.now,
    data: { plan: planName, amount: messageAmount(link.amount_paise), pay_link: link.short_url as string },
    ref: link.id,
  });
}

export interface OrderDeps {
  connect: RazorpayConnector;
  keyEncryptionKey: Buffer;
}

/**
 * Asks Razorpay for an order (a member buying a plan online: Checkout pays it) or a payment link (a
 * renewal, sent to the member by WhatsApp) at the plan's price today, and keeps it with the plan as
 * quoted. Nothing is sold yet: the webhook sells that term when Razorpay says it is paid, as a renewal
 * (from the day after the current term) when the member has a live term, else from the day it is paid.
 * A gym with no Razorpay account gets a `simulated` row and no request leaves the cloud (DESIGN 5,
 * recorded mode). Razorpay's refusal rolls everything back.
 */
export async function createOnlineOrder(
  trx: Transaction<Database>,
  access: Access,
  ctx: GymContext,
  deps: OrderDeps,
  request: { kind: OrderRow['kind']; memberId: string; planId: string },
): Promise<OnlineOrder> {
  const member = await findMember(trx, access, request.memberId);
  const plan = await findPlan(trx, request.planId);
  if (!plan.active) throw errors.planInactive();
  // A member paying online while a term is live pays for the next one, not one that overlaps it.
  const sale = (await latestEnd(trx, member.id)) === null ? 'sell' : 'renew';
  const id = uuid();
  const amountPaise = grossPrice(plan, 0);
  const { currency } = ctx.gym;
  const notes = { gym_id: ctx.gym.id, gymstack_order_id: id };
  const account = await loadRazorpayAccount(trx, deps.keyEncryptionKey);
  const gateway = account && deps.connect(account);
  const description = `${plan.name} membership renewal, ${ctx.gym.name}`;
  const customer = { name: member.full_name, contact: member.phone };
  const made = !gateway
    ? null
    : request.kind === 'order'
      ? { ...(await gateway.createOrder({ amountPaise, currency, receipt: id, notes })), shortUrl: null }
      : await gateway.createPaymentLink({ amountPaise, currency, referenceId: id, description, customer, notes });
  const row = await trx
    .insertInto('razorpay_orders')
    .values({
      gym_id: ctx.gym.id,
      id,
      kind: request.kind,
      sale,
      branch_id: member.branch_id,
      member_id: member.id,
      plan_id: plan.id,
      plan: JSON.stringify(planSnapshotOf(plan)),
      amount_paise: amountPaise,
      currency,
      status: made ? 'created' : 'simulated',
      razorpay_id: made?.id ?? null,
      razorpay_order_id: request.kind === 'order' ? (made?.id ?? null) : null,
      short_url: made?.shortUrl ?? null,
      payment_id: null,
      membership_id: null,
      created_by: access.caller.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (row.short_url) await sendLink(trx, ctx, row, plan.name);
  const view = toOnlineOrder(row, account?.keyId ?? null);
  await appendAudit(trx, access.caller, { action: `razorpay.${request.kind}`, entity: 'razorpay_order', entityId: id, old: null, new: view });
  return view;
}
