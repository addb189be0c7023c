import { updateNotificationSettings } from '../notifications/settings.js';
import { notificationSettingsPatchSchema, notificationSettingsSchema } from '../notifications/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/notification-settings: Field merge of the quiet hours, WhatsApp number id and language. */
export const putNotificationSettings: Route = (app) => {
  app.put(
    '/notification-settings',
    {
      schema: {
        summary: 'Update the notification settings',
        tags: ['notifications'],
        security: bearer,
        body: notificationSettingsPatchSchema,
        response: { 200: okSchema(notificationSettingsSchema), ...failures },
      },
      config: { permission: { resource: 'gymConfig', action: 'update' } },
    },
    async (request) => ok(await updateNotificationSettings(request.db, request.tenant, request.body)),
  );
};
