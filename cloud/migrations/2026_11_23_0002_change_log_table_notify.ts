import { type Kysely, sql } from 'kysely';

// Frozen once landed. The change log's NOTIFY names the table as well as the gym (`<gym>:<table>`), so a
// commit wakes only the long polls of the tables it changed, not every table of every desk of the gym
// (each desk holds one live request per synced table, and each wake costs a read of the log).
// Compaction and re-snapshots still notify with the gym alone: they concern every table.
// The function is 0005's `change_log_record` with only its notification's payload changed.

const changeLogRecord = (payload: string) => `
    create or replace function change_log_record(p_gym uuid, p_table text, p_id uuid, p_old jsonb, p_new jsonb) returns void
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
         perform pg_notify('gymstack_change_log', ${payload});
       end $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(changeLogRecord(`p_gym::text || ':' || p_table`)).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(changeLogRecord('p_gym::text')).execute(db);
}
