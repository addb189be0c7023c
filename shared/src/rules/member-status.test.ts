import { describe, expect, it } from 'vitest';
import { type MembershipFacts, memberStatus } from './member-status.js';

const settings = { expiringWithinDays: 7, graceDays: 3 };
const term = (over: Partial<MembershipFacts>): MembershipFacts => ({
  id: 'm1',
  planName: 'Monthly',
  start: '2026-11-01',
  end: '2026-11-30',
  pricePaise: 150_000,
  paidPaise: 150_000,
  cancelledAt: null,
  freezes: [],
  ...over,
});

describe('member status', () => {
  it("is 'none' with no membership, and owes nothing", () => {
    expect(memberStatus([], '2026-11-21', settings).status).toEqual({ state: 'none', membershipId: null, planName: null, end: null, daysLeft: 0, duePaise: 0 });
  });

  it('takes the state from the membership covering today and sums dues over every live one', () => {
    const old = term({ id: 'old', start: '2026-10-01', end: '2026-10-31', paidPaise: 100_000 });
    const now = term({ id: 'now', paidPaise: 50_000 });
    const { status, current } = memberStatus([old, now], '2026-11-21', settings);
    expect(current?.id).toBe('now');
    expect(status).toEqual({ state: 'active', membershipId: 'now', planName: 'Monthly', end: '2026-11-30', daysLeft: 9, duePaise: 150_000 });
  });

  it('ignores the dues of a cancelled membership', () => {
    const cancelled = term({ id: 'c', paidPaise: 0, cancelledAt: '2026-11-02T00:00:00.000Z' });
    const live = term({ id: 'l', start: '2026-11-03', end: '2026-12-02' });
    expect(memberStatus([cancelled, live], '2026-11-21', settings).status).toMatchObject({ membershipId: 'l', duePaise: 0 });
  });

  it('reports expiring within the window and grace after the end', () => {
    expect(memberStatus([term({})], '2026-11-25', settings).status.state).toBe('expiring');
    expect(memberStatus([term({})], '2026-12-02', settings).status.state).toBe('grace');
    expect(memberStatus([term({})], '2026-12-10', settings).status.state).toBe('expired');
  });
});
