import { rupeesToPaise } from '@gymstack/shared';

/** Paise as a plain rupee amount for an input box: 123450 → `1234.50` (integer arithmetic only). */
export function paiseToInput(paise: number): string {
  const fraction = paise % 100;
  return fraction === 0 ? String(paise / 100) : `${Math.floor(paise / 100)}.${String(fraction).padStart(2, '0')}`;
}

/** What to say beside a rupee field the desk cannot read; blank passes where the field is optional. */
export function rupeesError(text: string, { optional = false } = {}): string | undefined {
  if (optional && text.trim() === '') return undefined;
  return rupeesToPaise(text) === null ? 'Enter rupees, like 1500 or 1500.50' : undefined;
}
