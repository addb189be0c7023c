import { assertInteger } from './assert.js';

/** A business date `YYYY-MM-DD` in the gym's time zone (years 0001–9999). */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_EPOCH_DAY = -719_162; // 0001-01-01
const MAX_EPOCH_DAY = 2_932_896; // 9999-12-31

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

type Civil = { y: number; m: number; d: number };

function parse(s: string): Civil | null {
  const match = LOCAL_DATE.exec(s);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? { y, m, d } : null;
}

function parseOrThrow(s: LocalDate): Civil {
  const civil = parse(s);
  if (!civil) throw new RangeError(`Invalid LocalDate: ${JSON.stringify(s)}`);
  return civil;
}

function format({ y, m, d }: Civil): LocalDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Epoch days are UTC-midnight epochs divided by 86 400 000. Converted with Howard Hinnant's
// integer civil-calendar algorithms, so no Date object (local or UTC) is involved at all.
function toEpochDay({ y, m, d }: Civil): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function fromEpochDay(days: number): LocalDate {
  if (days < MIN_EPOCH_DAY || days > MAX_EPOCH_DAY) throw new RangeError('LocalDate out of range 0001–9999');
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return format({ y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d: doy - Math.floor((153 * mp + 2) / 5) + 1 });
}

// Dates repeat endlessly (a desk deals in a few hundred distinct ones) and parsing is most of what
// comparing them costs, so the latest few thousand are remembered. Only valid dates get in.
const epochDays = new Map<string, number>();
const EPOCH_DAYS_KEPT = 4096;

function epochDayOf(d: LocalDate): number {
  let day = epochDays.get(d);
  if (day === undefined) {
    day = toEpochDay(parseOrThrow(d));
    if (epochDays.size >= EPOCH_DAYS_KEPT) epochDays.clear();
    epochDays.set(d, day);
  }
  return day;
}

/** True for a real calendar date written exactly as `YYYY-MM-DD`. */
export function isLocalDate(s: unknown): s is LocalDate {
  return typeof s === 'string' && parse(s) !== null;
}

export function addDays(d: LocalDate, n: number): LocalDate {
  assertInteger(n, 'days');
  return fromEpochDay(epochDayOf(d) + n);
}

/** Calendar months later (or earlier), clamped to the target month's last day: 2024-01-31 + 1 = 2024-02-29. */
export function addMonths(d: LocalDate, n: number): LocalDate {
  assertInteger(n, 'months');
  const { y, m, d: day } = parseOrThrow(d);
  const monthIndex = y * 12 + (m - 1) + n;
  const ty = Math.floor(monthIndex / 12);
  const tm = monthIndex - ty * 12 + 1;
  if (ty < 1 || ty > 9999) throw new RangeError('LocalDate out of range 0001–9999');
  return format({ y: ty, m: tm, d: Math.min(day, daysInMonth(ty, tm)) });
}

/** `to − from` in days, signed. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDayOf(to) - epochDayOf(from);
}

export function compareLocalDate(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  const diff = daysBetween(b, a);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(d: LocalDate): number {
  // 1970-01-01 (epoch day 0) was a Thursday.
  return (((epochDayOf(d) + 4) % 7) + 7) % 7;
}

// Building an Intl.DateTimeFormat costs far more than using one, and these run on every check-in.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23', // never '24' at midnight
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(instant: Date | string, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid instant: ${String(instant)}`);
  const parts = { year: '', month: '', day: '', hour: '', minute: '' };
  for (const { type, value } of formatterFor(timeZone).formatToParts(date)) {
    if (type in parts) parts[type as keyof typeof parts] = value;
  }
  return parts;
}

/** The business date in `timeZone` at `instant`. */
export function localDateAt(instant: Date | string, timeZone: string): LocalDate {
  const { year, month, day } = wallClockAt(instant, timeZone);
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** The wall-clock time `HH:MM` in `timeZone` at `instant`. */
export function localTimeAt(instant: Date | string, timeZone: string): string {
  const { hour, minute } = wallClockAt(instant, timeZone);
  return `${hour}:${minute}`;
}

/** The wall clock's reading at `instant`, as if it were UTC: the zone's offset is this minus the instant. */
function wallClockMs(instant: number, timeZone: string): number {
  const { year, month, day, hour, minute } = wallClockAt(new Date(instant), timeZone);
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
}

const DAY_MS = 86_400_000;

/**
 * The instant the wall clock in `timeZone` shows `time` (`HH:MM`) on `date`. A time skipped by a
 * daylight-saving jump reads as the same distance past the jump (01:30 on London's spring-forward day is
 * 02:30 BST); a time that happens twice is its first occurrence.
 */
export function instantAt(date: LocalDate, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The zone's offsets a day either side of the wall time: at most one transition lies between.
  const offsets = [wall - DAY_MS, wall + DAY_MS].map((t) => wallClockMs(t, timeZone) - t);
  const exact = offsets.map((offset) => wall - offset).filter((t) => wallClockMs(t, timeZone) === wall);
  return new Date(exact.length > 0 ? Math.min(...exact) : wall - Math.min(...offsets));
}
