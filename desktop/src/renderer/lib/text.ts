/** `weight_loss` → `Weight loss`, for enum values shown to people. */
const humanize = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1).replaceAll('_', ' ');

/** Select options for an enum, labelled for people. */
export const enumOptions = (values: readonly string[]) => values.map((value) => ({ value, label: humanize(value) }));

/** Blank text becomes null, for optional fields. */
export const blankToNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** How long before `now` an instant was, for a status line: `just now`, `1 min ago`, `3 h ago`; null from a day on. */
export function agoText(instant: string | Date, now: Date): string | null {
  const minutes = Math.floor((now.getTime() - new Date(instant).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} h ago` : null;
}

/** `3`, `change` → `3 changes`. */
export const countText = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** `{ unit: 'months', count: 3 }` → `3 months`. */
export const durationText = ({ unit, count }: { unit: 'days' | 'months'; count: number }): string =>
  `${count} ${count === 1 ? unit.slice(0, -1) : unit}`;
