import path from 'node:path';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrateDatabase } from './migrate.js';
import { createDb, createPool } from './pool.js';
import { bootstrap, type DatabaseUrls } from './roles.js';
import type { Database } from './schema.js';

/** The application database, bootstrapped, migrated, and open as the API role. */
export interface OpenDatabase {
  urls: DatabaseUrls;
  /** The API role's pool (no BYPASSRLS, owns nothing). */
  pool: pg.Pool;
  db: Kysely<Database>;
  /** Closes the pool, then stops the embedded Postgres if one was started. */
  close(): Promise<void>;
}

/**
 * What every process that needs the cloud's database does first (the server, `cloud:admin`): Postgres
 * at DATABASE_URL, or an embedded cluster in `<data dir>/postgres`; the bootstrap of roles and database
 * with that admin URL; migrations as the owner role; then a pool as the API role.
 */
export async function openDatabase(config: Config, say: (line: string) => void = () => undefined): Promise<OpenDatabase> {
  const dataDir = path.resolve(config.dataDir, 'postgres');
  const embedded = config.database.adminUrl ? null : await startEmbeddedPostgres({ dataDir, port: config.embeddedPort, persistent: true });
  try {
    const adminUrl = embedded?.adminUrl ?? (config.database.adminUrl as string);
    say(embedded ? `Embedded Postgres on ${new URL(adminUrl).host}, data in ${dataDir}` : `Postgres at ${new URL(adminUrl).host}`);
    const urls = await bootstrap(adminUrl, config.database.name, config.database);
    await migrateDatabase(urls.owner);
    const pool = createPool(urls.api, { max: config.database.poolMax });
    const db = createDb(pool);
    return {
      urls,
      pool,
      db,
      async close() {
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
