import { fields, notificationFilters } from '@gymstack/shared';
import { z } from 'zod';
import { pageQuery } from '../domain/schemas.js';

export const notificationListQuery = pageQuery.extend(notificationFilters.shape);
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

/** A gym's messaging settings as the owner edits them. */
export const notificationSettingsSchema = z.object({
  /** Quiet hours, local `HH:MM`: nothing is sent from `quietStart` until `quietEnd`, when the daily scan runs. */
  quietStart: fields.hhmm,
  quietEnd: fields.hhmm,
  /** The gym's own WhatsApp number id with Meta; null sends from the cloud's number. */
  whatsappPhoneNumberId: z.string().trim().min(1).max(64).nullable(),
  /** The language code the templates are approved in, e.g. `en` or `hi`. */
  language: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'Must be a language code such as en or en_US'),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
// A misspelt field is an error, not a silent no-op.
export const notificationSettingsPatchSchema = notificationSettingsSchema.partial().strict();
