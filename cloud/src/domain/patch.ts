/** Drops undefined fields, so an update sets only what the patch names (null still clears): a field merge. */
export function definedOnly<T extends object>(columns: T): Partial<T> {
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Partial<T>;
}
