import { localDateAt, localTimeAt, weekdayOf } from './local-date.js';
import type { MembershipState } from './membership-state.js';

/** The reasons the verdict rule below gives, in the order it checks them. */
export const ruleDenyReasons = [
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
] as const;
export type RuleDenyReason = (typeof ruleDenyReasons)[number];

/** A QR pass is checked before the rule: one that fails names no member the rule could judge. */
export const passDenyReasons = ['PASS_EXPIRED', 'PASS_INVALID'] as const;

/** Every reason a check-in can be denied; stored with each denied check-in, so never renamed. */
export const denyReasons = [...ruleDenyReasons, ...passDenyReasons] as const;
export type DenyReason = (typeof denyReasons)[number];

/** A weekly opening window. `to` at or before `from` crosses midnight into the next day (`from === to` is 24 hours). */
export type AccessWindow = {
  /** Weekdays (0 = Sunday) on which the window opens; omitted = every day. */
  days?: readonly number[];
  from: string;
  to: string;
};

export type AccessRules = {
  /** null = every branch. */
  allowedBranchIds: readonly string[] | null;
  /** null = any time. */
  hours: readonly AccessWindow[] | null;
};

export type CheckinVerdictInput = {
  /** null = the credential matched no member; `state: null` = a known member with no membership. */
  member: { state: MembershipState | null; duePaise: number } | null;
  access: AccessRules;
  branchId: string;
  now: Date;
  timeZone: string;
  /** The member's last allowed check-in. */
  lastCheckinAt: Date | null;
  antiPassbackMinutes: number;
  /** Deny when the member owes more than this; null = never block. */
  duesBlockPaise: number | null;
};

export type CheckinVerdictResult = { verdict: 'allow' } | { verdict: 'deny'; reason: RuleDenyReason };

export const denyReasonText: Record<DenyReason, string> = {
  UNKNOWN_CREDENTIAL: 'Card, QR or finger not recognised',
  NO_MEMBERSHIP: 'No membership',
  CANCELLED: 'Membership cancelled',
  FROZEN: 'Membership frozen',
  NOT_STARTED: 'Membership not started yet',
  EXPIRED: 'Membership expired',
  DUES_BLOCK: 'Dues pending',
  BRANCH_NOT_ALLOWED: 'Not valid at this branch',
  OUTSIDE_HOURS: 'Outside allowed hours',
  ANTI_PASSBACK: 'Already checked in',
  PASS_EXPIRED: 'QR pass expired: refresh it in the app',
  PASS_INVALID: 'QR pass not valid for this gym',
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const match = HH_MM.exec(hhmm);
  if (!match) throw new RangeError(`Invalid time ${JSON.stringify(hhmm)}, expected HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function windowOpen(window: AccessWindow, weekday: number, minute: number): boolean {
  const [from, to] = [minutesOf(window.from), minutesOf(window.to)];
  const opensOn = (day: number) => window.days === undefined || window.days.includes(day);
  if (from < to) return opensOn(weekday) && from <= minute && minute < to;
  // Crossing midnight: the evening part belongs to today's window, the early-morning part to yesterday's.
  return (opensOn(weekday) && minute >= from) || (opensOn((weekday + 6) % 7) && minute < to);
}

function withinHours(hours: readonly AccessWindow[], now: Date, timeZone: string): boolean {
  const weekday = weekdayOf(localDateAt(now, timeZone));
  const minute = minutesOf(localTimeAt(now, timeZone));
  return hours.some((w) => windowOpen(w, weekday, minute));
}

const deny = (reason: RuleDenyReason): CheckinVerdictResult => ({ verdict: 'deny', reason });

/**
 * Whether to open the door. Desk and cloud call this same function (DESIGN.md §3).
 * The first failing check, in this fixed order, is the reason shown:
 * UNKNOWN_CREDENTIAL, NO_MEMBERSHIP, CANCELLED, FROZEN, NOT_STARTED, EXPIRED, DUES_BLOCK,
 * BRANCH_NOT_ALLOWED, OUTSIDE_HOURS, ANTI_PASSBACK — who the member is and what they hold first,
 * then where and when, and the repeat check last so it never masks a real problem.
 * Active, expiring and grace memberships are let in.
 */
export function checkinVerdict(input: CheckinVerdictInput): CheckinVerdictResult {
  const { member, access, now, timeZone, lastCheckinAt, duesBlockPaise } = input;
  if (member === null) return deny('UNKNOWN_CREDENTIAL');
  switch (member.state) {
    case null:
      return deny('NO_MEMBERSHIP');
    case 'cancelled':
      return deny('CANCELLED');
    case 'frozen':
      return deny('FROZEN');
    case 'pending':
      return deny('NOT_STARTED');
    case 'expired':
      return deny('EXPIRED');
  }
  if (duesBlockPaise !== null && member.duePaise > duesBlockPaise) return deny('DUES_BLOCK');
  if (access.allowedBranchIds !== null && !access.allowedBranchIds.includes(input.branchId)) {
    return deny('BRANCH_NOT_ALLOWED');
  }
  if (access.hours !== null && !withinHours(access.hours, now, timeZone)) return deny('OUTSIDE_HOURS');
  // Absolute difference: a check-in stamped in the future by a skewed desk clock blocks only within the window.
  if (lastCheckinAt !== null && Math.abs(now.getTime() - lastCheckinAt.getTime()) < input.antiPassbackMinutes * 60_000) {
    return deny('ANTI_PASSBACK');
  }
  return { verdict: 'allow' };
}
