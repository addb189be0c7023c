import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addDays,
  addMonths,
  compareLocalDate,
  daysBetween,
  instantAt,
  isLocalDate,
  localDateAt,
  localTimeAt,
  weekdayOf,
} from './local-date.js';
import { epochDayOf, localDateArb, oracleDate } from './test-arbitraries.js';

describe('isLocalDate', () => {
  it.each(['2024-02-29', '2023-12-31', '0001-01-01', '9999-12-31', '2026-04-01'])('accepts %s', (s) => {
    expect(isLocalDate(s)).toBe(true);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '0000-01-01', '2024-1-01', ' 2024-01-01', '2024-01-01T00:00', '20240101', ''])(
    'rejects %j',
    (s) => {
      expect(isLocalDate(s)).toBe(false);
    },
  );

  it('rejects non-strings', () => {
    expect(isLocalDate(20240101)).toBe(false);
    expect(isLocalDate(null)).toBe(false);
    expect(isLocalDate(new Date())).toBe(false);
  });
});

describe('date arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2024-05-05', 0)).toBe('2024-05-05');
  });

  it('clamps addMonths to the last day of the target month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-05-31', 1)).toBe('2024-06-30');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
    expect(addMonths('2024-01-15', -13)).toBe('2022-12-15');
  });

  it('counts signed days between dates', () => {
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2024-03-01', '2024-02-01')).toBe(-29);
    expect(daysBetween('2024-03-01', '2024-03-01')).toBe(0);
  });

  it('compares dates', () => {
    expect(compareLocalDate('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareLocalDate('2024-01-02', '2024-01-01')).toBe(1);
    expect(compareLocalDate('2024-01-01', '2024-01-01')).toBe(0);
  });

  it('names weekdays with 0 = Sunday', () => {
    expect(weekdayOf('1970-01-01')).toBe(4);
    expect(weekdayOf('2024-01-01')).toBe(1);
    expect(weekdayOf('2026-03-01')).toBe(0);
    expect(weekdayOf('1969-12-27')).toBe(6);
  });

  it('throws on invalid dates, fractional counts and out-of-range results', () => {
    expect(() => addDays('2023-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2024-01-01', 1.5)).toThrow(RangeError);
    expect(() => addMonths('2024-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => daysBetween('2024-01-01', 'tomorrow')).toThrow(RangeError);
    expect(() => compareLocalDate('2024-1-1', '2024-01-01')).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
    expect(() => addMonths('9999-12-01', 1)).toThrow(RangeError);
  });
});

describe('date arithmetic properties', () => {
  it('addDays agrees with the UTC calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: epochDayOf(1900), max: epochDayOf(2200) }), fc.integer({ min: -40_000, max: 40_000 }), (day, n) => {
        expect(addDays(oracleDate(day), n)).toBe(oracleDate(day + n));
      }),
    );
  });

  it('covers years 0001–9999 without drift', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_652_058 }), (k) => {
        const d = addDays('0001-01-01', k);
        expect(isLocalDate(d)).toBe(true);
        expect(daysBetween('0001-01-01', d)).toBe(k);
      }),
    );
    expect(addDays('0001-01-01', 3_652_058)).toBe('9999-12-31');
  });

  it('daysBetween inverts addDays', () => {
    fc.assert(
      fc.property(localDateArb(), fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        expect(daysBetween(d, addDays(d, n))).toBe(n);
        expect(addDays(addDays(d, n), -n)).toBe(d);
      }),
    );
  });

  it('compareLocalDate orders like the day count and like the ISO string', () => {
    fc.assert(
      fc.property(localDateArb(), localDateArb(), (a, b) => {
        const c = compareLocalDate(a, b);
        expect(c).toBe(Math.sign(daysBetween(b, a)));
        expect(c).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(compareLocalDate(b, a)).toBe(-c || 0);
      }),
    );
  });

  it('addMonths moves the month index by n and clamps only when the day does not exist', () => {
    fc.assert(
      fc.property(localDateArb(), fc.integer({ min: -600, max: 600 }), (d, n) => {
        const r = addMonths(d, n);
        const [y, m, day] = d.split('-').map(Number) as [number, number, number];
        const [ry, rm, rday] = r.split('-').map(Number) as [number, number, number];
        expect(ry * 12 + rm - (y * 12 + m)).toBe(n);
        const lastDay = new Date(Date.UTC(ry, rm, 0)).getUTCDate();
        expect(rday).toBe(Math.min(day, lastDay));
      }),
    );
  });

  it('addMonths composes for days that exist in every month', () => {
    fc.assert(
      fc.property(localDateArb().filter((d) => Number(d.slice(8)) <= 28), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), (d, a, b) => {
        expect(addMonths(addMonths(d, a), b)).toBe(addMonths(d, a + b));
      }),
    );
  });

  it('weekdayOf agrees with the UTC calendar', () => {
    fc.assert(
      fc.property(localDateArb(), (d) => {
        expect(weekdayOf(d)).toBe(new Date(`${d}T00:00:00Z`).getUTCDay());
      }),
    );
  });
});

describe('localDateAt / localTimeAt', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('turns over the business date at local midnight in Asia/Kolkata', () => {
    expect(localDateAt('2024-03-31T18:29:59Z', 'Asia/Kolkata')).toBe('2024-03-31');
    expect(localTimeAt('2024-03-31T18:29:59Z', 'Asia/Kolkata')).toBe('23:59');
    expect(localDateAt(new Date('2024-03-31T18:30:00Z'), 'Asia/Kolkata')).toBe('2024-04-01');
    expect(localTimeAt(new Date('2024-03-31T18:30:00Z'), 'Asia/Kolkata')).toBe('00:00');
  });

  it('follows DST and odd offsets', () => {
    // New York springs forward at 07:00Z on 2024-03-10 and falls back at 06:00Z on 2024-11-03.
    expect(localTimeAt('2024-03-10T06:59:00Z', 'America/New_York')).toBe('01:59');
    expect(localTimeAt('2024-03-10T07:00:00Z', 'America/New_York')).toBe('03:00');
    expect(localTimeAt('2024-11-03T05:30:00Z', 'America/New_York')).toBe('01:30');
    expect(localTimeAt('2024-11-03T06:30:00Z', 'America/New_York')).toBe('01:30');
    expect(localTimeAt('2024-06-01T00:00:00Z', 'Asia/Kathmandu')).toBe('05:45');
    expect(localDateAt('2024-06-01T10:00:00Z', 'Pacific/Kiritimati')).toBe('2024-06-02');
    expect(localDateAt('2024-06-01T10:00:00Z', 'Pacific/Pago_Pago')).toBe('2024-05-31');
  });

  it('throws on an invalid instant or time zone', () => {
    expect(() => localDateAt('not a date', 'Asia/Kolkata')).toThrow(RangeError);
    expect(() => localTimeAt(new Date(Number.NaN), 'Asia/Kolkata')).toThrow(RangeError);
    expect(() => localDateAt('2024-01-01T00:00:00Z', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('builds one formatter per time zone', () => {
    const Real = Intl.DateTimeFormat;
    const spy = vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (...args) {
      return new Real(...args);
    });
    localDateAt('2024-01-01T00:00:00Z', 'Pacific/Chatham');
    localTimeAt('2024-07-01T00:00:00Z', 'Pacific/Chatham');
    localDateAt('2025-01-01T00:00:00Z', 'Pacific/Chatham');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('matches UTC+05:30 arithmetic for Asia/Kolkata since 1950', () => {
    const ist = 330 * 60_000;
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (instant) => {
        const wall = new Date(instant.getTime() + ist).toISOString();
        expect(localDateAt(instant, 'Asia/Kolkata')).toBe(wall.slice(0, 10));
        expect(localTimeAt(instant.toISOString(), 'Asia/Kolkata')).toBe(wall.slice(11, 16));
      }),
    );
  });

  it('is the identity calendar in UTC', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (instant) => {
        const iso = instant.toISOString();
        expect(localDateAt(instant, 'UTC')).toBe(iso.slice(0, 10));
        expect(localTimeAt(instant, 'UTC')).toBe(iso.slice(11, 16));
      }),
    );
  });
});

describe('instantAt', () => {
  it('reads the wall clock of the zone: IST is UTC+5:30 all year', () => {
    expect(instantAt('2026-11-30', '08:00', 'Asia/Kolkata').toISOString()).toBe('2026-11-30T02:30:00.000Z');
    expect(instantAt('2027-06-30', '08:00', 'Asia/Kolkata').toISOString()).toBe('2027-06-30T02:30:00.000Z');
  });

  it('follows London between GMT and BST', () => {
    expect(instantAt('2027-01-10', '08:00', 'Europe/London').toISOString()).toBe('2027-01-10T08:00:00.000Z');
    expect(instantAt('2027-06-01', '08:00', 'Europe/London').toISOString()).toBe('2027-06-01T07:00:00.000Z');
  });

  it('moves a time the spring-forward skips past the jump, and takes the first of a time that happens twice', () => {
    // 2027-03-28: 01:00 GMT becomes 02:00 BST, so 01:30 never shows.
    expect(instantAt('2027-03-28', '01:30', 'Europe/London').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 2027-10-31: 02:00 BST becomes 01:00 GMT, so 01:30 shows twice; the BST one comes first.
    expect(instantAt('2027-10-31', '01:30', 'Europe/London').toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });

  it('round-trips with localDateAt and localTimeAt away from the transitions', () => {
    const date = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2026-01-01', n));
    const time = fc.tuple(fc.integer({ min: 4, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(date, time, fc.constantFrom('Asia/Kolkata', 'Europe/London', 'America/New_York'), (d, t, zone) => {
        const at = instantAt(d, t, zone);
        expect([localDateAt(at, zone), localTimeAt(at, zone)]).toEqual([d, t]);
      }),
    );
  });
});

