import type { MemberStatus } from '../schemas/membership.js';
import type { LocalDate } from './local-date.js';
import { type DateRange, deriveMembershipState, pickCurrentMembership } from './membership-state.js';

/** What a member's status is derived from, per live membership; the status itself is never stored (DESIGN 3). */
export interface MembershipFacts {
  id: string;
  planName: string;
  start: LocalDate;
  end: LocalDate;
  pricePaise: number;
  paidPaise: number;
  cancelledAt: string | null;
  freezes: DateRange[];
}

export interface StatusSettings {
  expiringWithinDays: number;
  graceDays: number;
}

/**
 * A member's standing today, desk and cloud alike: the state of the membership that governs today,
 * plus dues over every live (uncancelled) membership. `current` is that membership, for its access rules.
 */
export function memberStatus<F extends MembershipFacts>(
  memberships: readonly F[],
  today: LocalDate,
  settings: StatusSettings,
): { status: MemberStatus; current: F | null } {
  const current = pickCurrentMembership(memberships, today);
  const duePaise = memberships.reduce((sum, m) => (m.cancelledAt === null ? sum + Math.max(0, m.pricePaise - m.paidPaise) : sum), 0);
  if (!current) return { status: { state: 'none', membershipId: null, planName: null, end: null, daysLeft: 0, duePaise }, current };
  const derived = deriveMembershipState({ ...current, today, expiringWithinDays: settings.expiringWithinDays, graceDays: settings.graceDays });
  return {
    status: { state: derived.state, membershipId: current.id, planName: current.planName, end: current.end, daysLeft: derived.daysLeft, duePaise },
    current,
  };
}
