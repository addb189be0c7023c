import { useEffect, useEffectEvent } from 'react';
import type { WedgeOptions } from '../lib/wedge-detector';
import { WedgeDetector } from '../lib/wedge-detector';

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Input types whose value is free text, so characters can be taken out and put back. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'url', 'email', 'password']);

function textField(target: EventTarget | null): TextField | null {
  if (target instanceof HTMLTextAreaElement) return target.readOnly ? null : target;
  if (target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type) && !target.readOnly) return target;
  return null;
}

/**
 * Replaces the `remove` characters before the caret with `insert`, as typing would. The value goes
 * through the prototype's setter so React's change tracking sees it, and an `input` event tells React.
 * Email inputs have no caret position, so the end of the value stands in for it.
 */
function editBeforeCaret(field: TextField, remove: number, insert: string): void {
  const caret = field.selectionStart ?? field.value.length;
  const start = Math.max(0, caret - remove);
  const value = field.value.slice(0, start) + insert + field.value.slice(caret);
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field) as object, 'value')?.set?.call(field, value);
  if (field.selectionStart !== null) field.setSelectionRange(start + insert.length, start + insert.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Calls `onScan` with each code a keyboard-wedge scanner or card reader types, anywhere in the window.
 * The scan's keys are kept out of whatever field has focus (and its Enter submits nothing); typing is
 * left alone. Listens in the capture phase, before any field or shortcut sees the keys.
 */
export function useWedgeScan(onScan: (code: string) => void, options: WedgeOptions = {}): void {
  const { minLength, maxGapMs = 35, passThrough } = options;
  const scanned = useEffectEvent(onScan);

  useEffect(() => {
    const detector = new WedgeDetector({ minLength, maxGapMs, passThrough });
    /** The field the held keys were typed into, where they go back if they were typing. */
    let holdingIn: TextField | null = null;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;

    const release = (text: string) => {
      if (holdingIn) editBeforeCaret(holdingIn, 0, text);
      holdingIn = null;
    };

    const onKeyDown = (event: KeyboardEvent) => {
      clearTimeout(idleTimer);
      const field = textField(event.target);
      const decision = detector.key({
        key: event.key,
        at: event.timeStamp,
        editable: field !== null,
        repeat: event.repeat,
        modified: event.ctrlKey || event.altKey || event.metaKey,
      });
      switch (decision.action) {
        case 'pass':
          break;
        case 'hold':
          event.preventDefault();
          event.stopPropagation();
          holdingIn = field;
          // Later than the gap, so a scanner key already queued behind a busy renderer is read first.
          idleTimer = setTimeout(() => {
            const idle = detector.idle(performance.now());
            if (idle.action === 'release') release(idle.text);
          }, maxGapMs * 3);
          break;
        case 'release':
          release(decision.text);
          break;
        case 'scan':
          event.preventDefault();
          event.stopPropagation();
          if (field && decision.typed > 0) editBeforeCaret(field, decision.typed, '');
          holdingIn = null;
          scanned(decision.code);
          break;
      }
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      clearTimeout(idleTimer);
      // Keys held when the screen goes or the options change were typing: do not lose them.
      const rest = detector.idle(Infinity);
      if (rest.action === 'release') release(rest.text);
    };
  }, [minLength, maxGapMs, passThrough]);
}
