import { assertInteger } from './assert.js';
import { compareLocalDate, daysBetween, type LocalDate } from './local-date.js';

export const membershipStates = ['pending', 'active', 'expiring', 'grace', 'expired', 'frozen', 'cancelled'] as const;
export type MembershipState = (typeof membershipStates)[number];

export type DateRange = { from: LocalDate; to: LocalDate };

export type MembershipStateInput = {
  start: LocalDate;
  /** Inclusive end, already extended by any freezes. */
  end: LocalDate;
  cancelledAt: string | null;
  freezes: readonly DateRange[];
  pricePaise: number;
  paidPaise: number;
  today: LocalDate;
  /** An active membership with this many days left or fewer is `expiring`. */
  expiringWithinDays?: number;
  /** Days after the end during which the member is still let in. */
  graceDays?: number;
};

export type MembershipStatus = {
  state: MembershipState;
  /** `end − today` while pending, active, expiring or frozen; 0 otherwise. */
  daysLeft: number;
  duePaise: number;
};

/** The fields of a membership that decide which one governs access; anything else rides along. */
export type MembershipSpan = { id: string; start: LocalDate; end: LocalDate; cancelledAt: string | null };

const within = (d: LocalDate, from: LocalDate, to: LocalDate): boolean =>
  compareLocalDate(from, d) <= 0 && compareLocalDate(d, to) <= 0;

/** Membership state is derived, never stored (DESIGN.md §3). */
export function deriveMembershipState(input: MembershipStateInput): MembershipStatus {
  const { start, end, cancelledAt, freezes, pricePaise, paidPaise, today, expiringWithinDays = 7, graceDays = 0 } = input;
  assertInteger(pricePaise, 'pricePaise', 0);
  assertInteger(paidPaise, 'paidPaise', 0);
  assertInteger(expiringWithinDays, 'expiringWithinDays', 0);
  assertInteger(graceDays, 'graceDays', 0);
  const remaining = daysBetween(today, end);
  const state: MembershipState =
    cancelledAt !== null ? 'cancelled'
    : freezes.some((f) => within(today, f.from, f.to)) ? 'frozen'
    : compareLocalDate(today, start) < 0 ? 'pending'
    : remaining >= 0 ? (remaining <= expiringWithinDays ? 'expiring' : 'active')
    : -remaining <= graceDays ? 'grace'
    : 'expired';
  const counting = state === 'pending' || state === 'active' || state === 'expiring' || state === 'frozen';
  return { state, daysLeft: counting ? Math.max(0, remaining) : 0, duePaise: Math.max(0, pricePaise - paidPaise) };
}

// Lower rank governs: covering today, then upcoming, then ended.
function rank(m: MembershipSpan, today: LocalDate): number {
  if (compareLocalDate(today, m.start) < 0) return 1;
  return compareLocalDate(today, m.end) <= 0 ? 0 : 2;
}

function governs(a: MembershipSpan, b: MembershipSpan, today: LocalDate): boolean {
  const [ra, rb] = [rank(a, today), rank(b, today)];
  if (ra !== rb) return ra < rb;
  // Covering: most days left. Upcoming: soonest start. Ended: latest end. Then by id, for determinism.
  const order = ra === 1 ? compareLocalDate(a.start, b.start) : compareLocalDate(b.end, a.end);
  return order !== 0 ? order < 0 : a.id < b.id;
}

/**
 * The membership that governs access today: the one covering today, else the nearest future one,
 * else the latest ended. Cancelled memberships count only when every membership is cancelled, so a
 * cancelled sale never hides a live (or in-grace) one but a member with nothing else still reads as cancelled.
 */
export function pickCurrentMembership<M extends MembershipSpan>(memberships: readonly M[], today: LocalDate): M | null {
  const live = memberships.filter((m) => m.cancelledAt === null);
  const pool = live.length > 0 ? live : memberships;
  return pool.reduce<M | null>((best, m) => (best === null || governs(m, best, today) ? m : best), null);
}
