import { type Kysely, sql } from 'kysely';

// Frozen once landed. The per-gym change log behind `GET /v1/shape` (DESIGN 6, "Down").
//
// - `shape_row_<table>(r)` renders a row the way a shape sends it: each visible column as Postgres text
//   (booleans t/f, timestamptz in UTC as `YYYY-MM-DD HH:MI:SS[.ffffff]+00`, bytea as `\x…`, arrays and
//   jsonb in their text form), hidden columns left out (password hashes, token versions, the invoice
//   document, the gym's member-code counter). The snapshot and the log use the same function, so a row
//   reads the same whichever way it reaches a desk. The functions are generated here from the catalog as
//   it stands after every earlier migration; a later migration that adds a synced column regenerates them.
// - An AFTER row trigger on every synced table calls `change_log_record`, which writes one entry:
//   `insert` (a new row, or a soft-deleted row restored), `update` (only the visible columns that changed,
//   plus `id`; nothing at all when none did), or `delete` (a soft delete, i.e. deleted_at set, or a hard
//   delete). Logging a delete also removes the row's earlier entries: a desk replaying them would only
//   reach the delete anyway, and an erased member's personal data and fingerprint templates do not
//   outlive the erasure in the log.
// - Positions are commit-ordered. Each entry takes the next position of its gym from `change_log_head`
//   with an upsert, whose row lock is the per-gym, transaction-scoped lock: it is held from the
//   transaction's first logged write until it commits or rolls back, so a second writer in the same gym
//   waits for the first to end and only then takes the next position. Hence positions become visible in
//   the order they were handed out, and a reader that has seen position p has seen every position below p:
//   a slow transaction can never be skipped. (A sequence would hand out numbers at write time; a reader
//   could pass a number whose transaction commits later and never look back.) Writers in different gyms
//   never wait for each other.
// - NOTIFY `gymstack_change_log` with the gym id wakes the long polls when the entry commits (Postgres
//   delivers notifications at commit and folds duplicates within one transaction).
// - `change_log_head` also keeps the compaction floor (entries at or below it are gone; a client behind
//   it must refetch) and per-table epochs (bumped to force every desk to re-snapshot a table).
// - Row-level security as on every tenant table. The API role may only read the log; the trigger
//   functions and `change_log_compact`/`change_log_resnapshot` are SECURITY DEFINER, owned by the owner
//   role (still bound by the forced RLS: they act only in the transaction's gym).

const API_ROLE = 'gymstack_api';

/** Synced tables, the column that names the gym, and the columns a desk never receives. */
const synced: { table: string; gym: string; hidden: string[] }[] = [
  { table: 'gyms', gym: 'id', hidden: ['member_code_seq'] },
  { table: 'branches', gym: 'gym_id', hidden: [] },
  { table: 'plans', gym: 'gym_id', hidden: [] },
  { table: 'members', gym: 'gym_id', hidden: [] },
  { table: 'memberships', gym: 'gym_id', hidden: [] },
  { table: 'freezes', gym: 'gym_id', hidden: [] },
  { table: 'payments', gym: 'gym_id', hidden: [] },
  { table: 'invoices', gym: 'gym_id', hidden: ['snapshot'] },
  { table: 'checkins', gym: 'gym_id', hidden: [] },
  { table: 'checkouts', gym: 'gym_id', hidden: [] },
  { table: 'member_credentials', gym: 'gym_id', hidden: [] },
  { table: 'staff', gym: 'gym_id', hidden: ['email', 'phone', 'password_hash', 'password_changed_at', 'token_version'] },
];

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** A column of `r` as Postgres text, independent of the session's TimeZone and bytea_output. */
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
  return `create function shape_row_${table}(r public.${table}) returns jsonb language sql stable parallel safe
            set search_path = pg_catalog, pg_temp
            as $$ select jsonb_build_object(${pairs.join(', ')}) $$`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `create table change_log_head (
       gym_id uuid primary key references gyms (id),
       pos bigint not null default 0,
       floor bigint not null default 0 check (floor <= pos),
       epochs jsonb not null default '{}'
     )`,
    `create table change_log (
       gym_id uuid not null references gyms (id),
       pos bigint not null,
       txid bigint not null,
       tbl text not null,
       row_id uuid not null,
       op text not null check (op in ('insert', 'update', 'delete')),
       vals jsonb not null,
       at timestamptz not null default now(),
       primary key (gym_id, pos)
     )`,
    'create index change_log_table on change_log (gym_id, tbl, pos)',
    'create index change_log_row on change_log (gym_id, tbl, row_id)',
    'create index change_log_at on change_log (gym_id, at)',
  ]);
  for (const table of ['change_log_head', 'change_log']) {
    await run(db, [
      `alter table ${table} enable row level security`,
      `alter table ${table} force row level security`,
      `create policy tenant_isolation on ${table} using (gym_id = (select current_gym_id())) with check (gym_id = (select current_gym_id()))`,
      `grant select on ${table} to ${API_ROLE}`,
    ]);
  }

  await run(db, [
    `create function change_log_record(p_gym uuid, p_table text, p_id uuid, p_old jsonb, p_new jsonb) returns void
       language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       declare
         v_op text;
         v_vals jsonb;
         v_pos bigint;
       begin
         if p_new is null then
           v_op := 'delete';
           v_vals := coalesce(p_old, jsonb_build_object('id', p_id::text));
         elsif p_new ->> 'deleted_at' is not null then
           -- Leaving the shape. An update of a row that had already left it is nobody's business.
           if p_old is not null and p_old ->> 'deleted_at' is not null then return; end if;
           v_op := 'delete';
           v_vals := p_new;
         elsif p_old is null or p_old ->> 'deleted_at' is not null then
           v_op := 'insert';
           v_vals := p_new;
         else
           select jsonb_object_agg(n.key, n.value) into v_vals from jsonb_each(p_new) n where p_old -> n.key is distinct from n.value;
           if v_vals is null then return; end if;
           v_op := 'update';
           v_vals := v_vals || jsonb_build_object('id', p_new -> 'id');
         end if;
         -- The per-gym lock (held to commit) and the next position, in one statement.
         insert into public.change_log_head as h (gym_id, pos) values (p_gym, 1)
           on conflict (gym_id) do update set pos = h.pos + 1
           returning h.pos into v_pos;
         if v_op = 'delete' then
           delete from public.change_log c where c.gym_id = p_gym and c.tbl = p_table and c.row_id = p_id;
         end if;
         insert into public.change_log (gym_id, pos, txid, tbl, row_id, op, vals)
           values (p_gym, v_pos, pg_current_xact_id()::text::bigint, p_table, p_id, v_op, v_vals);
         perform pg_notify('gymstack_change_log', p_gym::text);
       end $$`,
    'revoke all on function change_log_record(uuid, text, uuid, jsonb, jsonb) from public',

    // Compaction: drops the current gym's entries at or below p_upto (never past the head) and raises
    // the floor. Returns the floor. A client whose offset is below it gets 409 must-refetch.
    `create function change_log_compact(p_upto bigint) returns bigint
       language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       declare
         gym uuid := public.current_gym_id();
         v_floor bigint;
       begin
         if gym is null then raise exception 'no gym in scope' using errcode = 'insufficient_privilege'; end if;
         update public.change_log_head h set floor = greatest(h.floor, least(p_upto, h.pos))
          where h.gym_id = gym returning h.floor into v_floor;
         if v_floor is null then return 0; end if;
         delete from public.change_log c where c.gym_id = gym and c.pos <= v_floor;
         -- Wakes the long polls, which answer 409 to a client now behind the floor.
         perform pg_notify('gymstack_change_log', gym::text);
         return v_floor;
       end $$`,
    // Retention by age: compacts every entry older than p_age (the newest such entry's position).
    `create function change_log_compact_older_than(p_age interval) returns bigint
       language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       declare
         gym uuid := public.current_gym_id();
         v_upto bigint;
       begin
         select max(c.pos) into v_upto from public.change_log c where c.gym_id = gym and c.at < now() - p_age;
         return public.change_log_compact(coalesce(v_upto, 0));
       end $$`,
    // Forces every desk of the current gym to re-snapshot p_table (after a change the triggers did not see).
    `create function change_log_resnapshot(p_table text) returns integer
       language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       declare
         gym uuid := public.current_gym_id();
         v_epoch integer;
       begin
         if gym is null then raise exception 'no gym in scope' using errcode = 'insufficient_privilege'; end if;
         insert into public.change_log_head as h (gym_id, epochs) values (gym, jsonb_build_object(p_table, 1))
           on conflict (gym_id) do update
             set epochs = h.epochs || jsonb_build_object(p_table, coalesce((h.epochs ->> p_table)::integer, 0) + 1)
           returning (h.epochs ->> p_table)::integer into v_epoch;
         perform pg_notify('gymstack_change_log', gym::text);
         return v_epoch;
       end $$`,
  ]);
  for (const fn of ['change_log_compact(bigint)', 'change_log_compact_older_than(interval)', 'change_log_resnapshot(text)']) {
    await run(db, [`revoke all on function ${fn} from public`, `grant execute on function ${fn} to ${API_ROLE}`]);
  }

  for (const { table, gym, hidden } of synced) {
    await run(db, [
      await shapeRowFunction(db, table, hidden),
      `revoke all on function shape_row_${table}(public.${table}) from public`,
      `grant execute on function shape_row_${table}(public.${table}) to ${API_ROLE}`,
      `create function change_log_capture_${table}() returns trigger
         language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
         begin
           if tg_op = 'INSERT' then
             perform public.change_log_record(new.${gym}, '${table}', new.id, null, public.shape_row_${table}(new));
           elsif tg_op = 'UPDATE' then
             perform public.change_log_record(new.${gym}, '${table}', new.id, public.shape_row_${table}(old), public.shape_row_${table}(new));
           else
             perform public.change_log_record(old.${gym}, '${table}', old.id, null, null);
           end if;
           return null;
         end $$`,
      `revoke all on function change_log_capture_${table}() from public`,
      `create trigger change_log_capture after insert or update or delete on ${table}
         for each row execute function change_log_capture_${table}()`,
    ]);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table } of synced) {
    await run(db, [`drop trigger change_log_capture on ${table}`, `drop function change_log_capture_${table}()`, `drop function shape_row_${table}(public.${table})`]);
  }
  await run(db, [
    'drop function change_log_resnapshot(text)',
    'drop function change_log_compact_older_than(interval)',
    'drop function change_log_compact(bigint)',
    'drop function change_log_record(uuid, text, uuid, jsonb, jsonb)',
    'drop table change_log',
    'drop table change_log_head',
  ]);
}
