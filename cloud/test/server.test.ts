import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { API_ROLE, dropDatabase, OWNER_ROLE } from '../src/db/roles.js';
import { startCloud } from '../src/server.js';

describe('startCloud', () => {
  const adminUrl = inject('adminUrl');
  const name = `gymstack_test_${randomBytes(6).toString('hex')}`;
  // Outside production the cloud keeps its key-encryption key in the data dir: a temporary one here.
  const dataDir = mkdtempSync(join(tmpdir(), 'gymstack-cloud-'));
  afterAll(async () => {
    await dropDatabase(adminUrl, name);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bootstraps the roles and database, migrates, serves as the API role, runs jobs as the owner, and closes its pools', async () => {
    const config = loadConfig({ NODE_ENV: 'test', GYMSTACK_DATA_DIR: dataDir, DATABASE_URL: adminUrl, DATABASE_NAME: name, PORT: '0', LOG_LEVEL: 'silent' });
    const sessions = async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ usename: string }>('select distinct usename from pg_stat_activity where datname = $1', [name]);
        return rows.map((r) => r.usename);
      } finally {
        await admin.end();
      }
    };

    const cloud = await startCloud(config);
    try {
      expect((await fetch(`${cloud.url}/readyz`)).status).toBe(200);
      // The API as the API role; pg-boss as the owner, since it keeps a schema of its own.
      expect((await sessions()).sort()).toEqual([API_ROLE, OWNER_ROLE].sort());
    } finally {
      await cloud.close();
    }
    expect(await sessions()).toEqual([]);
  });
});
