import { type Kysely, sql } from 'kysely';

// Frozen once landed. Desk codes, and invoices synced whole.
//
// 1. `devices.code`: a short code per desk, unique among the gym's live desks, allocated by the cloud at
//    pairing (`D1`, `D2`, ...). A desk uses it as its invoice series prefix and as the prefix of the member
//    codes it hands out offline (`D2-1001`), so two desks offline at once never mint the same number or
//    code. Existing desks get D1, D2, ... per gym in pairing order. The backfill runs with the table's
//    forced row-level security lifted for this transaction only (the owner role is bound by it too, and no
//    gym is in scope here); it is forced again before the migration commits.
// 2. `shape_row_invoices` no longer hides `snapshot` (the invoice document as printed): a desk must be able
//    to reprint any invoice of its gym, and desks already hold the members' personal data it repeats. The
//    function is regenerated from the catalog the way 2026_11_22_0005_change_log generates it (same text
//    conversions, same grants; `create or replace` keeps the trigger that calls it). Every gym's
//    `invoices` epoch is bumped, so desks re-snapshot the table and receive the documents of invoices
//    issued before. down() hides the column again.

const API_ROLE = 'gymstack_api';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** A column of `r` as Postgres text, independent of the session's TimeZone and bytea_output (as in 0005). */
function asText(column: string, type: string): string {
  const c = `r.${column}`;
  switch (type) {
    case 'bool':
      return `case when ${c} then 't' when not ${c} then 'f' end`;
    case 'timestamptz':
      return `(${c} at time zone 'UTC')::text || '+00'`;
    case 'bytea':
      return `'\\x' || encode(${c}, 'hex')`;
    default:
      return `${c}::text`;
  }
}

async function shapeRowFunction(db: Kysely<unknown>, table: string, hidden: string[]): Promise<string> {
  const { rows } = await sql<{ name: string; type: string }>`
    select a.attname as name, t.typname as type
      from pg_attribute a join pg_type t on t.oid = a.atttypid
     where a.attrelid = ${`public.${table}`}::regclass and a.attnum > 0 and not a.attisdropped
     order by a.attnum`.execute(db);
  const pairs = rows.filter((r) => !hidden.includes(r.name)).map((r) => `'${r.name}', ${asText(`"${r.name}"`, r.type)}`);
  return `create or replace function shape_row_${table}(r public.${table}) returns jsonb language sql stable parallel safe
            set search_path = pg_catalog, pg_temp
            as $$ select jsonb_build_object(${pairs.join(', ')}) $$`;
}

/** Replaces `shape_row_invoices`, keeps its grants, and makes every gym's desks re-snapshot invoices. */
async function invoicesShape(db: Kysely<unknown>, hidden: string[]): Promise<void> {
  await run(db, [
    await shapeRowFunction(db, 'invoices', hidden),
    `revoke all on function shape_row_invoices(public.invoices) from public`,
    `grant execute on function shape_row_invoices(public.invoices) to ${API_ROLE}`,
    // Every gym at once, hence RLS lifted as for the backfill; a gym without a head has no desk behind yet.
    'alter table change_log_head no force row level security',
    `update change_log_head
        set epochs = epochs || jsonb_build_object('invoices', coalesce((epochs ->> 'invoices')::integer, 0) + 1)`,
    'alter table change_log_head force row level security',
  ]);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'alter table devices add column code text',
    'alter table devices no force row level security',
    `update devices d set code = 'D' || n.rn
       from (select gym_id, id, row_number() over (partition by gym_id order by paired_at, id) as rn from devices) n
      where d.gym_id = n.gym_id and d.id = n.id`,
    'alter table devices force row level security',
    'alter table devices alter column code set not null',
    `alter table devices add constraint devices_code_format check (code ~ '^[A-Z0-9]{1,5}$')`,
    'create unique index devices_code on devices (gym_id, code) where deleted_at is null',
  ]);
  await invoicesShape(db, []);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await invoicesShape(db, ['snapshot']);
  await run(db, ['drop index devices_code', 'alter table devices drop column code']);
}
