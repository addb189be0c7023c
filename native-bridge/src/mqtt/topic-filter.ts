/**
 * MQTT topic filters (MQTT 3.1.1 section 4.7): `+` is one level, a trailing `#` is the rest.
 * Topics starting with `$` are never matched by a leading wildcard, so no ACL reaches `$SYS`.
 */
const levels = (s: string): string[] => s.split('/');

/** Whether `allowed` (a filter) covers every topic `requested` (a topic or a filter) can name. */
export function filterCovers(allowed: string, requested: string): boolean {
  const a = levels(allowed);
  const r = levels(requested);
  if (requested.startsWith('$') && (a[0] === '+' || a[0] === '#')) return false;
  for (let i = 0; i < a.length; i++) {
    const level = a[i];
    if (level === '#') return true;
    const other = r[i];
    if (other === undefined) return false;
    if (level === '+') {
      if (other === '#') return false;
      continue;
    }
    if (level !== other) return false;
  }
  return a.length === r.length;
}

/** The levels a topic gives the filter's `+` wildcards, in order; null when it does not match. */
export function wildcardLevels(filter: string, topic: string): string[] | null {
  if (!filterCovers(filter, topic)) return null;
  const t = levels(topic);
  return levels(filter).flatMap((level, i) => (level === '+' ? [t[i] ?? ''] : []));
}
