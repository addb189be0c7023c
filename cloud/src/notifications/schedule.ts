import { type LocalDate, addDays, daysBetween, instantAt, isLocalDate, localDateAt, localTimeAt } from '@gymstack/shared';
import type { TemplateName } from './templates.js';

// The pure half of reminders: which are due for a member on a local date, when a message may go out
// in the gym's time zone, and how failed sends are retried. No database, no clock: callers pass `now`.

/** Local wall-clock window (`HH:MM`, end exclusive) when no message is sent; it may wrap midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** Days from the membership's (inclusive) end date to each reminder's due date. */
export const END_DATE_REMINDERS = {
  renewal_reminder_7d: -7,
  renewal_reminder_3d: -3,
  renewal_reminder_1d: -1,
  renewal_reminder_0d: 0,
  // The first day without cover, and a week later.
  expiry_notice: 1,
  expired_7d: 7,
} as const satisfies Partial<Record<TemplateName, number>>;
export type EndDateTemplate = keyof typeof END_DATE_REMINDERS;

/** The end dates for which some end-date reminder falls due on `today`: what the daily scan looks for. */
export function endDatesDueOn(today: LocalDate): LocalDate[] {
  return Object.values(END_DATE_REMINDERS).map((offset) => addDays(today, -offset));
}

export interface ReminderFacts {
  today: LocalDate;
  /** The latest end among the member's live memberships, or null without one. */
  latestEnd: LocalDate | null;
  dateOfBirth: LocalDate | null;
}

export interface DueReminder {
  template: EndDateTemplate | 'birthday_wish';
  dueOn: LocalDate;
  /** The end date an end-date reminder is about; a renewal moves it, which makes the reminder stale. */
  endDate: LocalDate | null;
}

/** The birthday in `year`: 29 February falls on 28 February outside leap years. */
export function birthdayIn(dateOfBirth: LocalDate, year: number): LocalDate {
  const monthDay = dateOfBirth.slice(5);
  const date = `${String(year).padStart(4, '0')}-${monthDay}`;
  return isLocalDate(date) ? date : `${String(year).padStart(4, '0')}-02-28`;
}

/** Reminders due for one member on `today`. */
export function remindersDue({ today, latestEnd, dateOfBirth }: ReminderFacts): DueReminder[] {
  const due: DueReminder[] = [];
  if (latestEnd !== null) {
    const offset = daysBetween(latestEnd, today);
    for (const [template, days] of Object.entries(END_DATE_REMINDERS) as [EndDateTemplate, number][]) {
      if (days === offset) due.push({ template, dueOn: today, endDate: latestEnd });
    }
  }
  if (dateOfBirth !== null && birthdayIn(dateOfBirth, Number(today.slice(0, 4))) === today) {
    due.push({ template: 'birthday_wish', dueOn: today, endDate: null });
  }
  return due;
}

export function isQuiet(instant: Date, timeZone: string, { start, end }: QuietHours): boolean {
  const time = localTimeAt(instant, timeZone);
  if (start === end) return false;
  return start < end ? time >= start && time < end : time >= start || time < end;
}

/** `instant`, or the end of the quiet hours it falls in, in the gym's time zone. */
export function sendableAt(instant: Date, timeZone: string, quiet: QuietHours): Date {
  if (!isQuiet(instant, timeZone, quiet)) return instant;
  const date = localDateAt(instant, timeZone);
  const endsTomorrow = quiet.start > quiet.end && localTimeAt(instant, timeZone) >= quiet.start;
  return instantAt(endsTomorrow ? addDays(date, 1) : date, quiet.end, timeZone);
}

/** Minutes before each retry of a failed send; a send failing after the last retry is dead-lettered. */
export const RETRY_DELAYS_MINUTES = [1, 5, 15] as const;

/** When a send that has now failed `attempts` times is tried again, or null: dead-lettered. */
export function retryAt(now: Date, attempts: number): Date | null {
  const minutes = RETRY_DELAYS_MINUTES[attempts - 1];
  return minutes === undefined ? null : new Date(now.getTime() + minutes * 60_000);
}

/** The first day of the local month of `today`: the monthly message quota counts from it. */
export const monthStartOf = (today: LocalDate): LocalDate => `${today.slice(0, 8)}01`;
