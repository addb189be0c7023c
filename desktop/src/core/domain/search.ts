import type { LocalDate, StatusSettings } from '@gymstack/shared';
import { sql } from 'kysely';
import type { MemberSummary } from '../contract.js';
import type { Store } from '../db/store.js';
import { type SummaryRow, summarize, summaryColumns } from './member-status.js';
import { type NameVocabulary, nameTokens } from './vocabulary.js';

/** A phone query: digits only once spaces, dashes, brackets and a leading + or trunk 0 are dropped. */
const PHONE_QUERY = /^\+?[\d\s\-()]{3,}$/;

const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** FTS5 expression: a phone query prefix-matches the phone suffix tokens, words prefix-match names and codes. */
function exactExpression(query: string): string | null {
  if (PHONE_QUERY.test(query)) {
    const digits = query.replace(/\D/g, '').replace(/^0+/, '');
    return digits.length >= 3 ? `phone : ${quote(digits)}*` : null;
  }
  const tokens = nameTokens(query);
  return tokens.length === 0 ? null : `{name code} : (${tokens.map((t) => `${quote(t)}*`).join(' AND ')})`;
}

/** Each word widened to its one-edit corrections; null when no word has any, so there is nothing new to try. */
function typoExpression(query: string, vocabulary: NameVocabulary): string | null {
  if (PHONE_QUERY.test(query)) return null;
  let corrected = false;
  const groups = nameTokens(query).map((t) => {
    const alternatives = vocabulary.corrections(t);
    if (alternatives.length > 0) corrected = true;
    return `(${[t, ...alternatives].map((a) => `${quote(a)}*`).join(' OR ')})`;
  });
  return corrected ? `name : (${groups.join(' AND ')})` : null;
}

function matching(store: Store, expression: string, limit: number): SummaryRow[] {
  return store.all(
    store.db
      .selectFrom('members_fts')
      .innerJoin('members', (join) => join.on(sql`members.rowid`, '=', sql`members_fts.rowid`))
      .select(summaryColumns)
      .where('members_fts', 'match', expression)
      .orderBy('members_fts.rank')
      .limit(limit),
  );
}

/**
 * Member search as the desk types: name-word prefixes, phone digits (the last 4 or more, or the
 * whole number), or member code, best match first. When that finds fewer than `limit`, mistyped
 * name words are corrected to known words one edit away and the rest of the list filled from those.
 */
export function searchMembers(
  store: Store,
  vocabulary: NameVocabulary,
  query: string,
  limit: number,
  today: LocalDate,
  settings: StatusSettings,
): MemberSummary[] {
  const exact = exactExpression(query);
  const rows = exact ? matching(store, exact, limit) : [];
  if (rows.length < limit) {
    const fuzzy = typoExpression(query, vocabulary);
    const seen = new Set(rows.map((r) => r.id));
    if (fuzzy) rows.push(...matching(store, fuzzy, limit).filter((r) => !seen.has(r.id)).slice(0, limit - rows.length));
  }
  return summarize(store, rows, today, settings);
}
