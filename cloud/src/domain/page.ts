import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export interface PageRequest {
  page: number;
  perPage: number;
}

export interface Page<T> {
  items: T[];
  meta: PageRequest & { total: number };
}

/** One page of `query` (already ordered) and the total it would return, in two statements of `trx`. */
export async function paginate<DB, TB extends keyof DB, O>(
  trx: Kysely<Database>,
  query: SelectQueryBuilder<DB, TB, O>,
  { page, perPage }: PageRequest,
): Promise<Page<O>> {
  const items = await query.limit(perPage).offset((page - 1) * perPage).execute();
  const { rows } = await sql<{ total: number }>`select count(*)::int as total from (${query.clearOrderBy()}) as q`.execute(trx);
  return { items, meta: { page, perPage, total: rows[0]?.total ?? 0 } };
}

/** A page cut from a list already in memory (when the filter is a derived value, such as member status). */
export function slicePage<T>(all: readonly T[], { page, perPage }: PageRequest): Page<T> {
  return { items: all.slice((page - 1) * perPage, page * perPage), meta: { page, perPage, total: all.length } };
}
