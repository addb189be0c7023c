import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { type TenantScope, withTenant } from '../db/tenant.js';
import type { ShapeTable } from './shape-protocol.js';

/**
 * Reads of the per-gym change log and the synced tables for `GET /v1/shape` (migration
 * 2026_11_22_0005_change_log). Every function runs in a transaction scoped to the caller's gym (RLS),
 * and filters on the gym besides. Table names come from the whitelist, never from the request.
 */

type Trx = Transaction<Database>;

/** A gym's log head: the last position handed out, the compaction floor and the table's epoch. */
export interface LogHead {
  pos: bigint;
  floor: bigint;
  epoch: number;
}

export async function readHead(trx: Trx, gymId: string, table: string): Promise<LogHead> {
  const { rows } = await sql<{ pos: string; floor: string; epoch: number }>`
    select pos::text as pos, floor::text as floor, coalesce((epochs ->> ${table})::integer, 0) as epoch
      from change_log_head where gym_id = ${gymId}`.execute(trx);
  const row = rows[0];
  return row ? { pos: BigInt(row.pos), floor: BigInt(row.floor), epoch: row.epoch } : { pos: 0n, floor: 0n, epoch: 0 };
}

/** One row of a shape: its id and its visible columns as Postgres text. */
export interface ShapeRow {
  id: string;
  values: Record<string, string | null>;
}

/** Up to `limit` live rows of the table after primary key `after` (null: from the start), by id. */
export async function readSnapshotChunk(trx: Trx, gymId: string, table: ShapeTable, after: string | null, limit: number): Promise<ShapeRow[]> {
  const t = sql.table(table.name);
  const fn = sql.raw(`shape_row_${table.name}`);
  const filter = table.snapshotFilter ? sql`and ${sql.raw(table.snapshotFilter)}` : sql``;
  const from = after === null ? sql`` : sql`and r.id > ${after}::uuid`;
  const { rows } = await sql<{ id: string; v: Record<string, string | null> }>`
    select r.id, ${fn}(r) as v from ${t} r
     where r.${sql.ref(table.gymColumn)} = ${gymId} ${filter} ${from}
     order by r.id limit ${limit}`.execute(trx);
  return rows.map((r) => ({ id: r.id, values: r.v }));
}

export interface LogEntry {
  pos: bigint;
  txid: number;
  op: 'insert' | 'update' | 'delete';
  id: string;
  values: Record<string, string | null>;
}

/**
 * The table's log entries after position `after`, at most `limit`, and the gym's log head as the same
 * statement saw it. Every entry at or below that head position is committed and visible to that
 * statement (positions are handed out under a lock held to commit, see the migration), and the floor and
 * epoch are the ones the entries were read under, so a compaction racing this read cannot go unnoticed.
 */
export async function readLog(trx: Trx, gymId: string, table: string, after: bigint, limit: number): Promise<{ entries: LogEntry[]; head: LogHead }> {
  const { rows } = await sql<{ pos: string | null; txid: string | null; op: LogEntry['op'] | null; id: string | null; v: LogEntry['values'] | null; head: string; floor: string; epoch: number }>`
    with head as (select coalesce(max(pos), 0) as head, coalesce(max(floor), 0) as floor,
                         coalesce(max((epochs ->> ${table})::integer), 0) as epoch
                    from change_log_head where gym_id = ${gymId}),
         entries as (select pos, txid, op, row_id, vals from change_log
                      where gym_id = ${gymId} and tbl = ${table} and pos > ${after.toString()}::bigint
                      order by pos limit ${limit})
    select e.pos::text as pos, e.txid::text as txid, e.op, e.row_id as id, e.vals as v,
           h.head::text as head, h.floor::text as floor, h.epoch
      from head h left join entries e on true
     order by e.pos`.execute(trx);
  const first = rows[0];
  const head: LogHead = { pos: BigInt(first?.head ?? '0'), floor: BigInt(first?.floor ?? '0'), epoch: first?.epoch ?? 0 };
  const entries = rows
    .filter((r) => r.pos !== null)
    .map((r) => ({ pos: BigInt(r.pos as string), txid: Number(r.txid), op: r.op as LogEntry['op'], id: r.id as string, values: r.v ?? {} }));
  return { entries, head };
}

/** Electric's column schema: the Postgres type name (element type and dims for arrays), pk and nullability. */
export type ShapeSchema = Record<string, { type: string; dims?: number; pk_index?: number; not_null?: boolean }>;

/** The columns `shape_row_<table>` emits, typed from the catalog. */
export async function readSchema(db: Kysely<Database>, table: string): Promise<ShapeSchema> {
  const fn = sql.raw(`shape_row_${table}`);
  const { rows } = await sql<{ name: string; type: string; dims: number; not_null: boolean }>`
    select a.attname as name, coalesce(e.typname, t.typname) as type, case when e.oid is null then 0 else 1 end as dims,
           a.attnotnull as not_null
      from pg_attribute a
      join pg_type t on t.oid = a.atttypid
      left join pg_type e on t.typcategory = 'A' and e.oid = t.typelem
     where a.attrelid = ${`public.${table}`}::regclass and a.attnum > 0 and not a.attisdropped
       and a.attname in (select jsonb_object_keys(${fn}(null::${sql.table(table)})))
     order by a.attnum`.execute(db);
  const schema: ShapeSchema = {};
  for (const r of rows) {
    schema[r.name] = { type: r.type, ...(r.dims ? { dims: r.dims } : {}), ...(r.name === 'id' ? { pk_index: 0 } : {}), ...(r.not_null ? { not_null: true } : {}) };
  }
  return schema;
}

/** Drops the gym's log entries at or below `upto` and raises its compaction floor; returns the floor. */
export async function compactChangeLog(db: Kysely<Database>, scope: TenantScope, upto: bigint): Promise<bigint> {
  return withTenant(db, scope, async (trx) => {
    const { rows } = await sql<{ floor: string }>`select change_log_compact(${upto.toString()}::bigint)::text as floor`.execute(trx);
    return BigInt(rows[0]?.floor ?? '0');
  });
}

/** Retention: compacts the gym's entries older than `days`. */
export async function compactChangeLogOlderThan(db: Kysely<Database>, scope: TenantScope, days: number): Promise<bigint> {
  return withTenant(db, scope, async (trx) => {
    const { rows } = await sql<{ floor: string }>`select change_log_compact_older_than(make_interval(days => ${days}))::text as floor`.execute(trx);
    return BigInt(rows[0]?.floor ?? '0');
  });
}

/** Makes every desk of the gym re-snapshot `table` (409 must-refetch at its next request). */
export async function resnapshotTable(db: Kysely<Database>, scope: TenantScope, table: string): Promise<number> {
  return withTenant(db, scope, async (trx) => {
    const { rows } = await sql<{ epoch: number }>`select change_log_resnapshot(${table}) as epoch`.execute(trx);
    return rows[0]?.epoch ?? 0;
  });
}
