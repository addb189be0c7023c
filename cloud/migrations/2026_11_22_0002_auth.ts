import { type Kysely, sql } from 'kysely';

// Frozen once landed. What the auth layer needs beyond the initial schema:
//
// 1. Look-ups before the gym is known (login, refresh, pairing, desk token) and the per-request check
//    that a token's subject is still live. The API role sees no tenant row without app.gym_id, and the
//    owner role is bound by the forced RLS too. So each look-up is a SECURITY DEFINER function owned by
//    the owner role that turns on `app.auth_lookup` around its one query and restores it after (an error
//    aborts the transaction, and with it the setting); an `auth_lookup` policy, for SELECT and for the
//    owner role alone, admits rows while it is on. (A function SET clause would be neater, but only a
//    superuser may put a custom setting there.) The API role gains nothing by setting the flag itself (the policy is not
//    its), can run only these functions, and each returns the few columns its caller needs.
// 2. Login is by email or phone with no gym selector, so both are unique across gyms among live staff.
//    These are the only unique indexes that do not lead with gym_id (DESIGN 3): a login is global.
// 3. staff.token_version: access tokens carry it, and any change to what a token asserts (role,
//    branches, password, active, deletion) bumps it, so such tokens die at their next request.
// 4. devices.proof_at: the newest signed timestamp a desk has proved possession with; a token request
//    must carry a newer one, which makes every signed proof single-use.

const OWNER_ROLE = 'gymstack_owner';
const API_ROLE = 'gymstack_api';

const lookupTables = ['staff', 'members', 'devices', 'pairing_codes', 'refresh_tokens'];

/** name(args), result and query of each: SECURITY DEFINER with a pinned search_path and the look-up flag. */
const functions: { signature: string; returns: string; body: string }[] = [
  {
    signature: 'auth_find_staff(p_login text)',
    returns: 'table (gym_id uuid, id uuid, role text, branch_ids uuid[], token_version integer, password_hash text)',
    body: `select s.gym_id, s.id, s.role, s.branch_ids, s.token_version, s.password_hash from public.staff s
           where s.deleted_at is null and s.active and (lower(s.email) = lower(p_login) or s.phone = p_login)`,
  },
  {
    // With the role of its subject, so the caller can open the right tenant scope.
    signature: 'auth_find_refresh_token(p_hash bytea)',
    returns: 'table (gym_id uuid, id uuid, subject_id uuid, role text)',
    body: `select t.gym_id, t.id, t.subject_id,
             case t.subject_kind when 'member' then 'member' when 'device' then 'desk'
               else (select s.role from public.staff s where s.gym_id = t.gym_id and s.id = t.subject_id) end
           from public.refresh_tokens t where t.token_hash = p_hash`,
  },
  {
    signature: 'auth_find_pairing_code(p_hash bytea)',
    returns: 'table (gym_id uuid, id uuid, branch_id uuid)',
    body: 'select c.gym_id, c.id, c.branch_id from public.pairing_codes c where c.code_hash = p_hash',
  },
  {
    signature: 'auth_find_device(p_id uuid)',
    returns: 'table (gym_id uuid, branch_id uuid)',
    body: 'select d.gym_id, d.branch_id from public.devices d where d.id = p_id',
  },
  {
    // One primary-key probe per authenticated request.
    signature: 'auth_session_live(p_gym uuid, p_role text, p_subject uuid, p_version integer)',
    returns: 'table (live boolean)',
    body: `select case p_role
             when 'desk' then exists (select 1 from public.devices d
               where d.gym_id = p_gym and d.id = p_subject and d.revoked_at is null and d.deleted_at is null)
             when 'member' then exists (select 1 from public.members m
               where m.gym_id = p_gym and m.id = p_subject and m.deleted_at is null)
             else exists (select 1 from public.staff s
               where s.gym_id = p_gym and s.id = p_subject and s.role = p_role and s.active
                 and s.deleted_at is null and s.token_version = p_version)
           end`,
  },
];

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'alter table staff add column token_version integer not null default 0',
    'alter table devices add column proof_at bigint',
    `create function staff_bump_token_version() returns trigger language plpgsql as $$
       begin
         new.token_version := old.token_version + 1;
         return new;
       end $$`,
    `create trigger staff_token_version before update on staff for each row
       when (new.role is distinct from old.role or new.branch_ids is distinct from old.branch_ids
          or new.password_hash is distinct from old.password_hash or new.active is distinct from old.active
          or new.deleted_at is distinct from old.deleted_at)
       execute function staff_bump_token_version()`,
    'create unique index staff_login_email on staff (lower(email)) where deleted_at is null',
    'create unique index staff_login_phone on staff (phone) where deleted_at is null',
    // The definer look-ups find a row by its secret's hash or its id alone.
    'create unique index refresh_tokens_token on refresh_tokens (token_hash)',
    'create unique index pairing_codes_code on pairing_codes (code_hash)',
    'create unique index devices_id on devices (id)',
    ...lookupTables.map(
      (table) => `create policy auth_lookup on ${table} for select to ${OWNER_ROLE} using (current_setting('app.auth_lookup', true) = 'on')`,
    ),
  ]);
  for (const { signature, returns, body } of functions) {
    await run(db, [
      `create function ${signature} returns ${returns} language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
         #variable_conflict use_column
         declare prior text := current_setting('app.auth_lookup', true);
         begin
           perform set_config('app.auth_lookup', 'on', true);
           return query ${body};
           perform set_config('app.auth_lookup', coalesce(prior, ''), true);
         end $$`,
      // Functions are executable by PUBLIC unless revoked.
      `revoke all on function ${signature} from public`,
      `grant execute on function ${signature} to ${API_ROLE}`,
    ]);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...functions.map((f) => `drop function ${f.signature}`),
    ...lookupTables.map((table) => `drop policy auth_lookup on ${table}`),
    'drop index devices_id',
    'drop index pairing_codes_code',
    'drop index refresh_tokens_token',
    'drop index staff_login_phone',
    'drop index staff_login_email',
    'drop trigger staff_token_version on staff',
    'drop function staff_bump_token_version()',
    'alter table devices drop column proof_at',
    'alter table staff drop column token_version',
  ]);
}
