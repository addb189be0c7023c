import type { EnrollProgress } from '../reader.js';
import type { SyntheticFinger } from './fingers.js';
import type { R30xModule } from './module.js';

/**
 * An enroll `onProgress` that plays the member: puts `fingers[press - 1]` (or the one finger) on the
 * module when asked to place it and lifts it once captured. Pass different fingers to get a mismatch.
 */
export function pressOnCue(module: R30xModule, fingers: SyntheticFinger | SyntheticFinger[]): (progress: EnrollProgress) => void {
  const forPress = (press: number) => (Array.isArray(fingers) ? fingers[Math.min(press, fingers.length) - 1]! : fingers);
  return ({ press, step }) => {
    if (step === 'place') module.press(forPress(press));
    if (step === 'captured') module.lift();
  };
}
