import { type Kysely, sql } from 'kysely';

// Frozen once landed. Erasure (DPDP Act / GDPR) reaches the desks' push log too.
//
// `sync_mutations` keeps every mutation a desk pushed with its arguments, so a member's name, phone,
// photo and the rest outlived erasure there (`members/create` carries them at the top level,
// `members/update` under `patch`, `members/setPhoto` as `dataUrl`). `redact_member_sync_log(member, keys)`
// replaces those values with the audit log's marker, exactly as `redact_member_audit` does for audit
// rows (2026_11_22_0003): same snapshot function, same guard (only an erased member of the transaction's
// gym), same owner-role SECURITY DEFINER with a pinned search_path, and an append-only trigger that lets
// only this function's update of `args` through.
//
// Which rows are about a member is a stored generated column, `about_member`: the new member's id for
// `members/create`, else the `memberId` the arguments name.

const OWNER_ROLE = 'gymstack_owner';
const API_ROLE = 'gymstack_api';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `alter table sync_mutations add column about_member text generated always as (
       case when name = 'members/create' then args->>'id' else args->>'memberId' end) stored`,
    'create index sync_mutations_about_member on sync_mutations (gym_id, about_member) where about_member is not null',

    // The arguments with the personal values redacted at the top level and under `patch`.
    `create function redact_sync_args(p_args jsonb, p_keys text[]) returns jsonb
       language sql immutable parallel safe set search_path = pg_catalog, pg_temp
       as $$
         select case when jsonb_typeof(p_args -> 'patch') = 'object'
           then public.redact_audit_snapshot(p_args, null, p_keys)
                || jsonb_build_object('patch', public.redact_audit_snapshot(p_args -> 'patch', null, p_keys))
           else public.redact_audit_snapshot(p_args, null, p_keys) end
       $$`,
    `revoke all on function redact_sync_args(jsonb, text[]) from public`,

    `create function redact_member_sync_log(p_member uuid, p_keys text[]) returns integer
       language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       declare
         gym uuid := public.current_gym_id();
         prior text := current_setting('app.sync_log_redaction', true);
         erased boolean;
         redacted integer;
       begin
         if gym is null or p_member is null then return 0; end if;
         select m.deleted_at is not null into erased from public.members m where m.gym_id = gym and m.id = p_member;
         if erased is null then return 0; end if;
         if not erased then
           raise exception 'member % is not erased', p_member using errcode = 'object_not_in_prerequisite_state';
         end if;
         perform set_config('app.sync_log_redaction', p_member::text, true);
         update public.sync_mutations s
            set args = public.redact_sync_args(s.args, p_keys)
          where s.gym_id = gym and s.about_member = p_member::text
            and s.args is distinct from public.redact_sync_args(s.args, p_keys);
         get diagnostics redacted = row_count;
         perform set_config('app.sync_log_redaction', coalesce(prior, ''), true);
         return redacted;
       end $$`,
    `revoke all on function redact_member_sync_log(uuid, text[]) from public`,
    `grant execute on function redact_member_sync_log(uuid, text[]) to ${API_ROLE}`,

    `create function sync_mutations_append_only() returns trigger
       language plpgsql set search_path = pg_catalog, pg_temp as $$
       declare
         redacting text := current_setting('app.sync_log_redaction', true);
         stack text;
       begin
         if tg_op = 'UPDATE' and current_user = '${OWNER_ROLE}' and coalesce(redacting, '') <> ''
            and old.gym_id = public.current_gym_id() and old.about_member = redacting
            and to_jsonb(new) - 'args' - 'about_member' = to_jsonb(old) - 'args' - 'about_member' then
           get diagnostics stack = pg_context;
           if stack ~ '\\nPL/pgSQL function public\\.redact_member_sync_log\\(uuid,text\\[\\]\\) line [0-9]+ at SQL statement$' then
             return new;
           end if;
         end if;
         raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';
       end $$`,
    `revoke all on function sync_mutations_append_only() from public`,
    'drop trigger sync_mutations_append_only on sync_mutations',
    'create trigger sync_mutations_append_only before update or delete on sync_mutations for each row execute function sync_mutations_append_only()',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'drop trigger sync_mutations_append_only on sync_mutations',
    'create trigger sync_mutations_append_only before update or delete on sync_mutations for each row execute function reject_append_only_change()',
    'drop function sync_mutations_append_only()',
    'drop function redact_member_sync_log(uuid, text[])',
    'drop function redact_sync_args(jsonb, text[])',
    'alter table sync_mutations drop column about_member',
  ]);
}
