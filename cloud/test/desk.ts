import { randomBytes } from 'node:crypto';
import { SYNC_SCHEMA_VERSION } from '@gymstack/shared';
import type { LightMyRequestResponse } from 'fastify';
import { v7 as uuid } from 'uuid';
import { expect } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { accessTokenFor } from './auth-support.js';
import { call, type Gym, type World } from './world.js';

export interface TestDesk {
  deviceId: string;
  token: string;
  /** POST /sync/push with these entries. */
  push(entries: unknown[], extra?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** Pushes one mutation under the desk's next seq; its result, the push having answered 200. */
  pushOne(name: string, args: unknown): Promise<{ seq: number; status: string; error?: { code: string; message: string } }>;
}

/** A freshly paired desk of `gym`: its own device row with desk code `code`, a real desk token, its own outbox seqs. */
export async function pairTestDesk(w: World, gym: Gym, code: string): Promise<TestDesk> {
  const deviceId = uuid();
  await withTenant(w.t.api, gym.seed.scope, (trx) =>
    trx.insertInto('devices').values({ gym_id: gym.gymId, id: deviceId, branch_id: gym.branchId, name: `Desk ${code}`, code, public_key: randomBytes(32), last_seen_at: null, revoked_at: null }).execute(),
  );
  const token = await accessTokenFor({ gymId: gym.gymId, userId: deviceId, role: 'desk', deviceId, branchIds: [gym.branchId] });
  const push = (entries: unknown[], extra: Record<string, unknown> = {}) =>
    call(w.app, token, { method: 'POST', url: '/sync/push', body: { deviceId, schemaVersion: SYNC_SCHEMA_VERSION, entries, ...extra } });
  let seq = 0;
  return {
    deviceId,
    token,
    push,
    async pushOne(name, args) {
      const res = await push([{ seq: ++seq, mutationId: uuid(), name, args, createdAt: new Date().toISOString() }]);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data.results[0];
    },
  };
}
