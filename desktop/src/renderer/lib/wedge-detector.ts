/**
 * Tells a keyboard-wedge scan (a QR/barcode scanner or RFID card reader typing its code) from a person
 * typing, by timing alone. A scanner types every character within a few milliseconds of the last and
 * ends with Enter; people leave 80–250 ms between keys, and even a fast typist's rolled keys come in
 * pairs or threes, not a run that ends in an equally fast Enter.
 *
 * Inside a text field the first `passThrough` characters of a fast run reach the field (a fast pair is
 * common in typing and is never held back); later ones are held. The run then ends as either
 *   - a scan: the caller removes the `typed` characters that reached the field and takes `code`, or
 *   - typing after all: the caller puts the held `text` into the field, then lets the current key act.
 */
export interface WedgeKey {
  /** `KeyboardEvent.key`. */
  key: string;
  /** `KeyboardEvent.timeStamp`, in ms. */
  at: number;
  /** The key goes to a text field the caller can edit, so held characters can be put back. */
  editable: boolean;
  /** Auto-repeat from a held key: fast, but a person. */
  repeat: boolean;
  /** Ctrl, Alt or Meta is down: a shortcut, never part of a code. */
  modified: boolean;
}

export interface WedgeOptions {
  /** The shortest code taken as a scan. */
  minLength?: number;
  /** The longest gap between a scanner's keys, Enter included. */
  maxGapMs?: number;
  /** Characters of a fast run let through to a field before the rest are held. */
  passThrough?: number;
}

export type WedgeDecision =
  /** Leave the key alone. */
  | { action: 'pass' }
  /** Prevent the key: it is held as part of a possible scan. */
  | { action: 'hold' }
  /** Prevent this Enter; remove the `typed` characters of `code` that reached the field. */
  | { action: 'scan'; code: string; typed: number }
  /** The held keys were typing: put `text` into the field before the current key (if any) acts. */
  | { action: 'release'; text: string };

const PASS: WedgeDecision = { action: 'pass' };
const HOLD: WedgeDecision = { action: 'hold' };

export class WedgeDetector {
  readonly #minLength: number;
  readonly #maxGapMs: number;
  readonly #passThrough: number;
  /** Every character of the current fast run. */
  #run = '';
  /** How many of them reached the target; the rest are held. */
  #typed = 0;
  #editable = false;
  #lastAt = -Infinity;

  constructor({ minLength = 4, maxGapMs = 35, passThrough = 2 }: WedgeOptions = {}) {
    this.#minLength = minLength;
    this.#maxGapMs = maxGapMs;
    this.#passThrough = passThrough;
  }

  /** Whether keys are held, so the caller should call `idle` once `maxGapMs` has passed without a key. */
  get holding(): boolean {
    return this.#typed < this.#run.length;
  }

  key(event: WedgeKey): WedgeDecision {
    // A wedge types capitals with Shift held: the Shift itself neither starts nor breaks a run.
    if (event.key === 'Shift') return PASS;
    const fast = this.#run !== '' && event.at - this.#lastAt <= this.#maxGapMs && !event.repeat && !event.modified;
    const printable = event.key.length === 1 && !event.repeat && !event.modified;
    if (fast && printable) {
      this.#run += event.key;
      this.#lastAt = event.at;
      if (this.#editable && this.#run.length > this.#passThrough) return HOLD;
      this.#typed += 1;
      return PASS;
    }
    if (fast && event.key === 'Enter' && this.#run.length >= this.#minLength) {
      const scan: WedgeDecision = { action: 'scan', code: this.#run, typed: this.#typed };
      this.#reset();
      return scan;
    }
    const released = this.#release();
    if (printable) {
      this.#run = event.key;
      this.#typed = 1;
      this.#editable = event.editable;
      this.#lastAt = event.at;
    }
    return released;
  }

  /** Called when no key has come for a while: a run that went quiet without Enter was typing. */
  idle(now: number): WedgeDecision {
    return now - this.#lastAt > this.#maxGapMs ? this.#release() : PASS;
  }

  #release(): WedgeDecision {
    const held = this.#run.slice(this.#typed);
    this.#reset();
    return held === '' ? PASS : { action: 'release', text: held };
  }

  #reset(): void {
    this.#run = '';
    this.#typed = 0;
    this.#lastAt = -Infinity;
  }
}
