import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely';
import { migrations } from './migrations/index.js';

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
}

function check({ error, results }: MigrationResultSet): void {
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  throw new Error(`Migration ${failed} failed`, { cause: error });
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  check(await migrator(db).migrateToLatest());
}

/** Undoes every migration; for tests that prove each `down` reverses its `up`. */
export async function migrateToNothing(db: Kysely<unknown>): Promise<void> {
  check(await migrator(db).migrateTo(NO_MIGRATIONS));
}
