import { errors } from '@gymstack/shared';
import { z } from 'zod';
import { ipLimit } from '../auth/limits.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

/**
 * The owner revokes a desk. It loses access at once: authenticate checks the device on every desk
 * request, so even its unexpired access token is refused from the next request on.
 */
export const postDevicesRevoke: Route = (app, { auth }) => {
  app.post(
    '/devices/:id/revoke',
    {
      schema: {
        summary: 'Revoke a desk',
        tags: ['devices'],
        params: z.object({ id: z.uuid() }),
        response: { 200: okSchema(z.object({ id: z.uuid(), revokedAt: z.iso.datetime() })), 400: failureSchema, 401: failureSchema, 403: failureSchema, 404: failureSchema, 429: failureSchema },
      },
      config: { permission: { resource: 'gymConfig', action: 'update' }, rateLimit: ipLimit(auth.limits) },
    },
    async (request) => {
      const trx = request.db;
      const device = await trx.selectFrom('devices').select(['id', 'revoked_at']).where('id', '=', request.params.id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!device) throw errors.notFound('Device');
      if (device.revoked_at !== null) return ok({ id: device.id, revokedAt: device.revoked_at.toISOString() });
      const revokedAt = new Date();
      await trx.updateTable('devices').set({ revoked_at: revokedAt, updated_at: revokedAt }).where('id', '=', device.id).execute();
      await appendAudit(trx, request.tenant, { action: 'device.revoke', entity: 'device', entityId: device.id, old: { revokedAt: null }, new: { revokedAt } });
      return ok({ id: device.id, revokedAt: revokedAt.toISOString() });
    },
  );
};
