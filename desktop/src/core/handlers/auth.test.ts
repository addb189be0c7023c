import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PINS, type TestDesk, createTestDesk, monthlyPlan } from '../testing/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('auth and staff', () => {
  it('lists active staff and logs in with the right PIN (shift switch = log in as another)', async () => {
    const staff = await desk.core.call('auth/staff', {});
    expect(staff.map((s) => s.name).sort()).toEqual(['Desk Deepak', 'Manager Meera', 'Owner Olivia']);
    const meera = await desk.core.call('auth/login', { staffId: desk.staffIds.manager, pin: PINS.manager });
    expect(meera).toMatchObject({ name: 'Manager Meera', role: 'manager' });
    expect(await desk.core.call('auth/session', {})).toEqual(meera);
    await desk.loginAs('frontdesk');
    expect((await desk.core.call('auth/session', {}))?.name).toBe('Desk Deepak');
  });

  it('stores PINs as argon2id hashes', () => {
    const rows = desk.sqlite().prepare('select pin_hash from staff').all() as { pin_hash: string }[];
    expect(rows.every((r) => r.pin_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('rejects a wrong PIN and locks the staff member out for 5 minutes after 5 in a row', async () => {
    const wrong = () => code(desk.core.call('auth/login', { staffId: desk.staffIds.frontdesk, pin: '9999' }));
    for (let i = 0; i < 4; i++) expect(await wrong()).toBe('INVALID_PIN');
    expect(await wrong()).toBe('PIN_LOCKED');
    // Even the right PIN is refused while locked.
    expect(await code(desk.loginAs('frontdesk'))).toBe('PIN_LOCKED');
    desk.clock.advanceMinutes(5);
    expect(await code(desk.loginAs('frontdesk'))).toBe('ok');
  });

  it('logs out', async () => {
    await desk.core.call('auth/logout', {});
    expect(await desk.core.call('auth/session', {})).toBeNull();
    expect(await code(desk.core.call('members/list', {}))).toBe('UNAUTHENTICATED');
  });

  it('checks roles: plans need a manager, staff/create the owner, cancel a manager', async () => {
    await desk.loginAs('frontdesk');
    expect(await code(desk.core.call('plans/create', monthlyPlan))).toBe('FORBIDDEN');
    expect(await code(desk.core.call('settings/update', { graceDays: 1 }))).toBe('FORBIDDEN');
    expect(await code(desk.core.call('memberships/cancel', { membershipId: desk.staffIds.owner, reason: 'x' }))).toBe('FORBIDDEN');
    expect(await code(desk.core.call('audit/list', {}))).toBe('FORBIDDEN');
    await desk.loginAs('manager');
    expect(await code(desk.core.call('plans/create', monthlyPlan))).toBe('ok');
    expect(await code(desk.core.call('staff/create', { name: 'New', role: 'frontdesk', pin: '4444' }))).toBe('FORBIDDEN');
  });

  it('lets a manager reset a front-desk PIN but never the owner’s', async () => {
    await desk.loginAs('manager');
    expect(await code(desk.core.call('staff/setPin', { staffId: desk.staffIds.owner, pin: '0000' }))).toBe('FORBIDDEN');
    await desk.core.call('staff/setPin', { staffId: desk.staffIds.frontdesk, pin: '4321' });
    expect(await code(desk.core.call('auth/login', { staffId: desk.staffIds.frontdesk, pin: '4321' }))).toBe('ok');
  });

  it('deactivates staff, who then cannot log in, and keeps the PIN hash out of the outbox', async () => {
    await desk.core.call('staff/deactivate', { staffId: desk.staffIds.frontdesk });
    expect((await desk.core.call('auth/staff', {})).map((s) => s.id)).not.toContain(desk.staffIds.frontdesk);
    expect(await code(desk.loginAs('frontdesk'))).toBe('NOT_FOUND');
    expect(await code(desk.core.call('staff/deactivate', { staffId: desk.staffIds.owner }))).toBe('CONFLICT');
    const args = desk.sqlite().prepare(`select args from outbox where name = 'staff/create'`).all() as { args: string }[];
    expect(args.length).toBe(2);
    expect(args.every((a) => !a.args.includes(PINS.frontdesk) && a.args.includes('$argon2id$'))).toBe(true);
  });

  it('updates settings and the gym, and the cache follows', async () => {
    const settings = await desk.core.call('settings/update', { antiPassbackMinutes: 10, duesBlockPaise: 50_000 });
    expect(settings).toMatchObject({ antiPassbackMinutes: 10, duesBlockPaise: 50_000, graceDays: 3 });
    expect(await desk.core.call('settings/get', {})).toEqual(settings);
    await desk.core.call('gym/update', { phone: '+912025501234' });
    expect((await desk.core.call('desk/info', {})).gym.phone).toBe('+912025501234');
  });
});
