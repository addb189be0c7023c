import { notificationSchema } from '@gymstack/shared';
import { listNotifications } from '../notifications/list.js';
import { notificationListQuery } from '../notifications/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/notifications: WhatsApp messages with their status (queued to read, dead, skipped); newest first. */
export const getNotifications: Route = (app) => {
  app.get(
    '/notifications',
    {
      schema: {
        summary: 'Notifications',
        tags: ['notifications'],
        security: bearer,
        querystring: notificationListQuery,
        response: { 200: pageSchema(notificationSchema), ...failures },
      },
      config: { permission: { resource: 'notifications', action: 'read' } },
    },
    async (request) => okPage(await listNotifications(request.db, request.query)),
  );
};
