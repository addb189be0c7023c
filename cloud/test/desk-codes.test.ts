import { generateKeyPairSync } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../migrations/index.js';
import { buildApp } from '../src/app.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { type TenantScope, withTenant } from '../src/db/tenant.js';
import type { CloudApp } from '../src/http/app-types.js';
import { testAuth } from './auth-support.js';
import { createTestDatabase, sqlState, type TestDatabase } from './support.js';

// Desk codes (migration 2026_11_23_0001_desk_codes): allocated at pairing, unique within the gym.

describe('desk codes at pairing', () => {
  let t: TestDatabase;
  let app: CloudApp;
  let owner: string;
  let gymId: string;
  let branchId: string;

  const post = (url: string, body: unknown, token?: string) =>
    app.inject({ method: 'POST', url, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });

  const pairingCode = async () => {
    const res = await post('/api/v1/devices/pairing-codes', { branchId }, owner);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.code as string;
  };
  const publicKey = () => (generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const pair = async (name: string) => {
    const code = await pairingCode();
    return post('/api/v1/devices/pair', { code, publicKey: publicKey(), name });
  };
  const scope = (): TenantScope => ({ gymId, userId: uuid(), role: 'owner', branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' });

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({ db: t.api, pool: t.apiPool, auth: testAuth() });
    // A brand-new gym by sign-up: no desk yet.
    const signUp = await post('/api/v1/gyms', {
      gym: { name: 'Code Gym', legalName: 'Code Gym LLP', stateCode: '29', address: '1 MG Road' },
      branch: { name: 'Main' },
      owner: { name: 'Owner', email: 'owner@codes.test', phone: '9876500001', password: 'a long enough password' },
    });
    expect(signUp.statusCode, signUp.body).toBe(201);
    owner = signUp.json().data.accessToken;
    gymId = signUp.json().data.gym.id;
    branchId = (await withTenant(t.api, scope(), (trx) => trx.selectFrom('branches').select('id').executeTakeFirstOrThrow())).id;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('gives the first two desks of a gym D1 and D2, and stores them', async () => {
    const first = await pair('Front desk');
    const second = await pair('Back desk');
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode, second.body).toBe(200);
    expect(first.json().data.deskCode).toBe('D1');
    expect(second.json().data.deskCode).toBe('D2');
    const rows = await withTenant(t.owner, scope(), (trx) => trx.selectFrom('devices').select(['id', 'code']).orderBy('code').execute());
    expect(rows).toEqual([
      { id: first.json().data.deviceId, code: 'D1' },
      { id: second.json().data.deviceId, code: 'D2' },
    ]);
  });

  it('gives five desks pairing at once five distinct codes, the lowest free ones', async () => {
    const codes = await Promise.all(Array.from({ length: 5 }, () => pairingCode()));
    const replies = await Promise.all(codes.map((code, i) => post('/api/v1/devices/pair', { code, publicKey: publicKey(), name: `Desk ${i}` })));
    for (const r of replies) expect(r.statusCode, r.body).toBe(200);
    const deskCodes = replies.map((r) => r.json().data.deskCode as string);
    expect(new Set(deskCodes).size).toBe(5);
    expect([...deskCodes].sort()).toEqual(['D3', 'D4', 'D5', 'D6', 'D7']);
  });

  it('never hands out a code again, even once its desk is revoked or deleted, nor a prefix an invoice series already uses', async () => {
    await withTenant(t.owner, scope(), async (trx) => {
      await trx.updateTable('devices').set({ revoked_at: new Date() }).where('code', '=', 'D7').execute();
      await trx.updateTable('devices').set({ deleted_at: new Date() }).where('code', '=', 'D6').execute();
      await trx.insertInto('invoice_series').values({ gym_id: gymId, id: uuid(), device_id: null, prefix: 'D8', fy_start_year: 2026, deleted_at: null }).execute();
    });
    const next = await pair('Replacement desk');
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().data.deskCode).toBe('D9');
  });

  it('refuses two live desks of one gym with the same code', async () => {
    const duplicate = withTenant(t.owner, scope(), async (trx) => {
      const branch = await trx.selectFrom('branches').select('id').executeTakeFirstOrThrow();
      await trx.insertInto('devices').values({ gym_id: gymId, id: uuid(), branch_id: branch.id, name: 'Clone', code: 'D1', public_key: Buffer.alloc(32, 1), last_seen_at: null, revoked_at: null }).execute();
    });
    expect(await sqlState(duplicate)).toBe('23505');
    const malformed = withTenant(t.owner, scope(), async (trx) => {
      await trx.insertInto('devices').values({ gym_id: gymId, id: uuid(), branch_id: branchId, name: 'Bad', code: 'd-1', public_key: Buffer.alloc(32, 1), last_seen_at: null, revoked_at: null }).execute();
    });
    expect(await sqlState(malformed)).toBe('23514');
  });
});

describe('migration 2026_11_23_0001_desk_codes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.drop());

  const migrateTo = async (name: string) => {
    const { error } = await new Migrator({ db: t.owner, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateTo(name);
    if (error) throw error;
  };
  const shapeKeys = async () => {
    const { rows } = await sql<{ key: string }>`select jsonb_object_keys(shape_row_invoices(null::invoices)) as key`.execute(t.owner);
    return rows.map((r) => r.key);
  };

  it('backfills D1, D2, ... per gym in pairing order, shows invoice snapshots, and goes back down', async () => {
    await migrateTo('2026_11_22_0006_sync_push');
    expect(await shapeKeys()).not.toContain('snapshot');
    const gyms = [uuid(), uuid()];
    const devices: Record<string, string[]> = {};
    for (const gymId of gyms) {
      const scope: TenantScope = { gymId, userId: uuid(), role: 'owner', branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' };
      const branch = uuid();
      const ids = [uuid(), uuid(), uuid()];
      devices[gymId] = ids;
      await withTenant(t.owner, scope, async (trx) => {
        await sql`insert into gyms (id, name, legal_name, address, state_code) values (${gymId}, 'G', 'G LLP', 'Somewhere', '29')`.execute(trx);
        await sql`insert into branches (gym_id, id, name) values (${gymId}, ${branch}, 'Main')`.execute(trx);
        // Inserted out of pairing order: the codes follow paired_at.
        for (const [i, id] of ids.entries()) {
          await sql`insert into devices (gym_id, id, branch_id, name, public_key, paired_at)
                    values (${gymId}, ${id}, ${branch}, 'Desk', ${Buffer.alloc(32, i)}, now() - make_interval(days => ${10 - ((i + 1) % 3)}))`.execute(trx);
        }
      });
    }

    await migrateToLatest(t.owner);
    expect(await shapeKeys()).toContain('snapshot');
    for (const gymId of gyms) {
      const scope: TenantScope = { gymId, userId: uuid(), role: 'owner', branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' };
      const codes = await withTenant(t.owner, scope, (trx) => trx.selectFrom('devices').select(['id', 'code']).orderBy('paired_at').execute());
      const [a, b, c] = devices[gymId] as [string, string, string];
      // paired_at: a = now - 9 days, b = now - 8 days, c = now - 10 days.
      expect(codes).toEqual([
        { id: c, code: 'D1' },
        { id: a, code: 'D2' },
        { id: b, code: 'D3' },
      ]);
      // Desks re-snapshot invoices to receive the documents of earlier invoices.
      const head = await withTenant(t.owner, scope, (trx) => sql<{ epoch: number }>`select (epochs ->> 'invoices')::int as epoch from change_log_head`.execute(trx));
      expect(head.rows).toEqual([{ epoch: 1 }]);
    }
    // Forced RLS is back on both tables the migration lifted it from.
    const { rows } = await sql<{ relname: string; forced: boolean }>`
      select relname, relforcerowsecurity as forced from pg_class where relname in ('devices', 'change_log_head') order by relname`.execute(t.owner);
    expect(rows).toEqual([
      { relname: 'change_log_head', forced: true },
      { relname: 'devices', forced: true },
    ]);
    const grants = await sql<{ ok: boolean }>`select has_function_privilege('gymstack_api', 'shape_row_invoices(invoices)', 'execute') as ok`.execute(t.owner);
    expect(grants.rows).toEqual([{ ok: true }]);

    await migrateTo('2026_11_22_0006_sync_push');
    expect(await shapeKeys()).not.toContain('snapshot');
    const column = await sql`select 1 from information_schema.columns where table_name = 'devices' and column_name = 'code'`.execute(t.owner);
    expect(column.rows).toEqual([]);
  });
});
