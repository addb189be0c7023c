import { errors } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import { PAIRING_CODE_TTL_MS } from '../auth/devices.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { canonicalPairingCode, newPairingCode, sha256 } from '../auth/secrets.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({ branchId: z.uuid() });

/** The owner makes a one-time code (10 minutes) that pairs one desk to a branch. Only its hash is kept. */
export const postDevicesPairingCodes: Route = (app, { auth }) => {
  app.post(
    '/devices/pairing-codes',
    {
      schema: {
        summary: 'Create a desk pairing code',
        tags: ['devices'],
        body,
        response: { 200: okSchema(z.object({ code: z.string(), expiresAt: z.iso.datetime() })), 400: failureSchema, 401: failureSchema, 403: failureSchema, 404: failureSchema, 429: failureSchema },
      },
      // Pairing a desk configures the gym: the owner's alone in the matrix.
      config: { permission: { resource: 'gymConfig', action: 'update' }, rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<z.infer<typeof body>>(app, auth.limits, (_b, request) => `pairing-codes:${request.tenant.userId}`),
    },
    async (request) => {
      const trx = request.db;
      const { branchId } = request.body;
      const branch = await trx.selectFrom('branches').select('id').where('id', '=', branchId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!branch) throw errors.notFound('Branch');
      const code = newPairingCode();
      const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS);
      const id = uuid();
      await trx
        .insertInto('pairing_codes')
        .values({ gym_id: request.tenant.gymId, id, branch_id: branchId, code_hash: sha256(canonicalPairingCode(code)), created_by: request.tenant.userId, expires_at: expiresAt, used_at: null, device_id: null })
        .execute();
      await appendAudit(trx, request.tenant, { action: 'device.pairing_code', entity: 'pairing_code', entityId: id, old: null, new: { branchId, expiresAt } });
      return ok({ code, expiresAt: expiresAt.toISOString() });
    },
  );
};
