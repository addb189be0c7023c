import { z } from 'zod';
import { deskCaller } from '../auth/callers.js';
import { PROOF_MAX_AGE_MS, validProof } from '../auth/devices.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { findDevice } from '../auth/lookups.js';
import { grantOf } from '../auth/sessions.js';
import { ACCESS_TOKEN_TTL_SECONDS, unauthenticated } from '../auth/tokens.js';
import { withTenant } from '../db/tenant.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({
  deviceId: z.uuid(),
  /** The desk's clock, ms since the epoch; within 60 s of ours and newer than its last proof. */
  ts: z.number().int().positive(),
  /** Ed25519 signature (base64url) of `gymstack-device-token\n<deviceId>\n<ts>` with the paired key. */
  signature: z.base64url().max(128),
});

/**
 * A paired desk proves it holds its key and gets a desk access token for its branch. Each proof is
 * single-use: its timestamp must be newer than the last one accepted (so a replay always fails, even
 * within the 60 s window), and revoked desks get nothing.
 */
export const postDevicesToken: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/devices/token',
    {
      schema: {
        summary: 'Desk access token from a signed proof',
        tags: ['devices'],
        body,
        response: { 200: okSchema(z.object({ accessToken: z.string(), expiresIn: z.number().int() })), 400: failureSchema, 401: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<z.infer<typeof body>>(app, auth.limits, (b) => `device:${b.deviceId}`),
    },
    async (request) => {
      const { deviceId, ts, signature } = request.body;
      if (Math.abs(Date.now() - ts) > PROOF_MAX_AGE_MS) throw unauthenticated();
      const ref = await findDevice(db, deviceId);
      if (!ref) throw unauthenticated();
      const caller = deskCaller(ref.gym_id, deviceId, ref.branch_id, request.ip);
      const accepted = await withTenant(db, caller, async (trx) => {
        const device = await trx
          .selectFrom('devices')
          .select(['public_key', 'proof_at', 'revoked_at', 'deleted_at'])
          .where('id', '=', deviceId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (device.revoked_at !== null || device.deleted_at !== null) return false;
        if (device.proof_at !== null && ts <= device.proof_at) return false;
        if (!validProof(device.public_key, deviceId, ts, signature)) return false;
        await trx.updateTable('devices').set({ proof_at: ts, last_seen_at: new Date() }).where('id', '=', deviceId).execute();
        return true;
      });
      if (!accepted) throw unauthenticated();
      return ok({ accessToken: await auth.tokens.sign(grantOf(caller)), expiresIn: ACCESS_TOKEN_TTL_SECONDS });
    },
  );
};
