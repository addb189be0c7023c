import { assertInteger } from './assert.js';
import { addDays, addMonths, compareLocalDate, type LocalDate } from './local-date.js';

export type PlanDuration = { unit: 'days' | 'months'; count: number };

/**
 * The inclusive last day of a term that starts on `start`.
 * A months term ends the day before the same date `count` months later (2024-01-15 + 1 month runs to
 * 2024-02-14; the renewal starts 2024-02-15). When that month is too short to have the start's day
 * (a 31st, or the 29th-30th into February), the term runs to that month's last day instead: a member
 * who joins on 31 October is paid up to 30 November, not one day short of it.
 */
export function termEnd(start: LocalDate, duration: PlanDuration): LocalDate {
  assertInteger(duration.count, 'duration.count', 1);
  if (duration.unit === 'days') return addDays(start, duration.count - 1);
  const next = addMonths(start, duration.count);
  const clamped = next.slice(8) !== start.slice(8);
  return clamped ? next : addDays(next, -1);
}

/** Where a renewal starts: the day after the current term, or today when that term has lapsed (or none exists). */
export function renewalStart(currentEnd: LocalDate | null, today: LocalDate): LocalDate {
  if (currentEnd === null) return today;
  const next = addDays(currentEnd, 1);
  return compareLocalDate(next, today) >= 0 ? next : today;
}
