import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createDb, createPool } from '../src/db/pool.js';
import { API_ROLE, type DatabaseUrls, dropDatabase, ensureDatabase, OWNER_ROLE, roleUrl } from '../src/db/roles.js';
import type { Database } from '../src/db/schema.js';

export interface TestDatabase {
  name: string;
  adminUrl: string;
  urls: DatabaseUrls;
  /** As the owner role: owns every table, yet bound by the forced RLS too. */
  owner: Kysely<Database>;
  /** As the API role, as the service connects. */
  api: Kysely<Database>;
  apiPool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database with a random name (migrated unless told otherwise); `drop` removes it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const { ownerPassword, apiPassword } = loadConfig({ NODE_ENV: 'test' }).database;
  const name = `gymstack_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const urls = { owner: roleUrl(adminUrl, name, OWNER_ROLE, ownerPassword), api: roleUrl(adminUrl, name, API_ROLE, apiPassword) };
  if (options.migrate ?? true) await migrateDatabase(urls.owner);
  const owner = createDb(createPool(urls.owner, { max: 2 }));
  const apiPool = createPool(urls.api, { max: 4 });
  const api = createDb(apiPool);
  return {
    name,
    adminUrl,
    urls,
    owner,
    api,
    apiPool,
    async drop() {
      await Promise.all([owner.destroy(), api.destroy()]);
      await dropDatabase(adminUrl, name);
    },
  };
}

/** The Postgres error code (SQLSTATE) a promise rejects with. */
export async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected the statement to fail');
}
