import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { createDb, createPool } from './pool.js';

// Run these with a Kysely on the owner role's URL: the API role may read the migration table, nothing more.

function migrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
}

function check({ error, results }: MigrationResultSet): void {
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  throw new Error(`Migration ${failed} failed`, { cause: error });
}

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  check(await migrator(db).migrateToLatest());
}

/** Undoes every migration; for tests that prove each `down` reverses its `up`. */
export async function migrateToNothing<DB>(db: Kysely<DB>): Promise<void> {
  check(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/**
 * Migrations this build ships that the database has not applied. Read with a plain query rather than
 * the Migrator, which would try to create its tables. Throws when the database is unreachable.
 */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const applied = new Set(rows.map((r) => r.name));
  return Object.keys(migrations).filter((name) => !applied.has(name));
}

/** Brings the database at `ownerUrl` (the owner role's URL) to the latest migration. */
export async function migrateDatabase(ownerUrl: string): Promise<void> {
  const db = createDb(createPool(ownerUrl, { max: 1 }));
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
