// Test-only fast-check arbitraries shared by the rules' property tests. The expected values here
// come from Date's UTC calendar, an oracle independent of local-date.ts's own arithmetic.
import fc from 'fast-check';
import type { LocalDate } from './local-date.js';

const DAY_MS = 86_400_000;

export const epochDayOf = (year: number): number => Date.UTC(year, 0, 1) / DAY_MS;

/** The oracle: the UTC calendar date of an epoch day. */
export const oracleDate = (epochDay: number): LocalDate => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);

/** Business dates from 1900 to 2199 by default. */
export const localDateArb = (minYear = 1900, maxYear = 2199): fc.Arbitrary<LocalDate> =>
  fc.integer({ min: epochDayOf(minYear), max: epochDayOf(maxYear + 1) - 1 }).map(oracleDate);
