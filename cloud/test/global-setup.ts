import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { ensureRoles } from '../src/db/roles.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL; test files create their own databases from it. */
    adminUrl: string;
  }
}

/**
 * Once per run: the Postgres in DATABASE_URL, or a throwaway embedded cluster (one for every file).
 * Roles are cluster-wide, so they are made here once rather than racing between files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DATABASE_URL;
  const embedded = given
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `gymstack-test-pg-${process.pid}`), port: 0, persistent: false });
  const adminUrl = embedded?.adminUrl ?? (given as string);
  await ensureRoles(adminUrl, loadConfig({ NODE_ENV: 'test' }).database);
  project.provide('adminUrl', adminUrl);
  return async () => {
    await embedded?.stop();
  };
}
