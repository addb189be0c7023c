import type { DeskApiError } from '../api';

/**
 * Puts the core's VALIDATION_ERROR issues beside the fields that show them, by `path`
 * (after stripping the handler's wrapper, e.g. `patch.`); whatever has no field becomes a form-level message.
 */
export function fieldErrors(error: DeskApiError | null, fields: readonly string[], prefix = '') {
  const byField = new Map<string, string>();
  const unplaced: string[] = [];
  for (const { path, message } of error?.issues ?? []) {
    const field = path.startsWith(prefix) ? path.slice(prefix.length) : path;
    if (fields.includes(field)) {
      if (!byField.has(field)) byField.set(field, message);
    } else unplaced.push(message);
  }
  const form = error && (error.issues.length === 0 ? error.message : unplaced.join('; ') || null);
  return { field: (name: string) => byField.get(name), form: form ?? null };
}
