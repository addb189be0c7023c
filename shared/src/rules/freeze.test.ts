import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFreeze, freezeDays, unfreezeEarly } from './freeze.js';
import { addDays, daysBetween } from './local-date.js';
import { localDateArb } from './test-arbitraries.js';

describe('freezeDays', () => {
  it('counts both ends', () => {
    expect(freezeDays('2024-03-01', '2024-03-01')).toBe(1);
    expect(freezeDays('2024-02-25', '2024-03-05')).toBe(10);
  });
  it('throws on a reversed range', () => {
    expect(() => freezeDays('2024-03-02', '2024-03-01')).toThrow(RangeError);
  });
});

describe('applyFreeze', () => {
  const base = { end: '2024-03-31', usedFreezeDays: 0, maxFreezeDays: 30 };

  it('extends the end by exactly the frozen days', () => {
    expect(applyFreeze({ ...base, from: '2024-03-10', to: '2024-03-19' })).toEqual({ ok: true, newEnd: '2024-04-10', days: 10 });
  });

  it('allows a freeze that starts on the last day or runs past the end', () => {
    expect(applyFreeze({ ...base, from: '2024-03-31', to: '2024-03-31' })).toEqual({ ok: true, newEnd: '2024-04-01', days: 1 });
    expect(applyFreeze({ ...base, from: '2024-03-25', to: '2024-04-08' })).toEqual({ ok: true, newEnd: '2024-04-15', days: 15 });
  });

  it('uses the allowance up to the limit and not a day more', () => {
    expect(applyFreeze({ ...base, usedFreezeDays: 20, from: '2024-03-01', to: '2024-03-10' })).toMatchObject({ ok: true, days: 10 });
    expect(applyFreeze({ ...base, usedFreezeDays: 21, from: '2024-03-01', to: '2024-03-10' })).toEqual({ ok: false, code: 'FREEZE_LIMIT_EXCEEDED' });
    expect(applyFreeze({ ...base, maxFreezeDays: 0, from: '2024-03-01', to: '2024-03-01' })).toEqual({ ok: false, code: 'FREEZE_LIMIT_EXCEEDED' });
  });

  it('rejects a reversed range or a freeze after the end', () => {
    expect(applyFreeze({ ...base, from: '2024-03-10', to: '2024-03-09' })).toEqual({ ok: false, code: 'FREEZE_INVALID_RANGE' });
    expect(applyFreeze({ ...base, from: '2024-04-01', to: '2024-04-05' })).toEqual({ ok: false, code: 'FREEZE_INVALID_RANGE' });
  });

  it('throws on non-integer allowances', () => {
    expect(() => applyFreeze({ ...base, usedFreezeDays: -1, from: '2024-03-01', to: '2024-03-02' })).toThrow(RangeError);
    expect(() => applyFreeze({ ...base, maxFreezeDays: 2.5, from: '2024-03-01', to: '2024-03-02' })).toThrow(RangeError);
  });
});

describe('unfreezeEarly', () => {
  // A 10-day freeze 2024-03-10..19 moved the end from 2024-03-31 to 2024-04-10.
  const frozen = { end: '2024-04-10', from: '2024-03-10', plannedTo: '2024-03-19' };

  it('gives back the unused days', () => {
    expect(unfreezeEarly({ ...frozen, actualTo: '2024-03-13' })).toEqual({ ok: true, newEnd: '2024-04-04', days: 4 });
  });
  it('changes nothing when the freeze runs its course', () => {
    expect(unfreezeEarly({ ...frozen, actualTo: '2024-03-19' })).toEqual({ ok: true, newEnd: '2024-04-10', days: 10 });
  });
  it('cancels the whole freeze when it ends the day before it starts', () => {
    expect(unfreezeEarly({ ...frozen, actualTo: '2024-03-09' })).toEqual({ ok: true, newEnd: '2024-03-31', days: 0 });
  });
  it('rejects an end outside the planned freeze', () => {
    expect(unfreezeEarly({ ...frozen, actualTo: '2024-03-20' })).toEqual({ ok: false, code: 'FREEZE_INVALID_RANGE' });
    expect(unfreezeEarly({ ...frozen, actualTo: '2024-03-08' })).toEqual({ ok: false, code: 'FREEZE_INVALID_RANGE' });
    expect(unfreezeEarly({ ...frozen, plannedTo: '2024-03-08', actualTo: '2024-03-08' })).toEqual({ ok: false, code: 'FREEZE_INVALID_RANGE' });
  });
});

const freezeCaseArb = fc.record({
  end: localDateArb(2000, 2100),
  fromOffset: fc.integer({ min: -400, max: 400 }),
  length: fc.integer({ min: -5, max: 120 }),
  usedFreezeDays: fc.integer({ min: 0, max: 120 }),
  maxFreezeDays: fc.integer({ min: 0, max: 180 }),
});

describe('freeze properties', () => {
  it('extends the end by exactly the frozen days, never past the allowance, and rejects only what it must', () => {
    fc.assert(
      fc.property(freezeCaseArb, ({ end, fromOffset, length, usedFreezeDays, maxFreezeDays }) => {
        const from = addDays(end, fromOffset);
        const to = addDays(from, length - 1);
        const result = applyFreeze({ end, usedFreezeDays, maxFreezeDays, from, to });
        if (length < 1 || fromOffset > 0) expect(result).toEqual({ ok: false, code: 'FREEZE_INVALID_RANGE' });
        else if (usedFreezeDays + length > maxFreezeDays) expect(result).toEqual({ ok: false, code: 'FREEZE_LIMIT_EXCEEDED' });
        else {
          expect(result).toEqual({ ok: true, newEnd: addDays(end, length), days: length });
          expect(freezeDays(from, to)).toBe(length);
        }
      }),
    );
  });

  it('the member keeps every day that was left when the freeze began', () => {
    fc.assert(
      fc.property(localDateArb(2000, 2100), fc.integer({ min: 0, max: 365 }), fc.integer({ min: 1, max: 90 }), (end, left, length) => {
        const from = addDays(end, -left);
        const to = addDays(from, length - 1);
        const result = applyFreeze({ end, usedFreezeDays: 0, maxFreezeDays: 90, from, to });
        if (!result.ok) throw new Error('expected ok');
        expect(daysBetween(addDays(to, 1), result.newEnd)).toBe(daysBetween(from, end));
      }),
    );
  });

  it('unfreezing early leaves the end extended by exactly the days actually frozen', () => {
    fc.assert(
      fc.property(localDateArb(2000, 2100), fc.integer({ min: 1, max: 90 }).chain((length) => fc.tuple(fc.constant(length), fc.integer({ min: 0, max: length }))), (end, [length, used]) => {
        const from = addDays(end, -3);
        const plannedTo = addDays(from, length - 1);
        const applied = applyFreeze({ end, usedFreezeDays: 0, maxFreezeDays: 90, from, to: plannedTo });
        if (!applied.ok) throw new Error('expected ok');
        const early = unfreezeEarly({ end: applied.newEnd, from, plannedTo, actualTo: addDays(from, used - 1) });
        expect(early).toEqual({ ok: true, newEnd: addDays(end, used), days: used });
      }),
    );
  });
});
