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
  return { items, meta: { page, perPage, total: await countOf(trx, query) } };
}

async function countOf<DB, TB extends keyof DB, O>(trx: Kysely<Database>, query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const { rows } = await sql<{ total: number }>`select count(*)::int as total from (${query.clearOrderBy()}) as q`.execute(trx);
  return rows[0]?.total ?? 0;
}

/**
 * One page of `query` (already ordered) with its total in the same statement (`count(*) over ()`), for
 * lists whose filter is too costly to run twice. A page past the end has no row to carry the total, and
 * only then is it counted on its own.
 */
export async function paginateCounted<DB, TB extends keyof DB, O>(
  trx: Kysely<Database>,
  query: SelectQueryBuilder<DB, TB, O>,
  { page, perPage }: PageRequest,
): Promise<Page<O>> {
  const rows = (await query
    .select(sql<number>`count(*) over ()`.as('page_total'))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute()) as (O & { page_total: number })[];
  if (rows.length === 0 && page > 1) return { items: [], meta: { page, perPage, total: await countOf(trx, query) } };
  const items = rows.map(({ page_total: _total, ...item }) => item as O);
  return { items, meta: { page, perPage, total: Number(rows[0]?.page_total ?? 0) } };
}
