import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './local-date.js';
import {
  deriveMembershipState,
  pickCurrentMembership,
  type MembershipSpan,
  type MembershipState,
  type MembershipStateInput,
} from './membership-state.js';
import { localDateArb } from './test-arbitraries.js';

const base: MembershipStateInput = {
  start: '2024-01-01',
  end: '2024-01-31',
  cancelledAt: null,
  freezes: [],
  pricePaise: 150_000,
  paidPaise: 150_000,
  today: '2024-01-10',
};

const stateOn = (today: string, extra: Partial<MembershipStateInput> = {}) => deriveMembershipState({ ...base, ...extra, today }).state;

describe('deriveMembershipState', () => {
  it('walks pending → active → expiring → expired over a term', () => {
    expect(deriveMembershipState({ ...base, today: '2023-12-31' })).toEqual({ state: 'pending', daysLeft: 31, duePaise: 0 });
    expect(deriveMembershipState({ ...base, today: '2024-01-01' })).toEqual({ state: 'active', daysLeft: 30, duePaise: 0 });
    expect(deriveMembershipState({ ...base, today: '2024-01-23' })).toEqual({ state: 'active', daysLeft: 8, duePaise: 0 });
    expect(deriveMembershipState({ ...base, today: '2024-01-24' })).toEqual({ state: 'expiring', daysLeft: 7, duePaise: 0 });
    expect(deriveMembershipState({ ...base, today: '2024-01-31' })).toEqual({ state: 'expiring', daysLeft: 0, duePaise: 0 });
    expect(deriveMembershipState({ ...base, today: '2024-02-01' })).toEqual({ state: 'expired', daysLeft: 0, duePaise: 0 });
  });

  it('honours the grace period to the day', () => {
    expect(stateOn('2024-02-01', { graceDays: 3 })).toBe('grace');
    expect(stateOn('2024-02-03', { graceDays: 3 })).toBe('grace');
    expect(stateOn('2024-02-04', { graceDays: 3 })).toBe('expired');
    expect(deriveMembershipState({ ...base, graceDays: 3, today: '2024-02-02' }).daysLeft).toBe(0);
  });

  it('uses a custom expiring window', () => {
    expect(stateOn('2024-01-17', { expiringWithinDays: 14 })).toBe('expiring');
    expect(stateOn('2024-01-16', { expiringWithinDays: 14 })).toBe('active');
    expect(stateOn('2024-01-31', { expiringWithinDays: 0 })).toBe('expiring');
    expect(stateOn('2024-01-30', { expiringWithinDays: 0 })).toBe('active');
  });

  it('is frozen on every day of a freeze, both ends included', () => {
    const freezes = [{ from: '2024-01-10', to: '2024-01-14' }];
    expect(stateOn('2024-01-09', { freezes })).toBe('active');
    expect(stateOn('2024-01-10', { freezes })).toBe('frozen');
    expect(stateOn('2024-01-14', { freezes })).toBe('frozen');
    expect(stateOn('2024-01-15', { freezes })).toBe('active');
    expect(deriveMembershipState({ ...base, freezes, today: '2024-01-12' }).daysLeft).toBe(19);
  });

  it('lets cancellation win over everything, then freeze over pending', () => {
    const freezes = [{ from: '2023-12-20', to: '2024-01-05' }];
    expect(stateOn('2024-01-03', { freezes, cancelledAt: '2024-01-02T10:00:00Z' })).toBe('cancelled');
    expect(stateOn('2023-12-25', { freezes })).toBe('frozen');
    expect(deriveMembershipState({ ...base, cancelledAt: '2024-01-02T10:00:00Z' }).daysLeft).toBe(0);
  });

  it('derives dues from price and payments, never negative', () => {
    expect(deriveMembershipState({ ...base, paidPaise: 50_000 }).duePaise).toBe(100_000);
    expect(deriveMembershipState({ ...base, paidPaise: 200_000 }).duePaise).toBe(0);
  });

  it('throws on non-integer money or windows', () => {
    expect(() => deriveMembershipState({ ...base, pricePaise: 10.5 })).toThrow(RangeError);
    expect(() => deriveMembershipState({ ...base, paidPaise: -1 })).toThrow(RangeError);
    expect(() => deriveMembershipState({ ...base, graceDays: -1 })).toThrow(RangeError);
  });
});

// Order in which a freeze-free, uncancelled membership passes through the states as days go by.
const lifecycle: MembershipState[] = ['pending', 'active', 'expiring', 'grace', 'expired'];

const stateCaseArb = fc.record({
  start: localDateArb(2000, 2100),
  length: fc.integer({ min: 1, max: 400 }),
  todayOffset: fc.integer({ min: -60, max: 500 }),
  pricePaise: fc.integer({ min: 0, max: 10_000_000 }),
  paidPaise: fc.integer({ min: 0, max: 10_000_000 }),
  expiringWithinDays: fc.integer({ min: 0, max: 30 }),
  graceDays: fc.integer({ min: 0, max: 30 }),
});

describe('membership state properties', () => {
  it('matches the rules for an uncancelled, unfrozen membership', () => {
    fc.assert(
      fc.property(stateCaseArb, ({ start, length, todayOffset, ...rest }) => {
        const end = addDays(start, length - 1);
        const today = addDays(start, todayOffset);
        const { state, daysLeft, duePaise } = deriveMembershipState({ ...rest, start, end, today, cancelledAt: null, freezes: [] });
        const left = length - 1 - todayOffset;
        const expected: MembershipState =
          todayOffset < 0 ? 'pending'
          : left >= 0 ? (left <= rest.expiringWithinDays ? 'expiring' : 'active')
          : -left <= rest.graceDays ? 'grace'
          : 'expired';
        expect(state).toBe(expected);
        expect(daysLeft).toBe(['pending', 'active', 'expiring'].includes(expected) ? left : 0);
        expect(duePaise).toBe(Math.max(0, rest.pricePaise - rest.paidPaise));
      }),
    );
  });

  it('only moves forward through the lifecycle as days pass', () => {
    fc.assert(
      fc.property(stateCaseArb, fc.integer({ min: 1, max: 60 }), ({ start, length, todayOffset, ...rest }, step) => {
        const end = addDays(start, length - 1);
        const at = (offset: number) =>
          deriveMembershipState({ ...rest, start, end, cancelledAt: null, freezes: [], today: addDays(start, offset) }).state;
        expect(lifecycle.indexOf(at(todayOffset + step))).toBeGreaterThanOrEqual(lifecycle.indexOf(at(todayOffset)));
      }),
    );
  });

  it('cancelled wins, then frozen, whatever the dates', () => {
    fc.assert(
      fc.property(stateCaseArb, fc.integer({ min: -30, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), ({ start, length, todayOffset, ...rest }, freezeOffset, freezeLength, cancelled) => {
        const today = addDays(start, todayOffset);
        const from = addDays(today, freezeOffset);
        const freezes = [{ from, to: addDays(from, freezeLength) }];
        const { state, daysLeft } = deriveMembershipState({
          ...rest,
          start,
          end: addDays(start, length - 1),
          today,
          freezes,
          cancelledAt: cancelled ? '2024-01-01T00:00:00Z' : null,
        });
        const inFreeze = freezeOffset <= 0 && freezeOffset + freezeLength >= 0;
        if (cancelled) expect(state).toBe('cancelled');
        else expect(state === 'frozen').toBe(inFreeze);
        expect(daysLeft).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

type Row = MembershipSpan & { plan: string };
const row = (id: string, start: string, end: string, cancelledAt: string | null = null): Row => ({ id, start, end, cancelledAt, plan: `plan-${id}` });

describe('pickCurrentMembership', () => {
  const today = '2024-06-15';
  const past = row('past', '2024-01-01', '2024-03-31');
  const older = row('older', '2023-01-01', '2023-12-31');
  const current = row('current', '2024-06-01', '2024-06-30');
  const future = row('future', '2024-07-01', '2024-07-31');
  const later = row('later', '2024-09-01', '2024-09-30');

  it('returns null when there is none', () => {
    expect(pickCurrentMembership([], today)).toBeNull();
  });

  it('prefers the one covering today, then the nearest future, then the latest ended', () => {
    expect(pickCurrentMembership([past, future, current], today)).toBe(current);
    expect(pickCurrentMembership([later, past, future], today)).toBe(future);
    expect(pickCurrentMembership([older, past], today)).toBe(past);
  });

  it('covers today on the first and last day', () => {
    expect(pickCurrentMembership([future, row('a', today, today)], today)?.id).toBe('a');
    expect(pickCurrentMembership([past], '2024-03-31')).toBe(past);
  });

  it('never lets a cancelled sale hide a live membership, even an ended one', () => {
    const cancelledNow = row('cancelled', '2024-06-01', '2024-06-30', '2024-06-02T05:00:00Z');
    expect(pickCurrentMembership([cancelledNow, past], today)).toBe(past);
    expect(pickCurrentMembership([cancelledNow, row('cancelled-old', '2023-01-01', '2023-01-31', '2023-01-02T00:00:00Z')], today)).toBe(cancelledNow);
  });

  it('keeps the caller’s extra fields', () => {
    expect(pickCurrentMembership([current], today)?.plan).toBe('plan-current');
  });
});

const spanArb = (id: number): fc.Arbitrary<Row> =>
  fc.record({ start: localDateArb(2023, 2025), length: fc.integer({ min: 1, max: 120 }), cancelled: fc.boolean() }).map(({ start, length, cancelled }) =>
    row(`m${id}`, start, addDays(start, length - 1), cancelled ? '2023-01-01T00:00:00Z' : null),
  );

const spansArb = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => spanArb(i))));

describe('pickCurrentMembership properties', () => {
  it('does not depend on the order of the list', () => {
    const permutedArb = spansArb.chain((spans) =>
      fc.tuple(fc.constant(spans), fc.shuffledSubarray(spans, { minLength: spans.length, maxLength: spans.length })),
    );
    fc.assert(
      fc.property(permutedArb, localDateArb(2023, 2025), ([spans, shuffled], today) => {
        expect(pickCurrentMembership(shuffled, today)).toBe(pickCurrentMembership(spans, today));
      }),
    );
  });

  it('picks a live membership covering today whenever there is one, and a live one whenever any exists', () => {
    fc.assert(
      fc.property(spansArb, localDateArb(2023, 2025), (spans, today) => {
        const picked = pickCurrentMembership(spans, today);
        const live = spans.filter((m) => m.cancelledAt === null);
        const covers = (m: Row) => m.start <= today && today <= m.end;
        expect(picked === null).toBe(spans.length === 0);
        if (live.length > 0) expect(picked?.cancelledAt).toBeNull();
        if (live.some(covers)) expect(picked !== null && covers(picked)).toBe(true);
        else if (live.some((m) => m.start > today)) {
          expect(picked?.start).toBe(live.filter((m) => m.start > today).map((m) => m.start).sort()[0]);
        } else if (live.length > 0) {
          expect(picked?.end).toBe(live.map((m) => m.end).sort().at(-1));
        }
      }),
    );
  });
});
