import { assertInteger } from './assert.js';
import { addDays, compareLocalDate, daysBetween, type LocalDate } from './local-date.js';

export type FreezeErrorCode = 'FREEZE_LIMIT_EXCEEDED' | 'FREEZE_INVALID_RANGE';

export type FreezeResult<Code extends FreezeErrorCode = FreezeErrorCode> =
  | { ok: true; newEnd: LocalDate; days: number }
  | { ok: false; code: Code };

export type ApplyFreezeInput = {
  /** Current inclusive end of the membership. */
  end: LocalDate;
  usedFreezeDays: number;
  maxFreezeDays: number;
  /** First and last frozen day, inclusive. */
  from: LocalDate;
  to: LocalDate;
};

export type UnfreezeEarlyInput = {
  /** Membership end as extended when the freeze was applied. */
  end: LocalDate;
  from: LocalDate;
  plannedTo: LocalDate;
  /** The last day actually frozen; the day before `from` cancels the freeze outright. */
  actualTo: LocalDate;
};

/** Number of days in the inclusive range `from..to`. */
export function freezeDays(from: LocalDate, to: LocalDate): number {
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new RangeError(`Freeze ends (${to}) before it starts (${from})`);
  return days;
}

/**
 * Freezes `from..to`: the end moves out by exactly the frozen days, so the member loses none.
 * The freeze must start on or before the end (a lapsed term has nothing left to pause) and
 * must fit in what is left of the plan's freeze allowance; it is never partly applied.
 */
export function applyFreeze(input: ApplyFreezeInput): FreezeResult {
  const { end, usedFreezeDays, maxFreezeDays, from, to } = input;
  assertInteger(usedFreezeDays, 'usedFreezeDays', 0);
  assertInteger(maxFreezeDays, 'maxFreezeDays', 0);
  if (compareLocalDate(to, from) < 0 || compareLocalDate(from, end) > 0) {
    return { ok: false, code: 'FREEZE_INVALID_RANGE' };
  }
  const days = freezeDays(from, to);
  if (usedFreezeDays + days > maxFreezeDays) return { ok: false, code: 'FREEZE_LIMIT_EXCEEDED' };
  return { ok: true, newEnd: addDays(end, days), days };
}

/** Ends a freeze on `actualTo` instead of `plannedTo`: the unused days come off the end again. */
export function unfreezeEarly(input: UnfreezeEarlyInput): FreezeResult<'FREEZE_INVALID_RANGE'> {
  const { end, from, plannedTo, actualTo } = input;
  const days = daysBetween(from, actualTo) + 1;
  if (days < 0 || compareLocalDate(plannedTo, from) < 0 || compareLocalDate(actualTo, plannedTo) > 0) {
    return { ok: false, code: 'FREEZE_INVALID_RANGE' };
  }
  return { ok: true, newEnd: addDays(end, -daysBetween(actualTo, plannedTo)), days };
}
