import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, compareLocalDate, daysBetween } from './local-date.js';
import { renewalStart, termEnd, type PlanDuration } from './membership-term.js';
import { localDateArb } from './test-arbitraries.js';

const durationArb: fc.Arbitrary<PlanDuration> = fc.record({
  unit: fc.constantFrom('days' as const, 'months' as const),
  count: fc.integer({ min: 1, max: 36 }),
});

describe('termEnd', () => {
  it('ends a days term count − 1 days after the start', () => {
    expect(termEnd('2024-01-01', { unit: 'days', count: 1 })).toBe('2024-01-01');
    expect(termEnd('2024-01-01', { unit: 'days', count: 30 })).toBe('2024-01-30');
    expect(termEnd('2024-02-20', { unit: 'days', count: 10 })).toBe('2024-02-29');
  });

  it('ends a months term the day before the same date count months later', () => {
    expect(termEnd('2024-01-15', { unit: 'months', count: 1 })).toBe('2024-02-14');
    expect(termEnd('2024-01-01', { unit: 'months', count: 12 })).toBe('2024-12-31');
    expect(termEnd('2024-11-10', { unit: 'months', count: 3 })).toBe('2025-02-09');
    // Clamped: the next term starts on the target month's last day.
    // The target month lacks the start's day: the term runs to that month's last day.
    expect(termEnd('2024-01-31', { unit: 'months', count: 1 })).toBe('2024-02-29');
    expect(termEnd('2023-01-31', { unit: 'months', count: 1 })).toBe('2023-02-28');
    expect(termEnd('2023-01-29', { unit: 'months', count: 1 })).toBe('2023-02-28');
    expect(termEnd('2026-10-31', { unit: 'months', count: 1 })).toBe('2026-11-30');
    expect(termEnd('2024-02-29', { unit: 'months', count: 12 })).toBe('2025-02-28');
    // A leap-day start a whole number of years later has a 29th again: the usual day before.
    expect(termEnd('2024-02-29', { unit: 'months', count: 48 })).toBe('2028-02-28');
  });

  it('rejects counts that are not positive integers', () => {
    expect(() => termEnd('2024-01-01', { unit: 'days', count: 0 })).toThrow(RangeError);
    expect(() => termEnd('2024-01-01', { unit: 'months', count: -1 })).toThrow(RangeError);
    expect(() => termEnd('2024-01-01', { unit: 'months', count: 1.5 })).toThrow(RangeError);
  });
});

describe('renewalStart', () => {
  const today = '2024-06-15';
  it('starts today when there is no current term', () => {
    expect(renewalStart(null, today)).toBe(today);
  });
  it('continues the day after a running term', () => {
    expect(renewalStart('2024-07-01', today)).toBe('2024-07-02');
    expect(renewalStart(today, today)).toBe('2024-06-16');
  });
  it('starts today once the term has lapsed', () => {
    expect(renewalStart('2024-06-14', today)).toBe(today); // ended yesterday: no gap either way
    expect(renewalStart('2024-01-01', today)).toBe(today);
  });
});

describe('term properties', () => {
  it('a term is never empty and a days term has exactly count days', () => {
    fc.assert(
      fc.property(localDateArb(), durationArb, (start, duration) => {
        const end = termEnd(start, duration);
        const length = daysBetween(start, end) + 1;
        if (duration.unit === 'days') expect(length).toBe(duration.count);
        else {
          expect(length).toBeGreaterThanOrEqual(28 * duration.count - 3);
          expect(length).toBeLessThanOrEqual(31 * duration.count);
        }
      }),
    );
  });

  it('back-to-back renewals tile the calendar: no gap, no shared day', () => {
    fc.assert(
      fc.property(localDateArb(), fc.array(durationArb, { minLength: 1, maxLength: 12 }), (first, durations) => {
        let start = first;
        let covered = 0;
        let end = first;
        for (const duration of durations) {
          end = termEnd(start, duration);
          covered += daysBetween(start, end) + 1;
          // Renewing on the term's last day, the new term must begin the very next day.
          const next = renewalStart(end, end);
          expect(daysBetween(end, next)).toBe(1);
          start = next;
        }
        expect(covered).toBe(daysBetween(first, end) + 1);
      }),
    );
  });

  it('a months term ends the day before the next one starts, and monthly renewals add up to one longer term', () => {
    fc.assert(
      fc.property(localDateArb().filter((d) => Number(d.slice(8)) <= 28), fc.integer({ min: 1, max: 24 }), (start, months) => {
        expect(addDays(termEnd(start, { unit: 'months', count: months }), 1)).toBe(addMonths(start, months));
        let s = start;
        let end = start;
        for (let i = 0; i < months; i++) {
          end = termEnd(s, { unit: 'months', count: 1 });
          s = addDays(end, 1);
        }
        expect(end).toBe(termEnd(start, { unit: 'months', count: months }));
      }),
    );
  });

  it('a renewal starts on the later of the day after the current end and today', () => {
    fc.assert(
      fc.property(fc.option(localDateArb(), { nil: null }), localDateArb(), (currentEnd, today) => {
        const start = renewalStart(currentEnd, today);
        expect(compareLocalDate(start, today)).toBeGreaterThanOrEqual(0);
        if (currentEnd === null) expect(start).toBe(today);
        else {
          const next = addDays(currentEnd, 1);
          expect(start).toBe(compareLocalDate(next, today) > 0 ? next : today);
        }
      }),
    );
  });
});
