import * as settings from '../notifications/settings.js';
import { notificationSettingsSchema } from '../notifications/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/notification-settings: The gym's quiet hours, WhatsApp number id and template language. */
export const getNotificationSettings: Route = (app) => {
  app.get(
    '/notification-settings',
    {
      schema: { summary: 'Notification settings', tags: ['notifications'], security: bearer, response: { 200: okSchema(notificationSettingsSchema), ...failures } },
      config: { permission: { resource: 'gymConfig', action: 'read' } },
    },
    async (request) => ok(await settings.getNotificationSettings(request.db)),
  );
};
