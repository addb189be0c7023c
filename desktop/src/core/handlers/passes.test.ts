import { generatePassKey, signPass } from '@gymstack/shared/passes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk } from '../testing/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('member passes and scans', () => {
  it('lets a member in on a pass the desk issued, verified offline with the gym key', async () => {
    const member = await desk.memberWithMembership('active');
    const pass = await desk.core.call('passes/issue', { memberId: member.id });
    expect(pass.token.length).toBeLessThan(140);
    expect(new Date(pass.expiresAt).getTime() - desk.clock.now.getTime()).toBe(60_000);

    const scan = await desk.core.call('checkins/scan', { code: pass.token });
    expect(scan.checkin).toMatchObject({ memberId: member.id, method: 'qr', verdict: 'allow' });
  });

  it('denies an expired pass (a screenshot) and a forged one, each with its reason and no member', async () => {
    const member = await desk.memberWithMembership('active');
    const { token } = await desk.core.call('passes/issue', { memberId: member.id });
    desk.clock.advanceMinutes(2);
    const expired = await desk.core.call('checkins/scan', { code: token });
    expect(expired.checkin).toMatchObject({ memberId: null, verdict: 'deny', reason: 'PASS_EXPIRED' });
    expect(expired.reasonText).toMatch(/expired/i);

    // A well-formed pass signed by a key that is not the gym's (the shared tests forge one under the gym's own key id).
    const forged = signPass({ memberId: member.id, expiresAt: new Date(desk.clock.now.getTime() + 60_000) }, generatePassKey());
    const denied = await desk.core.call('checkins/scan', { code: forged });
    expect(denied.checkin).toMatchObject({ memberId: null, verdict: 'deny', reason: 'PASS_INVALID' });
    expect(desk.count('checkins')).toBe(2);
  });

  it('checks in by a scanned member code, and by a card number the code does not match', async () => {
    const member = await desk.memberWithMembership('active');
    expect((await desk.core.call('checkins/scan', { code: member.code })).checkin).toMatchObject({ memberId: member.id, method: 'card', verdict: 'allow' });

    const other = await desk.memberWithMembership('active');
    await desk.core.call('cards/assign', { memberId: other.id, number: '0004567890' });
    expect((await desk.core.call('checkins/scan', { code: '0004567890\r\n' })).checkin).toMatchObject({ memberId: other.id, verdict: 'allow' });
  });

  it('refuses an unreadable scan with a code and records nothing', async () => {
    await desk.memberWithMembership('active');
    const before = desk.count('checkins');
    expect(await code(desk.core.call('checkins/scan', { code: 'not a code!' }))).toBe('VALIDATION_ERROR');
    expect(desk.count('checkins')).toBe(before);
  });
});
