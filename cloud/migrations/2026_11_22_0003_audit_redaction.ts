import { type Kysely, sql } from 'kysely';

// Frozen once landed. Erasure (DPDP Act / GDPR) reaches into the append-only audit log, and nothing else
// may rewrite it.
//
// The audit log keeps the old and new snapshot of every write, so a member's personal data outlives the
// anonymised member row there. `redact_member_audit(member, keys)` replaces, in the current gym's audit
// rows about that member, the values under `keys` with a marker: the keys stay, so a row still says what
// it recorded and what changed; actor, action, time and every other column stay as they are. Which keys
// are personal is the caller's one list (cloud/src/domain/member-personal.ts): a migration is frozen,
// that list is not.
//
// - Which rows are about a member is one stored, generated column, `about_member`: the entity id of a
//   'member' row, else the `memberId` a snapshot names at its top level (check-ins, which also carry the
//   member's name; memberships; trainer assignments). The redaction finds rows by it and the trigger
//   checks it. It is text compared with text, which is leakproof, so its index serves queries under the
//   forced RLS (a `->>` expression index would not: the planner may not run a non-leakproof operator
//   ahead of the policy).
// - The function is SECURITY DEFINER, owned by the owner role with a pinned search_path; only the API
//   role may execute it. It acts only in the transaction's gym (app.gym_id, also under the forced RLS)
//   and only on a member that is already erased (soft-deleted), so it cannot blank a live member's
//   history or touch another gym's rows.
// - The append-only trigger on audit_log now lets exactly this through: an UPDATE by the owner role,
//   made by this function called straight from SQL (the call stack is checked), with
//   `app.audit_redaction` naming the member the row is about, in the current gym, changing nothing but
//   `old` and `new`. Any other UPDATE, every DELETE and TRUNCATE are still refused, for the owner too.
//   The API role still has no UPDATE grant on audit_log: it gets only as far as the function.

const OWNER_ROLE = 'gymstack_owner';
const API_ROLE = 'gymstack_api';

const REDACTED = '[redacted]';
const REDACTED_CHANGED = '[redacted: changed]';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `alter table audit_log add column about_member text generated always as (
       case when entity = 'member' then entity_id::text else coalesce(new->>'memberId', old->>'memberId') end) stored`,
    'create index audit_log_about_member on audit_log (gym_id, about_member) where about_member is not null',

    // A snapshot with the non-null values under p_keys replaced by the marker. In a new snapshot, a
    // value that differs from the old snapshot's gets the "changed" marker, so an update still shows
    // which fields it changed. Idempotent: redacting a redacted snapshot changes nothing.
    `create function redact_audit_snapshot(p_doc jsonb, p_old jsonb, p_keys text[]) returns jsonb
       language sql immutable parallel safe
       as $$
         select case when jsonb_typeof(p_doc) = 'object' then
           p_doc || coalesce((
             select jsonb_object_agg(k, case
                 when jsonb_typeof(p_old) = 'object' and p_old ? k and p_old -> k is distinct from p_doc -> k
                   then to_jsonb('${REDACTED_CHANGED}'::text)
                 else to_jsonb('${REDACTED}'::text) end)
             from unnest(p_keys) as k
             where p_doc ? k and jsonb_typeof(p_doc -> k) <> 'null'), '{}'::jsonb)
         else p_doc end
       $$`,

    `create function redact_member_audit(p_member uuid, p_keys text[]) returns integer
       language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       declare
         gym uuid := public.current_gym_id();
         prior text := current_setting('app.audit_redaction', true);
         erased boolean;
         redacted integer;
       begin
         if gym is null or p_member is null then return 0; end if;
         -- Filtered on the gym explicitly: the owner's auth_lookup policy must not widen this look-up.
         select m.deleted_at is not null into erased from public.members m where m.gym_id = gym and m.id = p_member;
         if erased is null then return 0; end if;
         if not erased then
           raise exception 'member % is not erased', p_member using errcode = 'object_not_in_prerequisite_state';
         end if;
         perform set_config('app.audit_redaction', p_member::text, true);
         update public.audit_log a
            set old = public.redact_audit_snapshot(a.old, null, p_keys),
                new = public.redact_audit_snapshot(a.new, a.old, p_keys)
          where a.gym_id = gym and a.about_member = p_member::text
            and (a.old is distinct from public.redact_audit_snapshot(a.old, null, p_keys)
              or a.new is distinct from public.redact_audit_snapshot(a.new, a.old, p_keys));
         get diagnostics redacted = row_count;
         perform set_config('app.audit_redaction', coalesce(prior, ''), true);
         return redacted;
       end $$`,
    // Functions are executable by PUBLIC unless revoked.
    `revoke all on function redact_member_audit(uuid, text[]) from public`,
    `grant execute on function redact_member_audit(uuid, text[]) to ${API_ROLE}`,
    `revoke all on function redact_audit_snapshot(jsonb, jsonb, text[]) from public`,

    // audit_log's row trigger: reject_append_only_change() for everything but the redaction.
    `create function audit_log_append_only() returns trigger
       language plpgsql set search_path = pg_catalog, pg_temp as $$
       declare
         redacting text := current_setting('app.audit_redaction', true);
         stack text;
       begin
         -- Generated columns are not computed yet in NEW, hence compared without about_member.
         if tg_op = 'UPDATE' and current_user = '${OWNER_ROLE}' and coalesce(redacting, '') <> ''
            and old.gym_id = public.current_gym_id() and old.about_member = redacting
            and to_jsonb(new) - 'old' - 'new' - 'about_member' = to_jsonb(old) - 'old' - 'new' - 'about_member' then
           -- The function must be the caller, straight from SQL: its frame ends the call stack.
           get diagnostics stack = pg_context;
           if stack ~ '\\nPL/pgSQL function public\\.redact_member_audit\\(uuid,text\\[\\]\\) line [0-9]+ at SQL statement$' then
             return new;
           end if;
         end if;
         raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';
       end $$`,
    `revoke all on function audit_log_append_only() from public`,
    'drop trigger audit_log_append_only on audit_log',
    'create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only()',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'drop trigger audit_log_append_only on audit_log',
    'create trigger audit_log_append_only before update or delete on audit_log for each row execute function reject_append_only_change()',
    'drop function audit_log_append_only()',
    'drop function redact_member_audit(uuid, text[])',
    'drop function redact_audit_snapshot(jsonb, jsonb, text[])',
    // Drops its index with it.
    'alter table audit_log drop column about_member',
  ]);
}
