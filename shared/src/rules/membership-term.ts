import { assertInteger } from './assert.js';
import { addDays, addMonths, compareLocalDate, type LocalDate } from './local-date.js';

export type PlanDuration = { unit: 'days' | 'months'; count: number };

/**
 * The inclusive last day of a term that starts on `start`.
 * A months term ends the day before `addMonths(start, count)` rather than on it: that day is where
 * the next term starts, so back-to-back renewals tile the calendar with no gap and no shared day
 * (2024-01-15 + 1 month runs to 2024-02-14; the renewal starts 2024-02-15).
 */
export function termEnd(start: LocalDate, duration: PlanDuration): LocalDate {
  assertInteger(duration.count, 'duration.count', 1);
  const next = duration.unit === 'days' ? addDays(start, duration.count) : addMonths(start, duration.count);
  return addDays(next, -1);
}

/** Where a renewal starts: the day after the current term, or today when that term has lapsed (or none exists). */
export function renewalStart(currentEnd: LocalDate | null, today: LocalDate): LocalDate {
  if (currentEnd === null) return today;
  const next = addDays(currentEnd, 1);
  return compareLocalDate(next, today) >= 0 ? next : today;
}
