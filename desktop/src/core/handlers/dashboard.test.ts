import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk } from '../testing/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

describe('dashboard and audit', () => {
  it('sums today: check-ins, revenue by method, expiring, dues and birthdays', async () => {
    const planId = await desk.createPlan();
    const paid = await desk.createMember({ fullName: 'Paid Pranav', dateOfBirth: '1990-11-21' });
    const owing = await desk.createMember({ fullName: 'Owing Omkar' });
    const ending = await desk.createMember({ fullName: 'Ending Esha' });
    await desk.core.call('memberships/sell', { memberId: paid.id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
    await desk.core.call('memberships/sell', { memberId: owing.id, planId, payment: { method: 'upi_offline', amountPaise: 40_000, reference: 'U1' } });
    await desk.core.call('memberships/sell', { memberId: ending.id, planId, start: '2026-10-25', payment: { method: 'card_terminal', amountPaise: 150_000, reference: 'C1' } });
    await desk.core.call('checkins/create', { method: 'manual', memberCode: paid.code });
    await desk.core.call('checkins/create', { method: 'manual', memberCode: paid.code }); // anti-passback
    await desk.core.call('checkins/create', { method: 'manual', memberCode: ending.code });
    // Owing Omkar paid part of it online: the cloud's payment reaches the desk through sync, with no desk.
    const db = desk.sqlite();
    const owed = db.prepare('select id, gym_id, branch_id from memberships where member_id = ?').get(owing.id) as { id: string; gym_id: string; branch_id: string };
    db.prepare(
      `insert into payments (id, gym_id, branch_id, created_at, updated_at, deleted_at, member_id, membership_id, method, reference, amount_paise, received_at, received_on, staff_id, device_id, invoice_id)
       values (?, ?, ?, ?, ?, null, ?, ?, 'razorpay', 'pay_Online1', 10000, ?, '2026-11-21', null, null, ?)`,
    ).run(crypto.randomUUID(), owed.gym_id, owed.branch_id, desk.clock.now.toISOString(), desk.clock.now.toISOString(), owing.id, owed.id, desk.clock.now.toISOString(), crypto.randomUUID());

    const today = await desk.core.call('dashboard/today', {});
    expect(today.date).toBe('2026-11-21');
    expect(today.checkins).toEqual({ allowed: 2, denied: 1, uniqueMembers: 2 });
    expect(today.occupancy).toBe(2);
    expect(today.revenue).toEqual({ cash: 150_000, upi_offline: 40_000, card_terminal: 150_000, razorpay: 10_000, total: 350_000 });
    expect(today.expiringSoon.map((m) => m.fullName)).toEqual(['Ending Esha']);
    expect(today.dues).toMatchObject({ count: 1, totalPaise: 100_000, members: [expect.objectContaining({ fullName: 'Owing Omkar' })] });
    expect(today.birthdays.map((m) => m.fullName)).toEqual(['Paid Pranav']);
  });

  it('lists the audit log newest first with staff names', async () => {
    await desk.loginAs('frontdesk');
    const member = await desk.createMember({ fullName: 'Audit Anjali' });
    await desk.loginAs('manager');
    const log = await desk.core.call('audit/list', { limit: 3 });
    expect(log[0]).toMatchObject({ action: 'auth.login', staffName: 'Manager Meera' });
    expect(log[1]).toMatchObject({ action: 'member.create', entity: 'member', entityId: member.id, staffName: 'Desk Deepak', summary: `Enrolled Audit Anjali (${member.code})` });
  });
});
