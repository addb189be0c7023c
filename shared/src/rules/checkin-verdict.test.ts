import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkinVerdict, denyReasonText, type AccessWindow, type CheckinVerdictInput, type RuleDenyReason, denyReasons } from './checkin-verdict.js';
import type { MembershipState } from './membership-state.js';

/** The documented precedence: the first failing condition is the reason. */
const PRECEDENCE: RuleDenyReason[] = [
  'UNKNOWN_CREDENTIAL',
  'NO_MEMBERSHIP',
  'CANCELLED',
  'FROZEN',
  'NOT_STARTED',
  'EXPIRED',
  'DUES_BLOCK',
  'BRANCH_NOT_ALLOWED',
  'OUTSIDE_HOURS',
  'ANTI_PASSBACK',
];

// Friday 2024-06-14, 10:00 in Asia/Kolkata.
const NOW = new Date('2024-06-14T04:30:00Z');
const MINUTE = 60_000;

const base: CheckinVerdictInput = {
  member: { state: 'active', duePaise: 0 },
  access: { allowedBranchIds: null, hours: null },
  branchId: 'b1',
  now: NOW,
  timeZone: 'Asia/Kolkata',
  lastCheckinAt: null,
  antiPassbackMinutes: 30,
  duesBlockPaise: null,
};

const verdict = (patch: Partial<CheckinVerdictInput>) => checkinVerdict({ ...base, ...patch });
const denied = (reason: RuleDenyReason) => ({ verdict: 'deny', reason });
const ALLOW = { verdict: 'allow' };
const withState = (state: MembershipState | null, duePaise = 0) => ({ member: { state, duePaise } });
const hours = (...windows: AccessWindow[]) => ({ access: { allowedBranchIds: null, hours: windows } });
const ist = (local: string) => new Date(`${local}+05:30`);

describe('checkinVerdict', () => {
  it.each(['active', 'expiring', 'grace'] as const)('lets a %s member in', (state) => {
    expect(verdict(withState(state))).toEqual(ALLOW);
  });

  it.each([
    ['UNKNOWN_CREDENTIAL', { member: null }],
    ['NO_MEMBERSHIP', withState(null)],
    ['CANCELLED', withState('cancelled')],
    ['FROZEN', withState('frozen')],
    ['NOT_STARTED', withState('pending')],
    ['EXPIRED', withState('expired')],
    ['DUES_BLOCK', { ...withState('active', 501), duesBlockPaise: 500 }],
    ['BRANCH_NOT_ALLOWED', { access: { allowedBranchIds: ['b2'], hours: null } }],
    ['OUTSIDE_HOURS', hours({ from: '18:00', to: '22:00' })],
    ['ANTI_PASSBACK', { lastCheckinAt: new Date(NOW.getTime() - 5 * MINUTE) }],
  ] as [RuleDenyReason, Partial<CheckinVerdictInput>][])('denies with %s', (reason, patch) => {
    expect(verdict(patch)).toEqual(denied(reason));
  });

  it('reports the first failing check in the documented order', () => {
    const everythingWrong: Partial<CheckinVerdictInput> = {
      ...withState('expired', 10_000),
      duesBlockPaise: 0,
      access: { allowedBranchIds: ['b2'], hours: [{ from: '18:00', to: '22:00' }] },
      lastCheckinAt: NOW,
    };
    expect(verdict({ ...everythingWrong, member: null })).toEqual(denied('UNKNOWN_CREDENTIAL'));
    expect(verdict(everythingWrong)).toEqual(denied('EXPIRED'));
    expect(verdict({ ...everythingWrong, ...withState('grace', 10_000) })).toEqual(denied('DUES_BLOCK'));
    expect(verdict({ ...everythingWrong, ...withState('grace', 0) })).toEqual(denied('BRANCH_NOT_ALLOWED'));
    expect(verdict({ ...everythingWrong, ...withState('grace', 0), branchId: 'b2' })).toEqual(denied('OUTSIDE_HOURS'));
    expect(verdict({ ...everythingWrong, ...withState('grace', 0), branchId: 'b2', now: ist('2024-06-14T19:00:00'), lastCheckinAt: ist('2024-06-14T18:59:00') })).toEqual(
      denied('ANTI_PASSBACK'),
    );
  });

  describe('dues block', () => {
    it('blocks only when the member owes more than the threshold', () => {
      expect(verdict({ ...withState('active', 50_000), duesBlockPaise: 50_000 })).toEqual(ALLOW);
      expect(verdict({ ...withState('active', 50_001), duesBlockPaise: 50_000 })).toEqual(denied('DUES_BLOCK'));
    });
    it('with a zero threshold blocks any due, and with none never blocks', () => {
      expect(verdict({ ...withState('active', 1), duesBlockPaise: 0 })).toEqual(denied('DUES_BLOCK'));
      expect(verdict({ ...withState('active', 0), duesBlockPaise: 0 })).toEqual(ALLOW);
      expect(verdict({ ...withState('active', 10_000_000), duesBlockPaise: null })).toEqual(ALLOW);
    });
  });

  describe('branches', () => {
    it('allows listed branches only', () => {
      expect(verdict({ access: { allowedBranchIds: ['b1', 'b3'], hours: null } })).toEqual(ALLOW);
      expect(verdict({ access: { allowedBranchIds: ['b1', 'b3'], hours: null }, branchId: 'b2' })).toEqual(denied('BRANCH_NOT_ALLOWED'));
    });
  });

  describe('hours', () => {
    const day = { from: '06:00', to: '22:00' };
    it('opens at from and closes at to', () => {
      expect(verdict({ ...hours(day), now: ist('2024-06-14T05:59:59') })).toEqual(denied('OUTSIDE_HOURS'));
      expect(verdict({ ...hours(day), now: ist('2024-06-14T06:00:00') })).toEqual(ALLOW);
      expect(verdict({ ...hours(day), now: ist('2024-06-14T21:59:59') })).toEqual(ALLOW);
      expect(verdict({ ...hours(day), now: ist('2024-06-14T22:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
    });

    it('reads the clock in the gym’s time zone', () => {
      // 04:30Z is 10:00 in Kolkata but 04:30 in UTC.
      expect(verdict({ ...hours(day), timeZone: 'Asia/Kolkata' })).toEqual(ALLOW);
      expect(verdict({ ...hours(day), timeZone: 'UTC' })).toEqual(denied('OUTSIDE_HOURS'));
    });

    it('restricts windows to their weekdays', () => {
      const weekdays = { ...day, days: [1, 2, 3, 4, 5] };
      expect(verdict({ ...hours(weekdays), now: ist('2024-06-14T10:00:00') })).toEqual(ALLOW);
      expect(verdict({ ...hours(weekdays), now: ist('2024-06-15T10:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
    });

    it('lets a window cross midnight, belonging to the day it opens', () => {
      const fridayNight = { from: '22:00', to: '02:00', days: [5] };
      expect(verdict({ ...hours(fridayNight), now: ist('2024-06-14T23:00:00') })).toEqual(ALLOW);
      expect(verdict({ ...hours(fridayNight), now: ist('2024-06-15T01:59:00') })).toEqual(ALLOW);
      expect(verdict({ ...hours(fridayNight), now: ist('2024-06-15T02:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
      expect(verdict({ ...hours(fridayNight), now: ist('2024-06-14T01:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
      expect(verdict({ ...hours(fridayNight), now: ist('2024-06-15T23:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
    });

    it('treats to 00:00 as midnight and from = to as all day', () => {
      const evening = { from: '18:00', to: '00:00' };
      expect(verdict({ ...hours(evening), now: ist('2024-06-14T23:59:00') })).toEqual(ALLOW);
      expect(verdict({ ...hours(evening), now: ist('2024-06-15T00:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
      expect(verdict({ ...hours({ from: '05:00', to: '05:00' }), now: ist('2024-06-15T04:59:00') })).toEqual(ALLOW);
    });

    it('accepts any of several windows', () => {
      const split = hours({ from: '06:00', to: '10:00' }, { from: '17:00', to: '21:00' });
      expect(verdict({ ...split, now: ist('2024-06-14T09:00:00') })).toEqual(ALLOW);
      expect(verdict({ ...split, now: ist('2024-06-14T12:00:00') })).toEqual(denied('OUTSIDE_HOURS'));
      expect(verdict({ ...split, now: ist('2024-06-14T18:00:00') })).toEqual(ALLOW);
    });

    it('throws on a malformed time', () => {
      expect(() => verdict(hours({ from: '6:00', to: '22:00' }))).toThrow(RangeError);
      expect(() => verdict(hours({ from: '06:00', to: '24:00' }))).toThrow(RangeError);
    });
  });

  describe('anti-passback', () => {
    it('denies a repeat strictly within the window and allows one exactly at it', () => {
      expect(verdict({ lastCheckinAt: new Date(NOW.getTime() - 30 * MINUTE + 1) })).toEqual(denied('ANTI_PASSBACK'));
      expect(verdict({ lastCheckinAt: new Date(NOW.getTime() - 30 * MINUTE) })).toEqual(ALLOW);
    });
    it('is off with a zero window', () => {
      expect(verdict({ antiPassbackMinutes: 0, lastCheckinAt: NOW })).toEqual(ALLOW);
    });
    it('lets a check-in stamped in the future by a skewed clock block only within the window', () => {
      expect(verdict({ lastCheckinAt: new Date(NOW.getTime() + 10 * MINUTE) })).toEqual(denied('ANTI_PASSBACK'));
      expect(verdict({ lastCheckinAt: new Date(NOW.getTime() + 3 * 24 * 60 * MINUTE) })).toEqual(ALLOW);
    });
  });

  it('has short front-desk text for every reason', () => {
    expect(Object.keys(denyReasonText).sort()).toEqual([...denyReasons].sort());
    expect(denyReasons.slice(0, PRECEDENCE.length)).toEqual(PRECEDENCE);
    for (const text of Object.values(denyReasonText)) expect(text).toMatch(/^[A-Z][^.]{3,39}$/);
    expect(denyReasonText.EXPIRED).toBe('Membership expired');
  });
});

// Fixed-offset zones in 2024, so the oracle can read the wall clock without Intl.
const ZONES = { UTC: 0, 'Asia/Kolkata': 330, 'Asia/Kathmandu': 345 } as const;
type Zone = keyof typeof ZONES;
const WEEK = 7 * 1440;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Independent model of a window: the set of minutes of the week it covers, starting on each opening day. */
function oracleWithinHours(windows: readonly AccessWindow[], now: Date, zone: Zone): boolean {
  const local = new Date(now.getTime() + ZONES[zone] * MINUTE);
  const position = local.getUTCDay() * 1440 + local.getUTCHours() * 60 + local.getUTCMinutes();
  return windows.some((w) => {
    const [from = 0, to = 0] = [w.from, w.to].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
    const length = to > from ? to - from : to - from + 1440;
    return (w.days ?? [0, 1, 2, 3, 4, 5, 6]).some((d) => (((position - (d * 1440 + from)) % WEEK) + WEEK) % WEEK < length);
  });
}

function oracle(i: CheckinVerdictInput, zone: Zone): RuleDenyReason | 'allow' {
  const failing: Record<RuleDenyReason, boolean> = {
    UNKNOWN_CREDENTIAL: i.member === null,
    NO_MEMBERSHIP: i.member?.state === null,
    CANCELLED: i.member?.state === 'cancelled',
    FROZEN: i.member?.state === 'frozen',
    NOT_STARTED: i.member?.state === 'pending',
    EXPIRED: i.member?.state === 'expired',
    DUES_BLOCK: i.duesBlockPaise !== null && (i.member?.duePaise ?? 0) > i.duesBlockPaise,
    BRANCH_NOT_ALLOWED: i.access.allowedBranchIds !== null && !i.access.allowedBranchIds.includes(i.branchId),
    OUTSIDE_HOURS: i.access.hours !== null && !oracleWithinHours(i.access.hours, i.now, zone),
    ANTI_PASSBACK: i.lastCheckinAt !== null && Math.abs(i.now.getTime() - i.lastCheckinAt.getTime()) < i.antiPassbackMinutes * MINUTE,
  };
  return PRECEDENCE.find((r) => failing[r]) ?? 'allow';
}

const windowArb: fc.Arbitrary<AccessWindow> = fc.record(
  {
    from: fc.integer({ min: 0, max: 1439 }).map(hhmm),
    to: fc.integer({ min: 0, max: 1439 }).map(hhmm),
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  },
  { requiredKeys: ['from', 'to'] },
);

const caseArb: fc.Arbitrary<{ zone: Zone; input: CheckinVerdictInput }> = fc
  .record({
    zone: fc.constantFrom(...(Object.keys(ZONES) as Zone[])),
    now: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true }),
    member: fc.option(
      fc.record({
        // Weighted towards states that let members in, so the later checks get exercised too.
        state: fc.oneof(
          { arbitrary: fc.constantFrom<MembershipState>('active', 'expiring', 'grace'), weight: 3 },
          { arbitrary: fc.constantFrom<MembershipState | null>('pending', 'expired', 'frozen', 'cancelled', null), weight: 2 },
        ),
        duePaise: fc.integer({ min: 0, max: 20_000 }),
      }),
      { nil: null, freq: 8 },
    ),
    allowedBranchIds: fc.option(fc.subarray(['b1', 'b2', 'b3']), { nil: null }),
    branchId: fc.constantFrom('b1', 'b2', 'b3'),
    hours: fc.option(fc.array(windowArb, { minLength: 1, maxLength: 3 }), { nil: null }),
    lastDeltaMs: fc.option(fc.integer({ min: -3 * 60 * MINUTE, max: 3 * 60 * MINUTE }), { nil: null }),
    antiPassbackMinutes: fc.integer({ min: 0, max: 120 }),
    duesBlockPaise: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
  })
  .map(({ zone, now, allowedBranchIds, hours, lastDeltaMs, ...rest }) => ({
    zone,
    input: {
      ...rest,
      now,
      timeZone: zone,
      access: { allowedBranchIds, hours },
      lastCheckinAt: lastDeltaMs === null ? null : new Date(now.getTime() - lastDeltaMs),
    },
  }));

const verdictOf = (i: CheckinVerdictInput): RuleDenyReason | 'allow' => {
  const v = checkinVerdict(i);
  return v.verdict === 'allow' ? 'allow' : v.reason;
};

/** Make one condition pass (`fail = false`) or fail, leaving the rest of the input as generated. */
function force(reason: RuleDenyReason, i: CheckinVerdictInput, zone: Zone, fail: boolean): CheckinVerdictInput {
  const member = i.member ?? { state: 'active' as const, duePaise: 0 };
  const memberState = (state: MembershipState | null): CheckinVerdictInput => {
    if (fail) return { ...i, member: { ...member, state } };
    return member.state === state ? { ...i, member: { ...member, state: 'active' } } : i;
  };
  switch (reason) {
    case 'UNKNOWN_CREDENTIAL':
      return { ...i, member: fail ? null : member };
    case 'NO_MEMBERSHIP':
      return memberState(null);
    case 'CANCELLED':
      return memberState('cancelled');
    case 'FROZEN':
      return memberState('frozen');
    case 'NOT_STARTED':
      return memberState('pending');
    case 'EXPIRED':
      return memberState('expired');
    case 'DUES_BLOCK':
      return fail ? { ...i, member: { ...member, duePaise: member.duePaise + 1 }, duesBlockPaise: member.duePaise } : { ...i, duesBlockPaise: null };
    case 'BRANCH_NOT_ALLOWED':
      return { ...i, access: { ...i.access, allowedBranchIds: fail ? ['elsewhere'] : null } };
    case 'OUTSIDE_HOURS': {
      // A window covering every minute of the week except the current one.
      const local = new Date(i.now.getTime() + ZONES[zone] * MINUTE);
      const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
      return { ...i, access: { ...i.access, hours: fail ? [{ from: hhmm((minute + 1) % 1440), to: hhmm(minute) }] : null } };
    }
    case 'ANTI_PASSBACK':
      return fail
        ? { ...i, antiPassbackMinutes: Math.max(1, i.antiPassbackMinutes), lastCheckinAt: new Date(i.now.getTime() - 59_999) }
        : { ...i, lastCheckinAt: null };
  }
}

describe('checkinVerdict properties', () => {
  it('allows only when every condition holds, and otherwise names the first failing one', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, input }) => {
        expect(verdictOf(input)).toBe(oracle(input, zone));
      }),
      { numRuns: 500 },
    );
  });

  it.each(PRECEDENCE)('%s is reachable and outranks every check after it', (reason) => {
    fc.assert(
      fc.property(caseArb, ({ zone, input }) => {
        const higher = PRECEDENCE.slice(0, PRECEDENCE.indexOf(reason));
        const forced = higher.reduce((acc, r) => force(r, acc, zone, false), force(reason, input, zone, true));
        expect(verdictOf(forced)).toBe(reason);
      }),
    );
  });

  it('allows once every condition is made to hold', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, input }) => {
        expect(verdictOf(PRECEDENCE.reduce((acc, r) => force(r, acc, zone, false), input))).toBe('allow');
      }),
    );
  });

  it('anti-passback denies exactly when the last check-in is less than N minutes away', () => {
    const boundaryArb = fc.integer({ min: 1, max: 720 }).chain((n) => {
      const window = n * MINUTE;
      return fc.tuple(
        fc.constant(n),
        fc.oneof(fc.integer({ min: -2 * window, max: 2 * window }), fc.constantFrom(window, window - 1, -window, 1 - window, 0)),
      );
    });
    fc.assert(
      fc.property(boundaryArb, ([n, deltaMs]) => {
        const result = verdictOf({ ...base, antiPassbackMinutes: n, lastCheckinAt: new Date(NOW.getTime() - deltaMs) });
        expect(result).toBe(Math.abs(deltaMs) < n * MINUTE ? 'ANTI_PASSBACK' : 'allow');
      }),
    );
  });
});
