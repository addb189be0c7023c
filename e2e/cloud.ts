/**
 * A real cloud for one e2e file, in this process: on DATABASE_URL when set (in a database of its own,
 * dropped at close), else on an embedded Postgres in a temporary directory. It has no WhatsApp
 * credentials, so it records every message it sends as `simulated`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Cloud, dropDatabase, loadConfig, startCloud } from '@gymstack/cloud';
import { cleanUp } from './cleanup.js';

export interface TestCloud {
  cloud: Cloud;
  /** Stops the cloud, then drops its database or removes its cluster; tries every step. */
  close(): Promise<void>;
}

export async function startTestCloud(): Promise<TestCloud> {
  const adminUrl = process.env.DATABASE_URL || undefined;
  const databaseName = `gymstack_e2e_${randomBytes(6).toString('hex')}`;
  const undo: (() => Promise<unknown>)[] = [];
  const close = () => cleanUp('e2e cloud', undo.splice(0).reverse());
  try {
    let cloudDir: string | undefined;
    if (adminUrl) {
      undo.push(() => dropDatabase(adminUrl, databaseName));
    } else {
      // Only the embedded cluster needs a data dir; mkdtemp makes it 0700, and as root the cluster runs as
      // the postgres user, which must reach its directory inside.
      const dir = await mkdtemp(path.join(tmpdir(), 'gymstack-e2e-cloud-'));
      undo.push(() => rm(dir, { recursive: true, force: true }));
      await chmod(dir, 0o755);
      cloudDir = dir;
    }
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...(adminUrl ? { DATABASE_URL: adminUrl, DATABASE_NAME: databaseName } : { GYMSTACK_DATA_DIR: cloudDir, EMBEDDED_PG_PORT: '0' }),
    });
    const cloud = await startCloud(config);
    undo.push(() => cloud.close());
    return { cloud, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
