import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk } from '../testing/desk.js';

let desk: TestDesk;
let planId: string;
let member: { id: string; code: string };
beforeEach(async () => {
  desk = await createTestDesk();
  planId = await desk.createPlan();
  member = await desk.createMember();
});
afterEach(() => desk.close());

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('memberships', () => {
  it('sells from today in the gym’s zone to the end of the term, snapshotting the plan', async () => {
    const { membership, payment, invoice } = await desk.core.call('memberships/sell', { memberId: member.id, planId });
    expect(membership).toMatchObject({ start: '2026-11-21', end: '2026-12-20', pricePaise: 150_000, plan: { name: 'Monthly' } });
    expect(payment).toBeNull();
    expect(invoice).toBeNull();
    // A later plan edit does not touch what was sold.
    await desk.core.call('plans/update', { planId, patch: { name: 'Monthly (new)', pricePaise: 180_000 } });
    const [view] = (await desk.core.call('members/get', { memberId: member.id })).memberships;
    expect(view).toMatchObject({ plan: { name: 'Monthly', pricePaise: 150_000 }, state: 'active', duePaise: 150_000 });
  });

  it('renews from the day after the current end, or from today once lapsed', async () => {
    await desk.core.call('memberships/sell', { memberId: member.id, planId, start: '2026-11-01' }); // ends 2026-11-30
    const renewal = await desk.core.call('memberships/renew', { memberId: member.id, planId });
    expect(renewal.membership).toMatchObject({ start: '2026-12-01', end: '2026-12-31' });
    const lapsed = await desk.createMember();
    await desk.core.call('memberships/sell', { memberId: lapsed.id, planId, start: '2026-08-01' });
    expect((await desk.core.call('memberships/renew', { memberId: lapsed.id, planId })).membership.start).toBe('2026-11-21');
  });

  it('applies a discount and refuses one above the price or an archived plan', async () => {
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId, discountPaise: 20_000 });
    expect(membership).toMatchObject({ pricePaise: 130_000, discountPaise: 20_000 });
    const reply = await desk.core.dispatch('memberships/sell', { memberId: member.id, planId, discountPaise: 200_000 });
    expect(reply.ok === false && reply.error.issues?.[0]?.path).toBe('discountPaise');
    await desk.core.call('plans/archive', { planId });
    expect(await code(desk.core.call('memberships/sell', { memberId: member.id, planId }))).toBe('PLAN_INACTIVE');
    expect((await desk.core.call('plans/list', {})).map((p) => p.id)).not.toContain(planId);
    expect((await desk.core.call('plans/list', { includeArchived: true })).map((p) => p.id)).toContain(planId);
  });

  it('charges GST on top for a tax-exclusive plan', async () => {
    const exclusive = await desk.createPlan({ name: 'Exclusive', pricePaise: 100_000, taxInclusive: false });
    const { membership, invoice } = await desk.core.call('memberships/sell', { memberId: member.id, planId: exclusive, payment: { method: 'cash', amountPaise: 118_000 } });
    expect(membership.pricePaise).toBe(118_000);
    expect(invoice).toMatchObject({ taxablePaise: 100_000, cgstPaise: 9_000, sgstPaise: 9_000, totalPaise: 118_000 });
  });

  it('freezes: the end moves out by the frozen days, within the plan’s limit', async () => {
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId });
    const frozen = await desk.core.call('memberships/freeze', { membershipId: membership.id, from: '2026-11-25', to: '2026-12-04', reason: 'Travel' });
    expect(frozen).toMatchObject({ end: '2026-12-30', freezeDaysUsed: 10, freezes: [expect.objectContaining({ from: '2026-11-25', to: '2026-12-04', reason: 'Travel' })] });
    expect(await code(desk.core.call('memberships/freeze', { membershipId: membership.id, from: '2026-12-10', to: '2026-12-15' }))).toBe('FREEZE_LIMIT_EXCEEDED');
    expect(await code(desk.core.call('memberships/freeze', { membershipId: membership.id, from: '2026-12-01', to: '2026-12-02' }))).toBe('FREEZE_INVALID_RANGE');
    expect(await code(desk.core.call('memberships/freeze', { membershipId: membership.id, from: '2027-02-01', to: '2027-02-02' }))).toBe('FREEZE_INVALID_RANGE');
  });

  it('unfreezes early: unused days come off the end; a freeze not yet begun is withdrawn', async () => {
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId });
    expect(await code(desk.core.call('memberships/unfreeze', { membershipId: membership.id }))).toBe('NOT_FROZEN');
    await desk.core.call('memberships/freeze', { membershipId: membership.id, from: '2026-11-21', to: '2026-11-30' });
    desk.clock.advanceDays(3); // back on the 24th: frozen 21st–23rd
    const view = await desk.core.call('memberships/unfreeze', { membershipId: membership.id });
    expect(view).toMatchObject({ end: '2026-12-23', freezeDaysUsed: 3, state: 'active' });
    await desk.core.call('memberships/freeze', { membershipId: membership.id, from: '2026-12-01', to: '2026-12-05' });
    const withdrawn = await desk.core.call('memberships/unfreeze', { membershipId: membership.id });
    expect(withdrawn).toMatchObject({ end: '2026-12-23', freezeDaysUsed: 3 });
  });

  it('cancels with a reason (manager), after which nothing more can be done to it', async () => {
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId });
    await desk.loginAs('manager');
    const cancelled = await desk.core.call('memberships/cancel', { membershipId: membership.id, reason: 'Moved city' });
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelReason: 'Moved city', cancelledAt: '2026-11-21T05:30:00.000Z' });
    expect(await code(desk.core.call('memberships/cancel', { membershipId: membership.id, reason: 'again' }))).toBe('MEMBERSHIP_CANCELLED');
    expect(await code(desk.core.call('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 100 }))).toBe('MEMBERSHIP_CANCELLED');
  });
});

describe('payments', () => {
  it('takes partial payments up to the dues, with consecutive invoice numbers', async () => {
    const { membership, invoice } = await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 50_000 } });
    expect(invoice?.number).toBe('PUN1/2627/00001');
    const second = await desk.core.call('payments/record', { membershipId: membership.id, method: 'card_terminal', amountPaise: 60_000, reference: 'TXN778899' });
    expect(second.invoice.number).toBe('PUN1/2627/00002');
    expect(second.payment).toMatchObject({ method: 'card_terminal', reference: 'TXN778899', amountPaise: 60_000, staffId: desk.staffIds.owner });
    expect(await code(desk.core.call('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 40_001 }))).toBe('OVERPAYMENT');
    const last = await desk.core.call('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 40_000 });
    expect(last.invoice.number).toBe('PUN1/2627/00003');
    expect((await desk.core.call('members/get', { memberId: member.id })).status.duePaise).toBe(0);
  });

  it('starts a new series in a new financial year', async () => {
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 1_000 } });
    desk.clock.now = new Date('2027-04-01T04:00:00.000Z');
    const next = await desk.core.call('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 1_000 });
    expect(next.invoice.number).toBe('PUN1/2728/00001');
  });
});
