import { addDays } from '@gymstack/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUIET_HOURS, birthdayIn, endDatesDueOn, isQuiet, remindersDue, retryAt, sendableAt } from './schedule.js';

const IST = 'Asia/Kolkata';
const LONDON = 'Europe/London';
const zones = [IST, LONDON, 'America/New_York'];

const templatesOn = (today: string, latestEnd: string | null, dateOfBirth: string | null = null) =>
  remindersDue({ today, latestEnd, dateOfBirth }).map((r) => r.template);

describe('quiet hours', () => {
  it('default to 21:00–08:00 local: IST evening waits for the next morning, an early hour for the same morning', () => {
    const evening = new Date('2026-11-23T17:00:00Z'); // 22:30 IST
    expect(isQuiet(evening, IST, DEFAULT_QUIET_HOURS)).toBe(true);
    expect(sendableAt(evening, IST, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-11-24T02:30:00.000Z');
    const early = new Date('2026-11-24T02:29:00Z'); // 07:59 IST
    expect(sendableAt(early, IST, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-11-24T02:30:00.000Z');
    const morning = new Date('2026-11-24T02:30:00Z'); // 08:00 IST
    expect(sendableAt(morning, IST, DEFAULT_QUIET_HOURS)).toBe(morning);
    expect(isQuiet(new Date('2026-11-24T15:29:00Z'), IST, DEFAULT_QUIET_HOURS)).toBe(false); // 20:59 IST
  });

  it('end at 08:00 by the clock of the morning after, across the clocks going back in London', () => {
    // 21:30 BST on 30 October 2027; the clocks go back that night, so 08:00 is GMT.
    const evening = new Date('2027-10-30T20:30:00Z');
    expect(sendableAt(evening, LONDON, DEFAULT_QUIET_HOURS).toISOString()).toBe('2027-10-31T08:00:00.000Z');
    // 22:00 GMT on 27 March 2027; the clocks go forward that night, so 08:00 is BST.
    expect(sendableAt(new Date('2027-03-27T22:00:00Z'), LONDON, DEFAULT_QUIET_HOURS).toISOString()).toBe('2027-03-28T07:00:00.000Z');
  });

  it('may be configured, including a window within one day or none at all', () => {
    const lunch = { start: '13:00', end: '14:00' };
    expect(sendableAt(new Date('2026-11-23T08:00:00Z'), IST, lunch).toISOString()).toBe('2026-11-23T08:30:00.000Z'); // 13:30 IST
    expect(isQuiet(new Date('2026-11-23T17:00:00Z'), IST, lunch)).toBe(false);
    expect(isQuiet(new Date('2026-11-23T17:00:00Z'), IST, { start: '00:00', end: '00:00' })).toBe(false);
  });

  it('never leave a send time inside them, and never move one earlier', () => {
    const instant = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (at, zone) => {
        const send = sendableAt(at, zone, DEFAULT_QUIET_HOURS);
        expect(isQuiet(send, zone, DEFAULT_QUIET_HOURS)).toBe(false);
        expect(send.getTime()).toBeGreaterThanOrEqual(at.getTime());
        if (!isQuiet(at, zone, DEFAULT_QUIET_HOURS)) expect(send).toBe(at);
      }),
    );
  });
});

describe('remindersDue', () => {
  it('renewal reminders 7, 3, 1 and 0 days before the end; expired 1 and 7 days after; nothing between', () => {
    const end = '2026-11-30';
    expect(templatesOn('2026-11-23', end)).toEqual(['renewal_reminder_7d']);
    expect(templatesOn('2026-11-27', end)).toEqual(['renewal_reminder_3d']);
    expect(templatesOn('2026-11-29', end)).toEqual(['renewal_reminder_1d']);
    expect(templatesOn('2026-11-30', end)).toEqual(['renewal_reminder_0d']);
    expect(templatesOn('2026-12-01', end)).toEqual(['expiry_notice']);
    expect(templatesOn('2026-12-07', end)).toEqual(['expired_7d']);
    for (const quiet of ['2026-11-22', '2026-11-24', '2026-11-28', '2026-12-02', '2026-12-08']) expect(templatesOn(quiet, end)).toEqual([]);
    expect(templatesOn('2026-11-23', null)).toEqual([]);
  });

  it('count across month ends and leap days', () => {
    // Ends 1 March: the 1-day reminder falls on 28 February, or on 29 February in a leap year.
    expect(templatesOn('2027-02-28', '2027-03-01')).toEqual(['renewal_reminder_1d']);
    expect(templatesOn('2028-02-29', '2028-03-01')).toEqual(['renewal_reminder_1d']);
    expect(templatesOn('2028-02-23', '2028-03-01')).toEqual(['renewal_reminder_7d']);
    // Ends 31 January: expired a week on 7 February; ends 31 December: the 3-day reminder on 28 December.
    expect(templatesOn('2027-02-07', '2027-01-31')).toEqual(['expired_7d']);
    expect(templatesOn('2026-12-28', '2026-12-31')).toEqual(['renewal_reminder_3d']);
    expect(templatesOn('2027-01-01', '2026-12-31')).toEqual(['expiry_notice']);
  });

  it('wish a 29 February birthday on 28 February outside leap years', () => {
    expect(birthdayIn('1996-02-29', 2027)).toBe('2027-02-28');
    expect(birthdayIn('1996-02-29', 2028)).toBe('2028-02-29');
    expect(templatesOn('2027-02-28', null, '1996-02-29')).toEqual(['birthday_wish']);
    expect(templatesOn('2027-03-01', null, '1996-02-29')).toEqual([]);
    expect(templatesOn('2028-02-28', null, '1996-02-29')).toEqual([]);
    expect(templatesOn('2028-02-29', null, '1996-02-29')).toEqual(['birthday_wish']);
    expect(templatesOn('2026-04-01', '2026-04-04', '1990-04-01')).toEqual(['renewal_reminder_3d', 'birthday_wish']);
  });

  it('agree with endDatesDueOn, which the daily scan queries by', () => {
    const day = fc.integer({ min: 0, max: 4 * 365 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: -20, max: 20 }), (today, offset) => {
        const end = addDays(today, offset);
        expect(templatesOn(today, end).length > 0).toBe(endDatesDueOn(today).includes(end));
      }),
    );
  });
});

describe('retryAt', () => {
  it('retries after 1, 5 and 15 minutes, then gives up', () => {
    const now = new Date('2026-11-23T03:00:00Z');
    expect(retryAt(now, 1)?.toISOString()).toBe('2026-11-23T03:01:00.000Z');
    expect(retryAt(now, 2)?.toISOString()).toBe('2026-11-23T03:05:00.000Z');
    expect(retryAt(now, 3)?.toISOString()).toBe('2026-11-23T03:15:00.000Z');
    expect(retryAt(now, 4)).toBeNull();
  });
});
