import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import { deskCaller } from '../auth/callers.js';
import { devicePublicKeySchema } from '../auth/devices.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { findPairingCode } from '../auth/lookups.js';
import { canonicalPairingCode, sha256 } from '../auth/secrets.js';
import { unauthenticated } from '../auth/tokens.js';
import { withTenant } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({
  code: z.string().min(1).max(32),
  /** The desk's own Ed25519 key; its private half never leaves the desk. */
  publicKey: devicePublicKeySchema,
  name: z.string().trim().min(1).max(80),
});

/** A desk redeems a pairing code (once, within 10 minutes) and becomes a device of that branch. */
export const postDevicesPair: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/devices/pair',
    {
      schema: {
        summary: 'Pair a desk with a pairing code',
        tags: ['devices'],
        body,
        response: { 200: okSchema(z.object({ deviceId: z.uuid(), gymId: z.uuid(), branchId: z.uuid() })), 400: failureSchema, 401: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<{ code: string }>(app, auth.limits, (b) => `pair:${canonicalPairingCode(b.code)}`),
    },
    async (request) => {
      const ref = await findPairingCode(db, sha256(canonicalPairingCode(request.body.code)));
      if (!ref) throw unauthenticated();
      const deviceId = uuid();
      const caller = deskCaller(ref.gym_id, deviceId, ref.branch_id, request.ip);
      const paired = await withTenant(db, caller, async (trx) => {
        const code = await trx.selectFrom('pairing_codes').select(['used_at', 'expires_at']).where('id', '=', ref.id).forUpdate().executeTakeFirstOrThrow();
        if (code.used_at !== null || code.expires_at <= new Date()) return false;
        const { name, publicKey } = request.body;
        await trx
          .insertInto('devices')
          .values({ gym_id: ref.gym_id, id: deviceId, branch_id: ref.branch_id, name, public_key: publicKey, last_seen_at: null, revoked_at: null })
          .execute();
        await trx.updateTable('pairing_codes').set({ used_at: new Date(), device_id: deviceId }).where('id', '=', ref.id).execute();
        await appendAudit(trx, caller, { action: 'device.pair', entity: 'device', entityId: deviceId, old: null, new: { name, branchId: ref.branch_id } });
        return true;
      });
      if (!paired) throw unauthenticated();
      return ok({ deviceId, gymId: ref.gym_id, branchId: ref.branch_id });
    },
  );
};
