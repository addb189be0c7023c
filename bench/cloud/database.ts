/**
 * A bench's Postgres: the server DATABASE_URL names (a superuser URL), else an embedded cluster in a
 * temp dir; on it a scratch database `gymstack_bench_<random>` with the cloud's roles and migrations,
 * dropped again by `dispose`. Shared by the cloud and sync groups.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { bootstrap, type DatabaseUrls, dropDatabase, type EmbeddedServer, loadConfig, migrateDatabase, startEmbeddedPostgres } from '@gymstack/cloud';

export interface BenchDatabase {
  /** The superuser URL (DATABASE_URL, or the embedded cluster's). */
  adminUrl: string;
  /** The scratch database's name. */
  database: string;
  /** The owner and API roles' URLs on it. */
  urls: DatabaseUrls;
  /** The superuser on it. */
  superUrl: string;
  /** Whether Postgres is an embedded cluster this process started. */
  embedded: boolean;
  /** Drops the database (unless `keep`) and stops an embedded cluster. Never throws. */
  dispose(keep?: boolean): Promise<void>;
}

/**
 * Creates, bootstraps and migrates the scratch database; `label` names the embedded cluster's temp dir.
 * `name`: a database of that name instead of a random one, opened again if it exists (bootstrap and
 * migrations are idempotent), so a group can keep a costly seed between runs (dispose it with `keep`).
 */
export async function createBenchDatabase(label: string, name?: string): Promise<BenchDatabase> {
  // Not inside a mkdtemp dir (mode 0700): as root the cluster runs as the postgres user, which must reach its directory.
  const embedded: EmbeddedServer | null = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `gymstack-${label}-bench-pg-${process.pid}`), port: 0, persistent: false });
  const adminUrl = embedded?.adminUrl ?? (process.env.DATABASE_URL as string);
  const database = name ?? `gymstack_bench_${randomBytes(4).toString('hex')}`;
  const dispose = async (keep = false) => {
    if (!keep) await dropDatabase(adminUrl, database).catch((error: unknown) => console.error(`could not drop ${database}:`, error));
    await embedded?.stop().catch((error: unknown) => console.error('could not stop the embedded Postgres:', error));
  };
  try {
    const urls = await bootstrap(adminUrl, database, loadConfig({ NODE_ENV: 'development' }).database);
    await migrateDatabase(urls.owner);
    const superUrl = new URL(adminUrl);
    superUrl.pathname = `/${database}`;
    return { adminUrl, database, urls, superUrl: superUrl.toString(), embedded: embedded !== null, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
