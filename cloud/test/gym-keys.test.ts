import { randomBytes } from 'node:crypto';
import { unseal } from '@gymstack/shared/crypto';
import { exportPassKey, importPassPublicKey, PASS_TTL_SECONDS, verifyPass } from '@gymstack/shared/passes';
import pg from 'pg';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { type GymKeys, loadGymKeys } from '../src/domain/gym-keys.js';
import { testKeyEncryptionKey } from './auth-support.js';
import { seedGym } from './fixtures.js';
import { call, createWorld, type Gym, type World } from './world.js';

interface KeysReply {
  template: { keyId: string; key: string };
  pass: { keyId: string; privateKey: string; publicKey: string };
}

let w: World;
let a: Gym;
let b: Gym;
beforeAll(async () => {
  w = await createWorld();
  ({ a, b } = w.gyms);
  // The fixture seeds every gym's keys; these tests start where a new gym does, with none (the API
  // role may not delete keys, the owner role may).
  for (const gym of [a, b]) await withTenant(w.t.owner, gym.seed.scope, (trx) => trx.deleteFrom('gym_keys').execute());
});
afterAll(() => w?.close());

async function keysOf(gym: Gym): Promise<KeysReply> {
  const res = await call(w.app, gym.tokens.desk, { method: 'GET', url: '/devices/keys' });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.json().data;
}

/** Resolves once a session of this test database waits on a row lock. */
async function waitForLockWait(): Promise<void> {
  const admin = new pg.Client({ connectionString: w.t.adminUrl });
  await admin.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query("select 1 from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'", [w.t.name]);
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no session waited on a lock');
  } finally {
    await admin.end();
  }
}

const storedKeys = (gym: Gym) => withTenant(w.t.owner, gym.seed.scope, (trx) => trx.selectFrom('gym_keys').selectAll().orderBy('kind').execute());

describe('GET /devices/keys', () => {
  it("makes the gym's keys on the first call and answers every later call with the same keys", async () => {
    expect(await storedKeys(a)).toEqual([]);
    const first = await keysOf(a);
    expect(await keysOf(a)).toEqual(first);
    expect(Buffer.from(first.template.key, 'base64')).toHaveLength(32);
    expect((await storedKeys(a)).map((r) => [r.kind, r.key_id])).toEqual([
      ['pass', first.pass.keyId],
      ['template', first.template.keyId],
    ]);
  });

  it('gives two racing first requests the same keys: the later insert waits for the earlier, then reads its keys', async () => {
    const gamma = await seedGym(w.t.api, 'gamma');
    await withTenant(w.t.owner, gamma.scope, (trx) => trx.deleteFrom('gym_keys').execute());
    let inserted!: (keys: GymKeys) => void;
    let commitFirst!: () => void;
    const firstInserted = new Promise<GymKeys>((resolve) => (inserted = resolve));
    const first = withTenant(w.t.api, gamma.scope, async (trx) => {
      inserted(await loadGymKeys(trx, gamma.scope.gymId, testKeyEncryptionKey));
      await new Promise<void>((resolve) => (commitFirst = resolve));
    });
    const firstKeys = await firstInserted;
    // The second finds no committed key, inserts, and blocks on the first's uncommitted rows.
    const second = withTenant(w.t.api, gamma.scope, (trx) => loadGymKeys(trx, gamma.scope.gymId, testKeyEncryptionKey));
    await waitForLockWait();
    commitFirst();
    await first;
    const secondKeys = await second;
    expect(secondKeys.template).toEqual(firstKeys.template);
    expect(secondKeys.pass.keyId).toBe(firstKeys.pass.keyId);
    expect(exportPassKey(secondKeys.pass.privateKey)).toBe(exportPassKey(firstKeys.pass.privateKey));
    expect(await withTenant(w.t.owner, gamma.scope, (trx) => trx.selectFrom('gym_keys').select('key_id').execute())).toHaveLength(2);
  });

  it('stores each secret sealed with the key-encryption key, bound to its own row', async () => {
    const keys = await keysOf(a);
    const rows = await storedKeys(a);
    const [pass, template] = rows;
    const templateKey = Buffer.from(keys.template.key, 'base64');
    const passPrivate = Buffer.from(keys.pass.privateKey, 'base64');
    expect(template?.sealed.includes(templateKey)).toBe(false);
    expect(pass?.sealed.includes(passPrivate.subarray(-32))).toBe(false); // the raw Ed25519 seed ends the PKCS#8 DER
    expect(unseal(testKeyEncryptionKey, template!.sealed, `${a.gymId}:template:${keys.template.keyId}`)).toEqual(templateKey);
    expect(unseal(testKeyEncryptionKey, pass!.sealed, `${a.gymId}:pass:${keys.pass.keyId}`)).toEqual(passPrivate);
    expect(pass?.public_key).toEqual(Buffer.from(keys.pass.publicKey, 'base64'));
    expect(importPassPublicKey(keys.pass.publicKey).asymmetricKeyType).toBe('ed25519');
    // Another key, or the same secret read as another gym's row, does not open.
    expect(() => unseal(randomBytes(32), template!.sealed, `${a.gymId}:template:${keys.template.keyId}`)).toThrow();
    expect(() => unseal(testKeyEncryptionKey, template!.sealed, `${b.gymId}:template:${keys.template.keyId}`)).toThrow();
  });

  it("gives each gym's desks their own gym's keys", async () => {
    const keysA = await keysOf(a);
    const keysB = await keysOf(b);
    expect(keysB.template.key).not.toBe(keysA.template.key);
    expect(keysB.pass.privateKey).not.toBe(keysA.pass.privateKey);
    expect((await storedKeys(b)).map((r) => r.key_id).sort()).toEqual([keysB.pass.keyId, keysB.template.keyId].sort());
  });

  it('is documented in OpenAPI with its response', async () => {
    const doc = (await w.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const keys = doc.paths['/api/v1/devices/keys'].get.responses['200'].content['application/json'].schema.properties.data;
    expect(Object.keys(keys.properties)).toEqual(['template', 'pass']);
    expect(keys.properties.pass.required).toEqual(['keyId', 'privateKey', 'publicKey']);
    const pass = doc.paths['/api/v1/members/{id}/pass'].get.responses['200'].content['application/json'].schema.properties.data;
    expect(pass.required).toEqual(['token', 'expiresAt']);
  });

  it('answers any caller but a desk with 403', async () => {
    for (const role of ['owner', 'manager', 'frontdesk', 'trainer', 'member'] as const) {
      const res = await call(w.app, a.tokens[role], { method: 'GET', url: '/devices/keys' });
      expect(res.statusCode, role).toBe(403);
    }
  });
});

describe('GET /members/:id/pass', () => {
  const passOf = (token: string, memberId: string) => call(w.app, token, { method: 'GET', url: `/members/${memberId}/pass` });

  it("signs a pass that verifies with the gym's public key from /devices/keys", async () => {
    const keys = await keysOf(a);
    const before = Date.now();
    const res = await passOf(a.tokens.member, a.ids.member);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { token, expiresAt } = res.json().data as { token: string; expiresAt: string };
    const publicKey = importPassPublicKey(keys.pass.publicKey);
    const verdict = verifyPass(token, { now: new Date(), publicKeyFor: (keyId) => (keyId === keys.pass.keyId ? publicKey : null) });
    expect(verdict).toEqual({ ok: true, memberId: a.ids.member, keyId: keys.pass.keyId, expiresAt: new Date(expiresAt) });
    const ttl = new Date(expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan((PASS_TTL_SECONDS - 2) * 1000);
    expect(ttl).toBeLessThanOrEqual(PASS_TTL_SECONDS * 1000);
    // Another gym's key does not verify it.
    const keysB = await keysOf(b);
    expect(verifyPass(token, { now: new Date(), publicKeyFor: () => importPassPublicKey(keysB.pass.publicKey) })).toEqual({ ok: false, reason: 'PASS_INVALID' });
  });

  it('gives staff who can read the member a pass too', async () => {
    for (const role of ['owner', 'frontdesk', 'desk'] as const) {
      const res = await passOf(a.tokens[role], a.ids.member);
      expect(res.statusCode, `${role}: ${res.body}`).toBe(200);
    }
  });

  it("answers 404 for another member, another gym's member and an erased member", async () => {
    const other = uuid();
    await withTenant(w.t.api, a.seed.scope, (trx) =>
      trx
        .insertInto('members')
        .values({ gym_id: a.gymId, id: other, branch_id: a.branchId, code: 'PASS2', full_name: 'Other Member', phone: '+919812340001', email: null, date_of_birth: null, gender: null, emergency_contact: null, medical_notes: null, goal: null, source: null, state_code: null })
        .execute(),
    );
    expect((await passOf(a.tokens.member, other)).statusCode).toBe(404);
    expect((await passOf(a.tokens.member, b.ids.member)).statusCode).toBe(404);
    expect((await passOf(a.tokens.owner, b.ids.member)).statusCode).toBe(404);
    expect((await passOf(a.tokens.owner, other)).statusCode).toBe(200);
    expect((await call(w.app, a.tokens.owner, { method: 'POST', url: `/members/${other}/erase` })).statusCode).toBe(200);
    expect((await passOf(a.tokens.owner, other)).statusCode).toBe(404);
  });
});
