import { errors } from '../errors.js';
import { isLocalDate, type LocalDate } from './local-date.js';

/** An Indian financial year, April to March; `label` is like `2026-27`. */
export type FinancialYear = { startYear: number; label: string };

export type InvoiceNumberParts = {
  /** The series: one per desk, one for the cloud. */
  prefix: string;
  /** Calendar year in which the financial year starts (2000–2099). */
  startYear: number;
  /** 1-based position in the series within the financial year. */
  seq: number;
};

export type InvoiceNumberErrorCode =
  | 'INVALID_SERIES_PREFIX'
  | 'INVALID_FINANCIAL_YEAR'
  | 'INVALID_SEQUENCE'
  | 'INVOICE_SERIES_EXHAUSTED';

/** `INVOICE_SERIES_EXHAUSTED` matches `ErrorCode.InvoiceSeriesExhausted`; the others are caller bugs. */
export class InvoiceNumberError extends Error {
  override readonly name = 'InvoiceNumberError';
  readonly code: InvoiceNumberErrorCode;

  constructor(code: InvoiceNumberErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** GST caps a document number at 16 characters. */
export const MAX_INVOICE_NUMBER_LENGTH = 16;
const MIN_SEQ_DIGITS = 5;
// The two '/' and the four financial-year digits between prefix and sequence.
const FIXED_CHARS = 6;
const PREFIX = /^[A-Z0-9-]{1,6}$/;
const INVOICE_NUMBER = /^([A-Z0-9-]{1,6})\/(\d{2})(\d{2})\/(\d+)$/;

const twoDigits = (n: number): string => String(n % 100).padStart(2, '0');

export function financialYearOf(d: LocalDate): FinancialYear {
  if (!isLocalDate(d)) throw new RangeError(`Invalid LocalDate: ${JSON.stringify(d)}`);
  const [year, month] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
  const startYear = month >= 4 ? year : year - 1;
  return { startYear, label: `${startYear}-${twoDigits(startYear + 1)}` };
}

/** 1–6 characters of A-Z, 0-9 and '-'. */
export function isValidSeriesPrefix(prefix: string): boolean {
  return PREFIX.test(prefix);
}

/**
 * `D1/2627/00042`: series prefix, financial year (26-27), sequence.
 * The sequence is zero-padded to 5 digits, or to whatever room a long prefix leaves under the
 * 16-character cap; the width depends only on the prefix, so it is fixed within a series.
 * @throws InvoiceNumberError when an input is invalid or the number cannot fit in 16 characters.
 */
export function formatInvoiceNumber({ prefix, startYear, seq }: InvoiceNumberParts): string {
  if (!isValidSeriesPrefix(prefix)) throw new InvoiceNumberError('INVALID_SERIES_PREFIX', `Invalid series prefix ${JSON.stringify(prefix)}`);
  if (!Number.isInteger(startYear) || startYear < 2000 || startYear > 2099) {
    throw new InvoiceNumberError('INVALID_FINANCIAL_YEAR', `Financial year must start in 2000–2099, got ${startYear}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) throw new InvoiceNumberError('INVALID_SEQUENCE', `Invalid sequence ${seq}`);
  const room = MAX_INVOICE_NUMBER_LENGTH - FIXED_CHARS - prefix.length;
  const digits = String(seq);
  if (digits.length > room) {
    throw new InvoiceNumberError('INVOICE_SERIES_EXHAUSTED', `Sequence ${seq} does not fit in series ${prefix} (at most ${room} digits)`);
  }
  return `${prefix}/${twoDigits(startYear)}${twoDigits(startYear + 1)}/${digits.padStart(Math.min(MIN_SEQ_DIGITS, room), '0')}`;
}

/** The parts of a number exactly as `formatInvoiceNumber` writes it, else null. */
export function parseInvoiceNumber(s: string): InvoiceNumberParts | null {
  const match = INVOICE_NUMBER.exec(s);
  if (!match || s.length > MAX_INVOICE_NUMBER_LENGTH) return null;
  const [, prefix = '', fyStart, fyEnd, digits = ''] = match;
  const startYear = 2000 + Number(fyStart);
  const seq = Number(digits);
  if (Number(fyEnd) !== (startYear + 1) % 100 || seq < 1) return null;
  const parts = { prefix, startYear, seq };
  // Only the canonical spelling parses, so each number names exactly one (prefix, year, seq).
  return formatInvoiceNumber(parts) === s ? parts : null;
}

/**
 * The number a series hands out next, for a caller that has just taken `seq` from its series row:
 * a full series is the user's to fix (a new prefix), so it becomes INVOICE_SERIES_EXHAUSTED.
 */
export function seriesInvoiceNumber(parts: InvoiceNumberParts): string {
  try {
    return formatInvoiceNumber(parts);
  } catch (error) {
    if (error instanceof InvoiceNumberError && error.code === 'INVOICE_SERIES_EXHAUSTED') throw errors.invoiceSeriesExhausted(parts.prefix, parts.startYear);
    throw error;
  }
}
