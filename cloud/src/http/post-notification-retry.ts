import { fields, notificationSchema } from '@gymstack/shared';
import { z } from 'zod';
import { retryNotification } from '../notifications/list.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/notifications/:id/retry: Queues a dead-lettered message again (409 for any other status). */
export const postNotificationRetry: Route = (app) => {
  app.post(
    '/notifications/:id/retry',
    {
      schema: {
        summary: 'Retry a dead-lettered notification',
        tags: ['notifications'],
        security: bearer,
        params: z.object({ id: fields.id }),
        response: { 200: okSchema(notificationSchema), ...failures },
      },
      config: { permission: { resource: 'notifications', action: 'update' } },
    },
    async (request) => ok(await retryNotification(request.db, request.tenant, request.params.id, new Date())),
  );
};
