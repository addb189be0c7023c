import { type Kysely, sql } from 'kysely';

// Frozen once landed. What the desk needs for its devices (DESIGN 7):
// - fingerprint credentials carry their template, sealed with the gym's template key (named by key_id),
//   and when the member consented; the cloud's member_credentials has the same columns.
// - `finger_pages`: which credential sits on which page of this desk's own reader. Local: every desk
//   loads the gym's templates into its module at pages of its own choosing.
// - `gym_keys`: the gym's template key and pass-signing key, sealed with this desk's own secret.
// - `device_config`: the one row saying which reader, scanner, door relay and MQTT broker this desk drives.

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'alter table member_credentials add column template blob',
    'alter table member_credentials add column key_id text',
    'alter table member_credentials add column consented_at text',
    `create table finger_pages (
      page integer primary key,
      credential_id text not null unique,
      loaded_at text not null)`,
    `create table gym_keys (
      kind text primary key check (kind in ('template', 'pass')),
      key_id text not null,
      sealed blob not null,
      public_key blob)`,
    `create table device_config (
      id integer primary key check (id = 1),
      config text not null,
      updated_at text not null)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'drop table device_config',
    'drop table gym_keys',
    'drop table finger_pages',
    'alter table member_credentials drop column consented_at',
    'alter table member_credentials drop column key_id',
    'alter table member_credentials drop column template',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
