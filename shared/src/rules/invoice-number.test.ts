import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  financialYearOf,
  formatInvoiceNumber,
  InvoiceNumberError,
  isValidSeriesPrefix,
  MAX_INVOICE_NUMBER_LENGTH,
  parseInvoiceNumber,
  seriesInvoiceNumber,
  type InvoiceNumberErrorCode,
  type InvoiceNumberParts,
} from './invoice-number.js';
import { localDateArb } from './test-arbitraries.js';

const expectCode = (fn: () => unknown, code: InvoiceNumberErrorCode) => {
  expect(fn).toThrow(InvoiceNumberError);
  try {
    fn();
  } catch (e) {
    expect((e as InvoiceNumberError).code).toBe(code);
  }
};

describe('financialYearOf', () => {
  it('runs April to March', () => {
    expect(financialYearOf('2026-04-01')).toEqual({ startYear: 2026, label: '2026-27' });
    expect(financialYearOf('2027-03-31')).toEqual({ startYear: 2026, label: '2026-27' });
    expect(financialYearOf('2026-03-31')).toEqual({ startYear: 2025, label: '2025-26' });
    expect(financialYearOf('2099-12-01')).toEqual({ startYear: 2099, label: '2099-00' });
  });
  it('throws on an invalid date', () => {
    expect(() => financialYearOf('2026-02-30')).toThrow(RangeError);
  });
  it('contains the date: April 1 of startYear ≤ d < April 1 of startYear + 1', () => {
    fc.assert(
      fc.property(localDateArb(), (d) => {
        const { startYear, label } = financialYearOf(d);
        expect(d >= `${startYear}-04-01` && d < `${startYear + 1}-04-01`).toBe(true);
        expect(label).toBe(`${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`);
      }),
    );
  });
});

describe('isValidSeriesPrefix', () => {
  it.each(['D1', 'A', 'DESK-2', 'CLOUD', '123456'])('accepts %s', (p) => expect(isValidSeriesPrefix(p)).toBe(true));
  it.each(['', 'd1', 'DESK-12', 'A/B', 'D 1', 'DÉ'])('rejects %j', (p) => expect(isValidSeriesPrefix(p)).toBe(false));
});

describe('formatInvoiceNumber', () => {
  it('writes prefix / FY / zero-padded sequence', () => {
    expect(formatInvoiceNumber({ prefix: 'D1', startYear: 2026, seq: 42 })).toBe('D1/2627/00042');
    expect(formatInvoiceNumber({ prefix: 'D1', startYear: 2099, seq: 1 })).toBe('D1/9900/00001');
    expect(formatInvoiceNumber({ prefix: 'D1', startYear: 2026, seq: 12_345_678 })).toBe('D1/2627/12345678');
  });

  it('pads less when a long prefix leaves less room', () => {
    expect(formatInvoiceNumber({ prefix: 'DESK-2', startYear: 2026, seq: 42 })).toBe('DESK-2/2627/0042');
    expect(formatInvoiceNumber({ prefix: 'CLOUD', startYear: 2026, seq: 42 })).toBe('CLOUD/2627/00042');
  });

  it('throws a typed error when the number cannot fit or an input is invalid', () => {
    expectCode(() => formatInvoiceNumber({ prefix: 'DESK-2', startYear: 2026, seq: 10_000 }), 'INVOICE_SERIES_EXHAUSTED');
    expectCode(() => formatInvoiceNumber({ prefix: 'D1', startYear: 2026, seq: 123_456_789 }), 'INVOICE_SERIES_EXHAUSTED');
    expectCode(() => formatInvoiceNumber({ prefix: 'd1', startYear: 2026, seq: 1 }), 'INVALID_SERIES_PREFIX');
    expectCode(() => formatInvoiceNumber({ prefix: 'D1', startYear: 1999, seq: 1 }), 'INVALID_FINANCIAL_YEAR');
    expectCode(() => formatInvoiceNumber({ prefix: 'D1', startYear: 2026, seq: 0 }), 'INVALID_SEQUENCE');
    expectCode(() => formatInvoiceNumber({ prefix: 'D1', startYear: 2026, seq: 1.5 }), 'INVALID_SEQUENCE');
  });

  it('reports a full series to the user as INVOICE_SERIES_EXHAUSTED, and formats the rest as usual', () => {
    expect(seriesInvoiceNumber({ prefix: 'D1', startYear: 2026, seq: 42 })).toBe('D1/2627/00042');
    const full = () => seriesInvoiceNumber({ prefix: 'DESK-2', startYear: 2026, seq: 10_000 });
    expect(full).toThrow(AppError);
    expect(full).toThrow(/DESK-2 is full for 2026-2027/);
    expect(() => seriesInvoiceNumber({ prefix: 'bad', startYear: 2026, seq: 1 })).toThrow(InvoiceNumberError);
  });
});

describe('parseInvoiceNumber', () => {
  it('reads what formatInvoiceNumber writes', () => {
    expect(parseInvoiceNumber('D1/2627/00042')).toEqual({ prefix: 'D1', startYear: 2026, seq: 42 });
    expect(parseInvoiceNumber('DESK-2/2627/0042')).toEqual({ prefix: 'DESK-2', startYear: 2026, seq: 42 });
  });

  it.each(['', 'garbage', 'D1/2627/42', 'D1/2627/000042', 'D1/2628/00042', 'D1/2627/00000', 'd1/2627/00042', 'DESK-12/2627/00042', 'D1-2627-00042', 'D1/2627/00042/1'])(
    'rejects %j',
    (s) => expect(parseInvoiceNumber(s)).toBeNull(),
  );
});

const prefixArb = fc.stringMatching(/^[A-Z0-9-]{1,6}$/);
const partsArb: fc.Arbitrary<InvoiceNumberParts> = fc
  .record({ prefix: prefixArb, startYear: fc.integer({ min: 2000, max: 2099 }), seq: fc.integer({ min: 1, max: 99_999_999 }) })
  .filter(({ prefix, seq }) => String(seq).length <= MAX_INVOICE_NUMBER_LENGTH - 6 - prefix.length);

describe('invoice number properties', () => {
  it('always yields 1–16 characters of A-Z 0-9 / -', () => {
    fc.assert(
      fc.property(partsArb, (p) => {
        expect(formatInvoiceNumber(p)).toMatch(/^[A-Z0-9/-]{1,16}$/);
      }),
    );
  });

  it('round-trips through parse', () => {
    fc.assert(
      fc.property(partsArb, (p) => {
        expect(parseInvoiceNumber(formatInvoiceNumber(p))).toEqual(p);
      }),
    );
  });

  it('gives distinct numbers to distinct (prefix, year, seq)', () => {
    fc.assert(
      fc.property(partsArb, partsArb, (a, b) => {
        const same = a.prefix === b.prefix && a.startYear === b.startYear && a.seq === b.seq;
        expect(formatInvoiceNumber(a) === formatInvoiceNumber(b)).toBe(same);
      }),
    );
  });

  it('sorts in sequence order within a series while the padding holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9999 }), prefixArb, (x, y, prefix) => {
        const [a, b] = [x, y].map((seq) => formatInvoiceNumber({ prefix, startYear: 2026, seq })) as [string, string];
        expect(a < b ? -1 : a > b ? 1 : 0).toBe(Math.sign(x - y));
      }),
    );
  });

  it('formats or throws INVOICE_SERIES_EXHAUSTED, never anything longer', () => {
    fc.assert(
      fc.property(prefixArb, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (prefix, seq) => {
        const fits = String(seq).length <= MAX_INVOICE_NUMBER_LENGTH - 6 - prefix.length;
        if (fits) expect(formatInvoiceNumber({ prefix, startYear: 2026, seq }).length).toBeLessThanOrEqual(16);
        else expectCode(() => formatInvoiceNumber({ prefix, startYear: 2026, seq }), 'INVOICE_SERIES_EXHAUSTED');
      }),
    );
  });
});
