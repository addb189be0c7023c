import { errors } from '@gymstack/shared';
import { type Transaction, sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import { deskCaller } from '../auth/callers.js';
import { devicePublicKeySchema } from '../auth/devices.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { findPairingCode } from '../auth/lookups.js';
import { canonicalPairingCode, sha256 } from '../auth/secrets.js';
import { unauthenticated } from '../auth/tokens.js';
import type { Database } from '../db/schema.js';
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

/** Desk codes run D1 to D9999: the column allows at most 5 characters. */
const MAX_DESK_NUMBER = 9999;

/**
 * The lowest `D<n>` (n from 1) that is free in the gym: no device of the gym holds it, revoked and deleted
 * desks included (their invoice series and member codes stay in the books, so a code is never handed out
 * twice), and no invoice series has it as its prefix. Pairings of one gym take turns on a per-gym advisory
 * lock held to commit, so two desks pairing at once never pick the same code; the unique index on
 * (gym_id, code) of the live desks is the backstop.
 */
async function allocateDeskCode(trx: Transaction<Database>, gymId: string): Promise<string> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`gymstack.desk_code:${gymId}`}, 0))`.execute(trx);
  const devices = await trx.selectFrom('devices').select('code').where('gym_id', '=', gymId).execute();
  const series = await trx.selectFrom('invoice_series').select('prefix as code').where('gym_id', '=', gymId).execute();
  const taken = new Set([...devices, ...series].map((r) => r.code));
  for (let n = 1; n <= MAX_DESK_NUMBER; n++) {
    const code = `D${n}`;
    if (!taken.has(code)) return code;
  }
  throw errors.conflict('Every desk code of this gym is taken');
}

/**
 * A desk redeems a pairing code (once, within 10 minutes) and becomes a device of that branch. The cloud
 * gives it its desk code (`deskCode`: `D1`, `D2`, ..., the lowest free in the gym, see allocateDeskCode),
 * which the desk must use as its invoice series prefix (a pushed payment numbered in any other series is
 * rejected) and as the prefix of the member codes it hands out offline (`D2-1001`): so two desks offline
 * at once never mint the same invoice number or member code.
 */
export const postDevicesPair: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/devices/pair',
    {
      schema: {
        summary: 'Pair a desk with a pairing code',
        tags: ['devices'],
        body,
        response: {
          200: okSchema(z.object({ deviceId: z.uuid(), gymId: z.uuid(), branchId: z.uuid(), deskCode: z.string().regex(/^[A-Z0-9]{1,5}$/) })),
          400: failureSchema,
          401: failureSchema,
          409: failureSchema,
          429: failureSchema,
        },
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
        if (code.used_at !== null || code.expires_at <= new Date()) return null;
        const { name, publicKey } = request.body;
        const deskCode = await allocateDeskCode(trx, ref.gym_id);
        await trx
          .insertInto('devices')
          .values({ gym_id: ref.gym_id, id: deviceId, branch_id: ref.branch_id, name, code: deskCode, public_key: publicKey, last_seen_at: null, revoked_at: null })
          .execute();
        await trx.updateTable('pairing_codes').set({ used_at: new Date(), device_id: deviceId }).where('id', '=', ref.id).execute();
        await appendAudit(trx, caller, { action: 'device.pair', entity: 'device', entityId: deviceId, old: null, new: { name, branchId: ref.branch_id, deskCode } });
        return { deskCode };
      });
      if (!paired) throw unauthenticated();
      return ok({ deviceId, gymId: ref.gym_id, branchId: ref.branch_id, deskCode: paired.deskCode });
    },
  );
};
