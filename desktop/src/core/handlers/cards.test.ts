import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk, monthlyPlan } from '../testing/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('membership cards', () => {
  it('assigns a card that then checks its member in, and lists it on the profile', async () => {
    const { id } = await desk.createMember();
    await desk.loginAs('manager');
    const plan = await desk.core.call('plans/create', monthlyPlan);
    await desk.core.call('memberships/sell', { memberId: id, planId: plan.id, payment: { method: 'cash', amountPaise: plan.pricePaise } });

    await desk.core.call('cards/assign', { memberId: id, number: ' 04a1b2c3 ' });
    expect((await desk.core.call('members/get', { memberId: id })).cards).toEqual(['04A1B2C3']);

    const scan = await desk.core.call('checkins/create', { method: 'card', credential: { kind: 'card', value: '04a1b2c3' } });
    expect(scan.checkin).toMatchObject({ memberId: id, verdict: 'allow' });
  });

  it('refuses a card that another member holds, and writes nothing', async () => {
    const a = await desk.createMember();
    const b = await desk.createMember();
    await desk.core.call('cards/assign', { memberId: a.id, number: '04A1B2C3' });
    const outbox = desk.count('outbox');
    expect(await code(desk.core.call('cards/assign', { memberId: b.id, number: '04A1B2C3' }))).toBe('CONFLICT');
    expect(desk.count('outbox')).toBe(outbox);
  });

  it('revokes a card so it no longer opens the door, and can then be given to someone else', async () => {
    const a = await desk.createMember();
    const b = await desk.createMember();
    await desk.core.call('cards/assign', { memberId: a.id, number: '04A1B2C3' });
    await desk.core.call('cards/revoke', { memberId: a.id, number: '04A1B2C3' });
    expect((await desk.core.call('members/get', { memberId: a.id })).cards).toEqual([]);

    const scan = await desk.core.call('checkins/create', { method: 'card', credential: { kind: 'card', value: '04A1B2C3' } });
    expect(scan.checkin).toMatchObject({ memberId: null, verdict: 'deny', reason: 'UNKNOWN_CREDENTIAL' });

    expect(await code(desk.core.call('cards/revoke', { memberId: a.id, number: '04A1B2C3' }))).toBe('NOT_FOUND');
    expect(await code(desk.core.call('cards/assign', { memberId: b.id, number: '04A1B2C3' }))).toBe('ok');
  });
});
