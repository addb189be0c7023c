/** `weight_loss` → `Weight loss`, for enum values shown to people. */
const humanize = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1).replaceAll('_', ' ');

/** Select options for an enum, labelled for people. */
export const enumOptions = (values: readonly string[]) => values.map((value) => ({ value, label: humanize(value) }));

/** Blank text becomes null, for optional fields. */
export const blankToNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** `{ unit: 'months', count: 3 }` → `3 months`. */
export const durationText = ({ unit, count }: { unit: 'days' | 'months'; count: number }): string =>
  `${count} ${count === 1 ? unit.slice(0, -1) : unit}`;
