import { type Kysely, sql } from 'kysely';

// Frozen once landed. Each gym's keys (DESIGN 7), which every desk of the gym fetches:
// - `template`: AES-256, seals fingerprint templates, so any desk opens a template enrolled at another;
// - `pass`: Ed25519, signs short-lived member QR passes (cloud or desk) and verifies them offline.
// `sealed` is the secret (the raw 32 bytes; the pass key's PKCS#8 DER) sealed with the cloud's
// key-encryption key (KEY_ENCRYPTION_KEY), `${gym_id}:${kind}:${key_id}` as associated data, so a sealed
// secret copied to another row or gym does not open. `public_key` is the pass key's public half as SPKI
// DER (null for a template key). One key per kind for now: rotation will relax `gym_keys_current` to
// the gym's unretired keys, and old keys must then stay to open what they sealed. The API role may only
// read and add keys, under the same forced RLS as every tenant table.

const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `create table gym_keys (
       gym_id uuid not null references gyms (id),
       kind text not null check (kind in ('template', 'pass')),
       key_id text not null check (key_id ~ '^[A-Za-z0-9_-]{1,8}$'),
       sealed bytea not null,
       public_key bytea,
       created_at timestamptz not null default now(),
       primary key (gym_id, kind, key_id),
       check ((kind = 'pass') = (public_key is not null))
     )`,
    // Two first requests racing both insert; this makes the second a no-op, and both read the first's key.
    'create unique index gym_keys_current on gym_keys (gym_id, kind)',
    'alter table gym_keys enable row level security',
    'alter table gym_keys force row level security',
    `create policy tenant_isolation on gym_keys using ${tenant} with check ${tenant}`,
    `grant select, insert on gym_keys to ${API_ROLE}`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['drop table gym_keys']);
}
