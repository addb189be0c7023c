import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WedgeDecision, WedgeOptions } from './wedge-detector';
import { WedgeDetector } from './wedge-detector';

type Stroke = { key: string; gap: number; repeat?: boolean; modified?: boolean };

/** Keys `gap` ms apart, typed with `key` each. */
const keys = (text: string, gap: number): Stroke[] => [...text].map((key) => ({ key, gap }));
const scanner = (code: string, gap = 8): Stroke[] => [...keys(code, gap), { key: 'Enter', gap }];

/**
 * Feeds a timeline to a detector and plays its decisions on a text field the way the hook does,
 * finishing with an idle call long after the last key. Backspace deletes, other named keys do nothing.
 */
function play(timeline: Stroke[], { field = '', editable = true, options }: { field?: string; editable?: boolean; options?: WedgeOptions } = {}) {
  const detector = new WedgeDetector(options);
  const scans: { code: string; typed: number }[] = [];
  const decisions: WedgeDecision['action'][] = [];
  let at = 10_000;
  const act = (key: string) => {
    if (key.length === 1) field += key;
    if (key === 'Backspace') field = field.slice(0, -1);
  };
  const apply = (decision: WedgeDecision, key: string | null) => {
    decisions.push(decision.action);
    if (decision.action === 'scan') {
      scans.push({ code: decision.code, typed: decision.typed });
      if (editable) field = field.slice(0, field.length - decision.typed);
      return;
    }
    if (decision.action === 'release') field += decision.text;
    if (decision.action !== 'hold' && key !== null) act(key);
  };
  for (const { key, gap, repeat = false, modified = false } of timeline) {
    at += gap;
    apply(detector.key({ key, at, editable, repeat, modified }), key);
  }
  apply(detector.idle(at + 1_000), null);
  decisions.pop();
  return { field, scans, decisions };
}

describe('WedgeDetector', () => {
  it('takes a fast burst ending in Enter as a scan, and leaves the field as it was', () => {
    const { field, scans, decisions } = play(scanner('GS1042'), { field: 'Ravi ' });
    expect(scans).toEqual([{ code: 'GS1042', typed: 2 }]);
    expect(field).toBe('Ravi ');
    expect(decisions).toEqual(['pass', 'pass', 'hold', 'hold', 'hold', 'hold', 'scan']);
  });

  it('holds nothing outside a text field, where all of the code reached nothing to undo', () => {
    const { scans, decisions } = play(scanner('0004567890'), { editable: false });
    expect(scans).toEqual([{ code: '0004567890', typed: 10 }]);
    expect(decisions.filter((d) => d === 'hold')).toEqual([]);
  });

  it('reads capitals typed with Shift', () => {
    const timeline = [..."GS".split('').flatMap((key) => [{ key: 'Shift', gap: 3 }, { key, gap: 5 }]), ...scanner('1042')];
    expect(play(timeline).scans).toEqual([{ code: 'GS1042', typed: 2 }]);
  });

  it('takes a code as short as minLength but not shorter', () => {
    expect(play(scanner('1042')).scans).toHaveLength(1);
    const short = play(scanner('104'));
    expect(short.scans).toEqual([]);
    expect(short.field).toBe('104');
  });

  it('gives back a fast run that ends in a slow Enter', () => {
    const { field, scans, decisions } = play([...keys('abcdef', 10), { key: 'Enter', gap: 120 }]);
    expect(scans).toEqual([]);
    expect(field).toBe('abcdef');
    expect(decisions.at(-1)).toBe('release');
  });

  it('gives back a fast run that goes quiet, but only once maxGapMs has passed', () => {
    const detector = new WedgeDetector();
    const stroke = (key: string, at: number) => detector.key({ key, at, editable: true, repeat: false, modified: false });
    expect([stroke('a', 0), stroke('b', 10), stroke('c', 20)].map((d) => d.action)).toEqual(['pass', 'pass', 'hold']);
    expect(detector.holding).toBe(true);
    expect(detector.idle(55)).toEqual({ action: 'pass' });
    expect(detector.idle(56)).toEqual({ action: 'release', text: 'c' });
    expect(detector.holding).toBe(false);
  });

  it('puts held characters back before a Backspace acts', () => {
    expect(play([...keys('abcd', 10), { key: 'Backspace', gap: 10 }]).field).toBe('abc');
  });

  it('never takes auto-repeat or shortcuts as a scan', () => {
    const held = [{ key: 'a', gap: 200 }, ...keys('aaaaaaa', 30).map((s) => ({ ...s, repeat: true })), { key: 'Enter', gap: 30 }];
    expect(play(held)).toMatchObject({ scans: [], field: 'aaaaaaaa' });
    const shortcuts = [...keys('vvvv', 10).map((s) => ({ ...s, modified: true })), { key: 'Enter', gap: 10 }];
    expect(play(shortcuts).scans).toEqual([]);
  });

  it('honours a slower scanner when maxGapMs is raised', () => {
    expect(play(scanner('GS1042', 50)).scans).toEqual([]);
    expect(play(scanner('GS1042', 50), { options: { maxGapMs: 60 } }).scans).toEqual([{ code: 'GS1042', typed: 2 }]);
  });

  const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
  const namedKey = fc.constantFrom('Enter', 'Backspace', 'Tab', 'ArrowLeft');

  /** Typing at 80–250 ms a key, with a fast typist's rolled keys: up to three gaps of ≤ 35 ms in a row. */
  const humanTyping = fc
    .array(
      fc.record({
        key: fc.oneof({ weight: 8, arbitrary: printable }, { weight: 2, arbitrary: namedKey }),
        fast: fc.boolean(),
        fastGap: fc.integer({ min: 0, max: 35 }),
        slowGap: fc.integer({ min: 80, max: 250 }),
      }),
      { maxLength: 60 },
    )
    .map((strokes) => {
      let streak = 0;
      return strokes.map(({ key, fast, fastGap, slowGap }): Stroke => {
        streak = fast && streak < 3 ? streak + 1 : 0;
        return { key, gap: streak > 0 ? fastGap : slowGap };
      });
    });

  /** What the field shows when every key acts as typed. */
  const typed = (timeline: Stroke[]) =>
    timeline.reduce((field, { key }) => (key.length === 1 ? field + key : key === 'Backspace' ? field.slice(0, -1) : field), '');

  it('never takes human-paced typing as a scan, and every typed character reaches the field in order', () => {
    fc.assert(
      fc.property(humanTyping, fc.boolean(), (timeline, editable) => {
        const { scans, field } = play(timeline, { editable });
        expect(scans).toEqual([]);
        if (editable) expect(field).toBe(typed(timeline));
      }),
      { numRuns: 500 },
    );
  });

  it('finds every scan amid typing and leaves none of it in the field', () => {
    const code = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-.'), minLength: 4, maxLength: 130 });
    const scanBurst = fc.record({ code, gap: fc.integer({ min: 0, max: 35 }), before: fc.integer({ min: 80, max: 400 }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(humanTyping, scanBurst), { maxLength: 4 }), humanTyping, (segments, tail) => {
        // A person's next key never comes within the gap of a scanner's Enter.
        const afterPause = (typing: Stroke[]) => typing.map((s, i) => (i === 0 ? { ...s, gap: 80 + s.gap } : s));
        const all = [
          ...segments.flatMap(([typing, burst]) => {
            const strokes = scanner(burst.code, burst.gap);
            strokes[0] = { key: burst.code[0]!, gap: burst.before };
            return [...afterPause(typing), ...strokes];
          }),
          ...afterPause(tail),
        ];
        const { scans, field } = play(all);
        expect(scans.map((s) => s.code)).toEqual(segments.map(([, burst]) => burst.code));
        expect(field).toBe(typed([...segments.flatMap(([typing]) => typing), ...tail]));
      }),
      { numRuns: 200 },
    );
  });
});
